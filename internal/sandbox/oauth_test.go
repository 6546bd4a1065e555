package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	ticketRe = regexp.MustCompile(`name="consent_ticket" value="([^"]+)"`)
	codeRe   = regexp.MustCompile(`id="code">([^<]+)<`)
)

func postForm(t *testing.T, u string, v url.Values) *http.Response {
	t.Helper()

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}

	return resp
}

func bodyString(t *testing.T, resp *http.Response) string {
	t.Helper()

	defer func() { _ = resp.Body.Close() }()

	b, _ := io.ReadAll(resp.Body)

	return string(b)
}

// signIn runs the browser flow and returns the final consent response.
func signIn(t *testing.T, srv *Server, q url.Values, login, password string) *http.Response {
	t.Helper()

	resp, err := noRedirect.Get(srv.URL() + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}

	page := bodyString(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, DemoSurveyor) {
		t.Fatalf("login page: %d %s", resp.StatusCode, page)
	}

	v := url.Values{}
	for k, x := range q {
		v[k] = x
	}

	v.Set("step", "login")
	v.Set("login", login)
	v.Set("password", password)

	page = bodyString(t, postForm(t, srv.URL()+"/oauth/authorize", v))

	m := ticketRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no consent ticket: %s", page)
	}

	return postForm(t, srv.URL()+"/oauth/authorize", form("step", "consent", "consent_ticket", m[1], "decision", "allow"))
}

func authzQuery(redirect string, extra ...string) url.Values {
	q := form("response_type", "code", "client_id", DemoClientID, "redirect_uri", redirect, "state", "st-123")
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}

	return q
}

func oobCode(t *testing.T, srv *Server, extra ...string) string {
	t.Helper()

	page := bodyString(t, signIn(t, srv, authzQuery(oobURI, extra...), DemoSurveyor, DemoPassword))

	m := codeRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no code on oob page: %s", page)
	}

	return m[1]
}

func tokenCall(t *testing.T, srv *Server, v url.Values, want int) map[string]any {
	t.Helper()

	resp := postForm(t, srv.URL()+"/oauth/token", v)
	out := decode(t, resp, want)
	if out == nil {
		return nil
	}

	return obj(out)
}

func TestOOBFlowAndTokenInfo(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	code := oobCode(t, srv)

	tok := tokenCall(t, srv, form("grant_type", "authorization_code", "client_id", DemoClientID,
		"client_secret", DemoClientSecret, "code", code, "redirect_uri", oobURI), 200)
	if tok["token_type"] != "bearer" || num(tok["expires_in"]) != 5400 || tok["refresh_token"] == "" {
		t.Fatalf("token response: %v", tok)
	}

	// Codes are single-use.
	tokenCall(t, srv, form("grant_type", "authorization_code", "client_id", DemoClientID,
		"client_secret", DemoClientSecret, "code", code, "redirect_uri", oobURI), 400)

	c := &apiClient{t: t, srv: srv, token: tok["access_token"].(string)}
	info := obj(c.call("GET", "/oauth/token/info", nil, 200))
	if obj(info["application"])["uid"] != DemoClientID || num(info["expires_in_seconds"]) <= 0 {
		t.Fatalf("token info: %v", info)
	}

	me := obj(c.call("GET", "/rest/v1.0/me", nil, 200))
	if me["login"] != DemoSurveyor || me["name"] != nil {
		t.Fatalf("me: %v", me)
	}

	me = obj(c.call("GET", "/rest/v1.0/me?company_id=4281379", nil, 200))
	if me["name"] != "Sam Surveyor" {
		t.Fatalf("me with company: %v", me)
	}
}

func TestLoopbackRedirectAnyPort(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})

	for _, redirect := range []string{"http://127.0.0.1:53682/callback", "http://localhost:9/x"} {
		resp := signIn(t, srv, authzQuery(redirect), DemoSurveyor, DemoPassword)
		_ = resp.Body.Close()

		loc, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || err != nil {
			t.Fatalf("%s: status %d", redirect, resp.StatusCode)
		}

		if !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("state") != "st-123" ||
			loc.Query().Get("code") == "" {
			t.Fatalf("redirect %s", loc.Redacted())
		}
	}
}

