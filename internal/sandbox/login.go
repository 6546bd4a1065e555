package sandbox

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"time"

	"go.uber.org/zap"
)

// authzParams are the /oauth/authorize query parameters carried through the
// login and consent forms.
type authzParams struct {
	ClientID, RedirectURI, ResponseType, State, Challenge, ChallengeMethod string
}

func readAuthz(v url.Values) authzParams {
	return authzParams{
		ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"),
		ResponseType: v.Get("response_type"), State: v.Get("state"),
		Challenge: v.Get("code_challenge"), ChallengeMethod: v.Get("code_challenge_method"),
	}
}

type consent struct {
	userID  int64
	params  authzParams
	expires time.Time
}

type demoLogin struct{ Login, Name, Password, Role string }

type pageData struct {
	P       authzParams
	Error   string
	Demo    []demoLogin
	Ticket  string
	User    string
	App     string
	Code    string
	Message string
}

var pages = template.Must(template.New("pages").Parse(`
{{define "head"}}<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Procore sandbox</title><style>body{font-family:sans-serif;max-width:36em;margin:3em auto}
label{display:block;margin:.5em 0}code{font-size:1.3em;background:#eee;padding:.2em}</style>
</head><body><h1>Procore sandbox</h1>{{end}}
{{define "hidden"}}<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="response_type" value="{{.ResponseType}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.ChallengeMethod}}">{{end}}
{{define "login"}}{{template "head"}}<h2>Sign in</h2>
{{if .Error}}<p id="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/oauth/authorize">{{template "hidden" .P}}
<input type="hidden" name="step" value="login">
<label>Email <input type="email" name="login" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>
{{if .Demo}}<h3>Demo logins</h3><table id="demo-logins">
<tr><th>Email</th><th>Name</th><th>Password</th><th>Access</th></tr>
{{range .Demo}}<tr><td>{{.Login}}</td><td>{{.Name}}</td><td>{{.Password}}</td><td>{{.Role}}</td></tr>
{{end}}</table>{{end}}</body></html>{{end}}
{{define "consent"}}{{template "head"}}<h2>Allow access?</h2>
<p>Signed in as {{.User}}. The app <strong>{{.App}}</strong> asks to act on your behalf.</p>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="step" value="consent">
<input type="hidden" name="consent_ticket" value="{{.Ticket}}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>{{end}}
{{define "oob"}}{{template "head"}}<h2>Authorization code</h2>
<p>Copy this code into the application:</p><p><code id="code">{{.Code}}</code></p>
<p>It expires in 10 minutes.</p></body></html>{{end}}
{{define "error"}}{{template "head"}}<h2>Error</h2><p id="error">{{.Message}}</p></body></html>{{end}}
`))

func (s *Server) page(w http.ResponseWriter, status int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)

	if err := pages.ExecuteTemplate(w, name, d); err != nil {
		s.log.Warn("sandbox page render", zap.Error(err))
	}
}

// validateAuthz checks client and redirect URI; failures are shown as a page,
// never redirected, as RFC 6749 §4.1.2.1 asks.
func (s *Server) validateAuthz(p authzParams) string {
	s.mu.Lock()
	a := s.st.Apps[p.ClientID]
	s.mu.Unlock()

	if a == nil {
		return "Unknown client_id."
	}

	if p.RedirectURI == "" || !redirectAllowed(a, p.RedirectURI) {
		return "The redirect_uri is not registered for this application."
	}

	return ""
}

