package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestCallbackHandler(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		target   string
		status   int
		wantCode string
		wantErr  error
		page     string
	}{
		{name: "code", target: "/callback?code=c0de&state=good", status: 200,
			wantCode: "c0de", page: "You can close this tab"},
		{name: "wrong state", target: "/callback?code=c0de&state=bad", status: 400,
			wantErr: ErrStateMismatch, page: "does not belong"},
		{name: "no state", target: "/callback?code=c0de", status: 400, wantErr: ErrStateMismatch},
		{name: "denied", target: "/callback?error=access_denied&state=good", status: 403,
			page: "not granted"},
		{name: "other error escaped",
			target: "/callback?error=%3Cscript%3Ex&error_description=d&state=good", status: 403,
			page: "&lt;script&gt;x"},
		{name: "no code", target: "/callback?state=good", status: 400, page: "no authorisation code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			results := make(chan callbackResult, 1)
			h := &callbackHandler{state: "good", results: results}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tt.target, nil))

			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if !strings.Contains(w.Body.String(), tt.page) {
				t.Errorf("page %q does not contain %q", w.Body.String(), tt.page)
			}
			if strings.Contains(w.Body.String(), "c0de") || strings.Contains(w.Body.String(), "<script>") {
				t.Errorf("page shows the code or unescaped input: %q", w.Body.String())
			}

			res := <-results
			if res.code != tt.wantCode {
				t.Errorf("code %q, want %q", res.code, tt.wantCode)
			}
			if tt.wantErr != nil && !errors.Is(res.err, tt.wantErr) {
				t.Errorf("err %v, want %v", res.err, tt.wantErr)
			}
			if tt.wantCode == "" && res.err == nil {
				t.Error("no error and no code")
			}

			// The handler is one-shot.
			w = httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/callback?code=x&state=good", nil))
			if w.Code != http.StatusConflict {
				t.Errorf("second request: status %d, want 409", w.Code)
			}
		})
	}
}

func TestCallbackHandlerIgnoresOtherRequests(t *testing.T) {
	t.Parallel()

	results := make(chan callbackResult, 1)
	h := &callbackHandler{state: "s", results: results}

	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/favicon.ico", nil),
		httptest.NewRequest(http.MethodPost, "/callback?code=x&state=s", nil),
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code < 400 {
			t.Errorf("%s %s: status %d", r.Method, r.URL.Path, w.Code)
		}
	}
	if len(results) != 0 {
		t.Error("a stray request was taken as the result")
	}
}

func TestRedirectURI(t *testing.T) {
	t.Parallel()

	if got := RedirectURI(8719); got != "http://localhost:8719/callback" {
		t.Errorf("RedirectURI = %q", got)
	}
}

func TestBrowserArgs(t *testing.T) {
	t.Parallel()

	const u = "https://login.procore.com/oauth/authorize?x=1"
	tests := []struct {
		cmd  string
		want []string
	}{
		{"firefox", []string{"firefox", u}},
		{"firefox --new-window", []string{"firefox", "--new-window", u}},
		{"lynx -dump '%s'", []string{"lynx", "-dump", "'" + u + "'"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		got := browserArgs(tt.cmd, u)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("browserArgs(%q) = %q, want %q", tt.cmd, got, tt.want)
		}
	}
}

func TestSystemOpenerHonoursBROWSER(t *testing.T) {
	t.Setenv("BROWSER", "/nonexistent/browser-one"+string(pathListSeparator)+"true")

	if err := SystemOpener("http://127.0.0.1:1/"); err != nil {
		t.Errorf("second $BROWSER entry not used: %v", err)
	}

	t.Setenv("BROWSER", "/nonexistent/browser-one")
	if err := SystemOpener("http://127.0.0.1:1/"); err == nil {
		t.Error("no error for a missing browser")
	}
}

func TestTokenErrorText(t *testing.T) {
	t.Parallel()

	err := &TokenError{Op: "refresh", StatusCode: 400, Code: "invalid_grant", Description: "gone"}
	if got := err.Error(); got != "auth: refresh: token endpoint answered 400 Bad Request: invalid_grant: gone" {
		t.Errorf("Error() = %q", got)
	}
	if !err.Rejected() {
		t.Error("invalid_grant not rejected")
	}
	if (&TokenError{StatusCode: 503}).Rejected() {
		t.Error("503 counted as a rejection")
	}
}

const pathListSeparator = filepath.ListSeparator