func TestAuthorizeRejects(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})

	cases := []struct {
		name string
		q    url.Values
		want int
	}{
		{"unknown client", form("response_type", "code", "client_id", "nope", "redirect_uri", oobURI), 400},
		{"unregistered redirect", authzQuery("https://evil.example/cb"), 400},
		{"plain http non-loopback", authzQuery("http://example.com:8080/cb"), 400},
		{"implicit grant", authzQuery("http://127.0.0.1:5000/cb", "response_type", "token"), 302},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := noRedirect.Get(srv.URL() + "/oauth/authorize?" + tc.q.Encode())
			if err != nil {
				t.Fatal(err)
			}

			_ = resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}

	v := authzQuery(oobURI)
	v.Set("step", "login")
	v.Set("login", DemoSurveyor)
	v.Set("password", "wrong")

	if resp := postForm(t, srv.URL()+"/oauth/authorize", v); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
}

func TestCodeExpires(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now})
	code := oobCode(t, srv)

	clk.Add(10*time.Minute + time.Second)
	tokenCall(t, srv, form("grant_type", "authorization_code", "client_id", DemoClientID,
		"client_secret", DemoClientSecret, "code", code, "redirect_uri", oobURI), 400)
}

func TestPKCE(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	cases := []struct {
		name, verifier string
		want           int
	}{
		{"missing verifier", "", 400},
		{"wrong verifier", verifier + "x", 400},
		{"right verifier", verifier, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code := oobCode(t, srv, "code_challenge", challenge, "code_challenge_method", "S256")
			v := form("grant_type", "authorization_code", "client_id", DemoClientID,
				"client_secret", DemoClientSecret, "code", code, "redirect_uri", oobURI)
			if tc.verifier != "" {
				v.Set("code_verifier", tc.verifier)
			}

			tokenCall(t, srv, v, tc.want)
		})
	}
}

func TestTokenBodyEncodings(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})

	send := func(ct string, body io.Reader) int {
		req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL()+"/oauth/token", body)
		req.Header.Set("Content-Type", ct)

		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}

		_ = resp.Body.Close()

		return resp.StatusCode
	}

	fields := map[string]string{"grant_type": "client_credentials", "client_id": DemoClientID,
		"client_secret": DemoClientSecret}

	js, _ := json.Marshal(fields)
	if st := send("application/json", bytes.NewReader(js)); st != 200 {
		t.Errorf("json: %d", st)
	}

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()

	if st := send(mw.FormDataContentType(), &mp); st != 200 {
		t.Errorf("multipart: %d", st)
	}

	v := url.Values{}
	for k, x := range fields {
		v.Set(k, x)
	}

	if st := send("application/x-www-form-urlencoded", strings.NewReader(v.Encode())); st != 200 {
		t.Errorf("form: %d", st)
	}

	v.Set("client_secret", "wrong")
	if st := send("application/x-www-form-urlencoded", strings.NewReader(v.Encode())); st != 401 {
		t.Errorf("wrong secret: %d", st)
	}
}

func TestClientCredentials(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	tok := tokenCall(t, srv, form("grant_type", "client_credentials", "client_id", DemoClientID,
		"client_secret", DemoClientSecret), 200)

	if _, ok := tok["refresh_token"]; ok {
		t.Fatalf("client_credentials gave a refresh token: %v", tok)
	}

	c := &apiClient{t: t, srv: srv, token: tok["access_token"].(string)}
	c.call("GET", "/rest/v1.0/me", nil, 404) // DMSA tokens need the company header

	c.company = DemoCompanyID
	c.call("GET", "/rest/v1.0/me", nil, 200)
	c.call("GET", "/rest/v1.0/folders?"+pq(DemoProjectID), nil, 200)
}

func TestRefreshRotation(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	_, rt, err := srv.IssueToken(DemoSurveyor, DemoClientID)
	if err != nil {
		t.Fatal(err)
	}

	refresh := func(tok, secret string, want int) map[string]any {
		return tokenCall(t, srv, form("grant_type", "refresh_token", "client_id", DemoClientID,
			"client_secret", secret, "refresh_token", tok), want)
	}

	next := refresh(rt, DemoClientSecret, 200)
	rt2 := next["refresh_token"].(string)
	if rt2 == rt || next["access_token"] == "" {
		t.Fatalf("no rotation: %v", next)
	}

	refresh(rt, DemoClientSecret, 400) // used once: dead

	// A failed use (wrong secret) kills the token too.
	refresh(rt2, "wrong", 401)
	refresh(rt2, DemoClientSecret, 400)
}