// handleAuthorize serves GET and POST /oauth/authorize.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request, _ *call) {
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
		if err := r.ParseForm(); err != nil {
			s.page(w, http.StatusBadRequest, "error", pageData{Message: "Bad form."})
			return
		}

		if r.PostForm.Get("step") == "consent" {
			s.consentStep(w, r)
			return
		}
	}

	p := readAuthz(r.Form)
	if r.Method != http.MethodPost {
		p = readAuthz(r.URL.Query())
	}

	if msg := s.validateAuthz(p); msg != "" {
		s.page(w, http.StatusBadRequest, "error", pageData{Message: msg})
		return
	}

	if p.ResponseType != "code" {
		redirectError(w, r, p, "unsupported_response_type")
		return
	}

	if p.Challenge != "" && p.ChallengeMethod != "S256" && p.ChallengeMethod != "plain" &&
		p.ChallengeMethod != "" {
		redirectError(w, r, p, "invalid_request")
		return
	}

	if r.Method != http.MethodPost {
		s.page(w, http.StatusOK, "login", pageData{P: p, Demo: s.demoLogins()})
		return
	}

	s.loginStep(w, r, p)
}

func (s *Server) loginStep(w http.ResponseWriter, r *http.Request, p authzParams) {
	login, pw := r.PostForm.Get("login"), r.PostForm.Get("password")

	s.mu.Lock()
	u := s.userByLogin(login)
	ok := u != nil && subtle.ConstantTimeCompare([]byte(u.Password), []byte(pw)) == 1
	s.mu.Unlock()

	if !ok {
		s.page(w, http.StatusUnauthorized, "login",
			pageData{P: p, Error: "Invalid email or password.", Demo: s.demoLogins()})

		return
	}

	ticket := randomHex(16)

	s.mu.Lock()
	s.consents[ticket] = &consent{userID: u.ID, params: p, expires: s.now().Add(consentTTL)}
	s.mu.Unlock()

	s.page(w, http.StatusOK, "consent", pageData{Ticket: ticket, User: u.Login, App: p.ClientID})
}

func (s *Server) consentStep(w http.ResponseWriter, r *http.Request) {
	ticket := r.PostForm.Get("consent_ticket")

	s.mu.Lock()
	c := s.consents[ticket]
	delete(s.consents, ticket)
	s.mu.Unlock()

	if c == nil || !s.now().Before(c.expires) {
		s.page(w, http.StatusBadRequest, "error", pageData{Message: "The sign-in has expired; start again."})
		return
	}

	if r.PostForm.Get("decision") != "allow" {
		redirectError(w, r, c.params, "access_denied")
		return
	}

	code := &authCode{
		Code: randomHex(32), UserID: c.userID, ClientID: c.params.ClientID,
		RedirectURI: c.params.RedirectURI, Challenge: c.params.Challenge,
		ChallengeMeth: c.params.ChallengeMethod, ExpiresAt: s.now().Add(codeTTL),
	}
	if code.Challenge != "" && code.ChallengeMeth == "" {
		code.ChallengeMeth = "plain"
	}

	s.mu.Lock()
	s.st.codes[code.Code] = code
	s.mu.Unlock()

	if c.params.RedirectURI == oobURI {
		s.page(w, http.StatusOK, "oob", pageData{Code: code.Code})
		return
	}

	redirectWith(w, r, c.params, url.Values{"code": {code.Code}})
}

func redirectError(w http.ResponseWriter, r *http.Request, p authzParams, code string) {
	if p.RedirectURI == oobURI {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_ = pages.ExecuteTemplate(w, "error", pageData{Message: code})

		return
	}

	redirectWith(w, r, p, url.Values{"error": {code}})
}

func redirectWith(w http.ResponseWriter, r *http.Request, p authzParams, add url.Values) {
	u, err := url.Parse(p.RedirectURI)
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}

	q := u.Query()
	for k, v := range add {
		q[k] = v
	}

	if p.State != "" {
		q.Set("state", p.State)
	}

	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// demoLogins lists the demo users shown on the login page (only with the
// demo seed).
func (s *Server) demoLogins() []demoLogin {
	if s.opts.Seed != "demo" {
		return nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	var out []demoLogin
	for _, u := range s.st.Users {
		if u.Service || u.Password != DemoPassword {
			continue
		}

		out = append(out, demoLogin{Login: u.Login, Name: u.Name, Password: u.Password,
			Role: s.st.projectLevel(u, DemoProjectID).String()})
	}

	sort.Slice(out, func(i, j int) bool { return out[i].Login > out[j].Login })

	return out
}
