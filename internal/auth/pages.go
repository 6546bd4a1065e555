package auth

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/backsight/backsight/internal/redact"
)

// Page kinds served by the loopback listener.
const (
	pageSignedIn = "signed-in"
	pageError    = "error"
	pageOver     = "over"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Backsight</title></head>
<body style="font-family: sans-serif; margin: 3em;">
{{- if eq .Kind "signed-in"}}
<h1>Backsight is signed in</h1>
<p>You can close this tab and return to Backsight.</p>
{{- else if eq .Kind "over"}}
<h1>This sign-in is over</h1>
<p>Backsight has already received an answer. You can close this tab.</p>
{{- else}}
<h1>Backsight could not sign in</h1>
<p>{{.Detail}}</p>
<p>You can close this tab and try again from Backsight.</p>
{{- end}}
</body>
</html>
`))

// writePage writes one of the listener's plain pages. detail is escaped.
func writePage(w http.ResponseWriter, status int, kind, detail string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)

	_ = pageTmpl.Execute(w, struct{ Kind, Detail string }{kind, detail})
}

// userText returns the sentence shown on the error page for err.
func userText(err error) string {
	var ae *AuthorizeError
	switch {
	case errors.Is(err, ErrStateMismatch):
		return "This answer does not belong to the sign-in Backsight started."
	case errors.As(err, &ae) && ae.Code == "access_denied":
		return "Access to Procore was not granted."
	case errors.As(err, &ae):
		return "Procore refused the sign-in (" + ae.Code + ")."
	}

	return "Procore sent no authorisation code."
}

func redactText(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}

	return redact.String(s)
}
