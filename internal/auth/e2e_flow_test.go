package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/auth/authtest"
	"github.com/backsight/backsight/internal/sandbox"
)

const tokenEndpoint = "POST /oauth/token"

// me calls /rest/v1.0/me with tok and returns the status.
func (e *e2e) me(tok string) int {
	e.t.Helper()

	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodGet,
		e.srv.URL()+"/rest/v1.0/me", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()

	return resp.StatusCode
}

// refreshWith sends refreshToken to the sandbox directly and returns the
// status.
func (e *e2e) refreshWith(refreshToken string) int {
	e.t.Helper()

	resp, err := http.PostForm(e.srv.URL()+"/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refreshToken},
		"client_id": {demoClientID}, "client_secret": {demoSecret},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()

	return resp.StatusCode
}

func (e *e2e) stored(s *Session) *Record {
	e.t.Helper()

	rec, err := s.store.Load(e.t.Context(), s.key)
	if err != nil {
		e.t.Fatalf("stored record: %v", err)
	}

	return rec
}

func TestE2ELoginStoredAndReusedByNextStart(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	e.login(s)

	if got := s.WhoAmI(); got.Login != demoLogin {
		t.Errorf("WhoAmI = %+v, want login %s", got, demoLogin)
	}
	tok, err := s.Token(t.Context())
	if e.noteErr(err) != nil {
		t.Fatal(err)
	}
	if st := e.me(tok); st != http.StatusOK {
		t.Fatalf("/me with the new token: %d", st)
	}

	// A second process start: new store and session on the same directory.
	before := e.srv.Stats().Count(tokenEndpoint)
	s2 := e.session(Options{})
	if s2.State() != StateLoggedIn || s2.WhoAmI().Login != demoLogin {
		t.Fatalf("next start: state %v, identity %+v", s2.State(), s2.WhoAmI())
	}
	tok2, err := s2.Token(t.Context())
	if e.noteErr(err) != nil || tok2 != tok {
		t.Fatalf("next start: Token err %v, same token %v", err, tok2 == tok)
	}
	if after := e.srv.Stats().Count(tokenEndpoint); after != before {
		t.Errorf("next start made %d token requests", after-before)
	}
}

func TestE2EListenerPage(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	b := authtest.NewBrowser(demoLogin, demoPassword)

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	s.opener = b.Opener(ctx)
	var shown string
	if err := e.noteErr(s.Login(ctx, func(u string) { shown = u })); err != nil {
		t.Fatal(err)
	}

	page, err := b.Last()
	if err != nil {
		t.Fatal(err)
	}
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "You can close this tab") {
		t.Errorf("listener page %d %q", page.Status, page.Body)
	}
	if page.URL.Hostname() != RedirectHost || page.URL.Path != RedirectPath {
		t.Errorf("redirected to %s://%s%s", page.URL.Scheme, page.URL.Host, page.URL.Path)
	}
	if !strings.HasPrefix(shown, e.srv.URL()+"/oauth/authorize?") {
		t.Errorf("shown URL does not start with the authorise endpoint")
	}
}

func TestE2EConcurrentExpiredTokenRefreshesOnce(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	base := time.Now()
	var clock atomic.Pointer[time.Time]
	clock.Store(&base)
	s := e.session(Options{Now: func() time.Time { return *clock.Load() }})
	e.login(s)
	old := e.stored(s)

	// The access token expires at the sandbox and on the session's clock.
	e.srv.ExpireAccessTokens()
	later := base.Add(2 * time.Hour)
	clock.Store(&later)
	before := e.srv.Stats().Count(tokenEndpoint)

	const n = 10
	tokens := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tok, err := s.Token(t.Context())
			if e.noteErr(err) != nil {
				t.Errorf("call %d: %v", i, err)
			}
			tokens[i] = tok
		})
	}
	wg.Wait()

	if got := e.srv.Stats().Count(tokenEndpoint) - before; got != 1 {
		t.Fatalf("%d token requests, want 1", got)
	}
	for i, tok := range tokens {
		if tok != tokens[0] || tok == old.AccessToken {
			t.Fatalf("call %d: different or old token", i)
		}
	}
	if st := e.me(tokens[0]); st != http.StatusOK {
		t.Fatalf("/me with the refreshed token: %d", st)
	}

	// The new pair was stored and its refresh token is not burned: the next
	// start refreshes with it.
	rec := e.stored(s)
	if rec.AccessToken != tokens[0] || rec.RefreshToken == old.RefreshToken {
		t.Fatal("the refreshed pair is not the stored one")
	}
	s2 := e.session(Options{})
	s2.Invalidate(rec.AccessToken)
	tok, err := s2.Token(t.Context())
	if e.noteErr(err) != nil || tok == rec.AccessToken {
		t.Fatalf("refresh with the stored refresh token: %v", err)
	}
	if st := e.me(tok); st != http.StatusOK {
		t.Fatalf("/me after the second refresh: %d", st)
	}
}