func TestRevoke(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	at, rt, _ := srv.IssueToken(DemoSurveyor, DemoClientID)

	for _, tok := range []string{at, "not-a-token"} {
		resp := postForm(t, srv.URL()+"/oauth/revoke", form("token", tok, "client_id", DemoClientID))
		if resp.StatusCode != 200 {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}

		_ = resp.Body.Close()
	}

	c := &apiClient{t: t, srv: srv, token: at}
	c.call("GET", "/rest/v1.0/me", nil, 401)
	tokenCall(t, srv, form("grant_type", "refresh_token", "client_id", DemoClientID,
		"client_secret", DemoClientSecret, "refresh_token", rt), 400)
}

func TestAccessTokenExpiry(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now, TokenTTL: time.Minute})
	c := demoClient(t, srv, DemoSurveyor)

	c.call("GET", "/rest/v1.0/me", nil, 200)
	clk.Add(time.Minute)

	resp := c.req("GET", "/rest/v1.0/me", nil, "")
	_ = resp.Body.Close()

	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("expired token: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestConsentDenied(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	q := authzQuery("http://127.0.0.1:4000/cb")

	v := url.Values{}
	for k, x := range q {
		v[k] = x
	}

	v.Set("step", "login")
	v.Set("login", DemoViewer)
	v.Set("password", DemoPassword)

	m := ticketRe.FindStringSubmatch(bodyString(t, postForm(t, srv.URL()+"/oauth/authorize", v)))
	if m == nil {
		t.Fatal("no consent page")
	}

	resp := postForm(t, srv.URL()+"/oauth/authorize", form("step", "consent", "consent_ticket", m[1], "decision", "deny"))
	_ = resp.Body.Close()

	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "st-123" {
		t.Fatalf("deny: %d %s", resp.StatusCode, loc)
	}

	// The ticket is single-use.
	resp = postForm(t, srv.URL()+"/oauth/authorize", form("step", "consent", "consent_ticket", m[1], "decision", "allow"))
	_ = resp.Body.Close()

	if resp.StatusCode != 400 {
		t.Fatalf("reused ticket: %d", resp.StatusCode)
	}
}

func TestRedirectAllowed(t *testing.T) {
	a := &app{RedirectURIs: DemoRedirectURIs}
	b := &app{RedirectURIs: []string{"http://127.0.0.1/callback", "https://example.com/cb"}}

	cases := []struct {
		app  *app
		uri  string
		want bool
	}{
		{a, "http://127.0.0.1:53682/", true},
		{a, "http://127.0.0.1:1/any/path?x=1", true},
		{a, "http://localhost:8080/cb", true},
		{a, "http://[::1]:9000/cb", true},
		{a, oobURI, true},
		{a, "http://127.0.0.2:80/", false},
		{a, "https://127.0.0.1:443/", false},
		{a, "http://127.0.0.1.evil.example:80/", false},
		{a, "http://user@127.0.0.1:80/", false},
		{a, "http://localhost.example.com/", false},
		{b, "http://127.0.0.1:4444/callback", true},
		{b, "http://127.0.0.1:4444/other", false},
		{b, "https://example.com/cb", true},
		{b, "https://example.com/cb/", false},
	}
	for _, tc := range cases {
		if got := redirectAllowed(tc.app, tc.uri); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.uri, got, tc.want)
		}
	}
}

func FuzzRedirectAllowed(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:5/", "http://localhost:1/x", oobURI, "http://evil/", "http://[::1]/"} {
		f.Add(s)
	}

	a := &app{RedirectURIs: DemoRedirectURIs}
	f.Fuzz(func(t *testing.T, uri string) {
		if !redirectAllowed(a, uri) || uri == oobURI {
			return
		}

		u, err := url.Parse(uri)
		if err != nil || u.Scheme != "http" || !isLoopbackHost(u.Hostname()) {
			t.Fatalf("accepted %q", uri)
		}
	})
}