func TestE2EConcurrentInvalidateRefreshesOnce(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	e.login(s)

	old, err := s.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ExpireAccessTokens()
	if st := e.me(old); st != http.StatusUnauthorized {
		t.Fatalf("/me with an expired token: %d", st)
	}
	before := e.srv.Stats().Count(tokenEndpoint)

	// Ten API calls got 401 at the same moment, as the Procore client would
	// report them: Invalidate, then Token for the retry.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			s.Invalidate(old)
			tok, err := s.Token(t.Context())
			if e.noteErr(err) != nil || tok == old {
				t.Errorf("retry token: %v", err)
			}
		})
	}
	wg.Wait()

	if got := e.srv.Stats().Count(tokenEndpoint) - before; got != 1 {
		t.Errorf("%d token requests, want 1", got)
	}
}

func TestE2EStateMismatchRefused(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	b := authtest.NewBrowser(demoLogin, demoPassword)

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	s.opener = func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		q.Set("state", "forged-state")
		u.RawQuery = q.Encode()
		_, err = b.Open(ctx, u.String())
		return err
	}

	err := e.noteErr(s.Login(ctx, nil))
	if !errors.Is(err, ErrStateMismatch) {
		t.Fatalf("err = %v, want ErrStateMismatch", err)
	}
	if page, _ := b.Last(); page.Status != http.StatusBadRequest ||
		!strings.Contains(page.Body, "could not sign in") {
		t.Errorf("listener page %d %q", page.Status, page.Body)
	}
	if s.State() != StateLoggedOut {
		t.Error("logged in after a state mismatch")
	}
	if n := e.rec.grantCount("authorization_code"); n != 0 {
		t.Errorf("%d code exchanges after a state mismatch", n)
	}
}

func TestE2EConsentDenied(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	b := authtest.NewBrowser(demoLogin, demoPassword)
	b.Deny = true

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	s.opener = b.Opener(ctx)

	err := e.noteErr(s.Login(ctx, nil))
	var ae *AuthorizeError
	if !errors.As(err, &ae) || ae.Code != "access_denied" {
		t.Fatalf("err = %v, want an access_denied AuthorizeError", err)
	}
}

func TestE2ERevokedSessionLogsOut(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	var states []State
	var mu sync.Mutex
	s := e.session(Options{OnStateChange: func(st State) {
		mu.Lock()
		states = append(states, st)
		mu.Unlock()
	}})
	e.login(s)
	rec := e.stored(s)

	// Procore kills the pair behind Backsight's back (revoked in another
	// app, or the user removed the app).
	resp, err := http.PostForm(e.srv.URL()+"/oauth/revoke", url.Values{
		"token": {rec.RefreshToken}, "client_id": {demoClientID}, "client_secret": {demoSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	s.rejectGrace = 0 // no other process will store a pair
	s.Invalidate(rec.AccessToken)
	for i := range 3 {
		_, err := s.Token(t.Context())
		if !errors.Is(e.noteErr(err), ErrLoginRequired) {
			t.Fatalf("call %d: err = %v, want ErrLoginRequired", i, err)
		}
	}

	if n := e.rec.grantCount("refresh_token"); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}
	if s.State() != StateLoggedOut {
		t.Error("state is not logged out")
	}
	mu.Lock()
	want := []State{StateLoggedIn, StateLoggedOut}
	if len(states) != 2 || states[0] != want[0] || states[1] != want[1] {
		t.Errorf("state changes %v, want %v", states, want)
	}
	mu.Unlock()
	if _, err := s.store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
		t.Errorf("dead pair still stored: %v", err)
	}
	if ErrLoginRequired.Error() != "You are not logged in to Procore, or your login has ended. Log in and try again." {
		t.Errorf("message %q", ErrLoginRequired)
	}
}

func TestE2EOutOfBand(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})

	o := s.LoginOOB()
	u, err := url.Parse(o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("redirect_uri"); got != OOBRedirectURI {
		t.Errorf("redirect_uri = %q", got)
	}

	b := authtest.NewBrowser(demoLogin, demoPassword)
	code, err := b.OOBCode(t.Context(), o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.noteErr(o.Exchange(t.Context(), "  "+code+"\n")); err != nil {
		t.Fatal(err)
	}

	if s.State() != StateLoggedIn || s.WhoAmI().Login != demoLogin {
		t.Fatalf("after oob: %v %+v", s.State(), s.WhoAmI())
	}
	tok, err := s.Token(t.Context())
	if e.noteErr(err) != nil || e.me(tok) != http.StatusOK {
		t.Fatalf("token after oob: %v", err)
	}

	// The code is single-use.
	if err := e.noteErr(o.Exchange(t.Context(), code)); err == nil {
		t.Error("a used code was accepted again")
	}
}

func TestE2ELoginWithoutPKCE(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	s.cfg.DisablePKCE = true

	o := s.LoginOOB()
	if strings.Contains(o.URL, "code_challenge") {
		t.Fatal("challenge sent with PKCE disabled")
	}

	code, err := authtest.NewBrowser(demoLogin, demoPassword).OOBCode(t.Context(), o.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.noteErr(o.Exchange(t.Context(), code)); err != nil {
		t.Fatal(err)
	}
}

func TestE2EWrongVerifierRefused(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})

	o := s.LoginOOB()
	code, err := authtest.NewBrowser(demoLogin, demoPassword).OOBCode(t.Context(), o.URL)
	if err != nil {
		t.Fatal(err)
	}

	o.verifier = strings.Repeat("x", 50)
	err = e.noteErr(o.Exchange(t.Context(), code))
	var te *TokenError
	if !errors.As(err, &te) || !te.Rejected() {
		t.Fatalf("err = %v, want a rejected TokenError", err)
	}
}

func TestE2ELogoutRevokes(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	e.login(s)
	rec := e.stored(s)

	res, err := s.Logout(t.Context())
	if e.noteErr(err) != nil {
		t.Fatal(err)
	}
	if !res.Revoked || !res.WasLoggedIn {
		t.Errorf("result %+v", res)
	}
	if st := e.refreshWith(rec.RefreshToken); st != http.StatusBadRequest && st != http.StatusUnauthorized {
		t.Errorf("old refresh token answered %d after logout", st)
	}
	if st := e.me(rec.AccessToken); st != http.StatusUnauthorized {
		t.Errorf("old access token answered %d after logout", st)
	}
	if _, err := s.store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
		t.Errorf("token still stored: %v", err)
	}
	if _, err := s.Token(t.Context()); !errors.Is(err, ErrLoginRequired) {
		t.Errorf("Token after logout: %v", err)
	}
	if e.session(Options{}).State() != StateLoggedOut {
		t.Error("next start is logged in after logout")
	}
}

func TestE2ELogoutServerDown(t *testing.T) {
	t.Parallel()

	e := startE2E(t, sandbox.Options{})
	s := e.session(Options{})
	e.login(s)
	e.srv.Close()

	res, err := s.Logout(t.Context())
	if e.noteErr(err) != nil {
		t.Fatalf("logout with the server down failed: %v", err)
	}
	if res.Revoked || res.RevokeErr == nil || !res.WasLoggedIn {
		t.Errorf("result %+v, want not revoked with a reason", res)
	}
	e.noteErr(res.RevokeErr)
	if !strings.Contains(res.Message(), "could not be reached") {
		t.Errorf("message %q", res.Message())
	}
	if s.State() != StateLoggedOut || e.session(Options{}).State() != StateLoggedOut {
		t.Error("still logged in after logout")
	}
}
