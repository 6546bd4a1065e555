package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"golang.org/x/oauth2"
)

// RedirectHost is the host name of the loopback redirect URI,
// http://localhost:PORT/callback, which is what users register with Procore.
// Procore is known to accept http://localhost redirect URIs and to reject
// other plain-HTTP ones, so the name is used rather than the 127.0.0.1
// literal that RFC 8252 prefers. A browser may resolve the name to 127.0.0.1
// or ::1, so the login listens on both at the same port (on 127.0.0.1 only
// when the machine has no IPv6 loopback).
const RedirectHost = "localhost"

// RedirectPath is the path of the loopback redirect URI.
const RedirectPath = "/callback"

// OOBRedirectURI is the redirect URI of the out-of-band flow, where Procore
// shows the code for the user to paste.
const OOBRedirectURI = "urn:ietf:wg:oauth:2.0:oob"

// shutdownGrace bounds the wait for the callback page to be delivered.
const shutdownGrace = 5 * time.Second

// RedirectURI returns the loopback redirect URI for port, the one to register
// with Procore.
func RedirectURI(port int) string {
	return "http://" + net.JoinHostPort(RedirectHost, strconv.Itoa(port)) + RedirectPath
}

// Login signs the user in through the browser. It listens once at the
// configured redirect port on 127.0.0.1 and, when the machine has one, on
// the IPv6 loopback ::1 (see [RedirectHost]), calls showURL with the authorise
// URL (the browser may not open, so the caller shows it for copying), opens
// the browser, waits for the redirect, exchanges the code, stores the new
// token pair and remembers the user's login name. Cancel ctx, or give it a
// deadline, to stop waiting.
//
// A redirect with the wrong state fails with ErrStateMismatch; a refusal at
// Procore fails with an *AuthorizeError. Either way the listeners stop.
func (s *Session) Login(ctx context.Context, showURL func(authURL string)) error {
	lns, err := listenLoopback(net.Listen, s.cfg.RedirectPort, s.logger)
	if err != nil {
		return err
	}

	port := lns[0].Addr().(*net.TCPAddr).Port
	conf := s.oauthConfig(RedirectURI(port))
	state, verifier := randomState(), oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(state, s.challenge(verifier)...)

	results := make(chan callbackResult, 1)
	srv := &http.Server{
		Handler:           &callbackHandler{state: state, results: results},
		ReadHeaderTimeout: 10 * time.Second,
	}
	var serving sync.WaitGroup
	for _, ln := range lns {
		serving.Go(func() { _ = srv.Serve(ln) })
	}

	// Shutdown closes every listener; waiting for Serve to return also
	// covers a listener whose Serve had not started yet.
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		_ = srv.Shutdown(sctx)
		serving.Wait()
	}()

	s.logger.Debug("login started", zap.Int("port", port), zap.Int("listeners", len(lns)))
	if showURL != nil {
		showURL(authURL)
	}
	if err := s.opener(authURL); err != nil {
		s.logger.Info("browser not opened", zap.Error(err))
	}

	var res callbackResult
	select {
	case res = <-results:
	case <-ctx.Done():
		return fmt.Errorf("auth: wait for the login redirect: %w", ctx.Err())
	}
	if res.err != nil {
		s.logger.Debug("login redirect refused", zap.Error(res.err))
		return res.err
	}

	return s.exchange(ctx, conf, res.code, verifier)
}

// OOBLogin is an out-of-band login in progress: show URL to the user, who
// signs in there, and pass the code Procore then displays to Exchange.
type OOBLogin struct {
	// URL is the authorise URL to open in any browser.
	URL string

	s        *Session
	conf     *oauth2.Config
	verifier string
}

// LoginOOB starts an out-of-band login, for when no loopback redirect is
// possible (a remote or headless machine). It makes no request.
func (s *Session) LoginOOB() *OOBLogin {
	conf := s.oauthConfig(OOBRedirectURI)
	verifier := oauth2.GenerateVerifier()

	// Procore shows only the code, so the state cannot be checked here; it
	// is sent because servers may expect one.
	return &OOBLogin{
		URL:      conf.AuthCodeURL(randomState(), s.challenge(verifier)...),
		s:        s,
		conf:     conf,
		verifier: verifier,
	}
}

// Exchange trades the pasted code for a token pair, stores it and remembers
// the user's login name. Surrounding white space in code is ignored.
func (o *OOBLogin) Exchange(ctx context.Context, code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return errors.New("auth: exchange code: empty code")
	}

	return o.s.exchange(ctx, o.conf, code, o.verifier)
}

// OpenBrowser opens url with the session's opener.
func (s *Session) OpenBrowser(url string) error {
	return s.opener(url)
}

// exchange trades code for a token pair and makes it current.
func (s *Session) exchange(ctx context.Context, conf *oauth2.Config, code, verifier string) error {
	var opts []oauth2.AuthCodeOption
	if !s.cfg.DisablePKCE {
		opts = append(opts, oauth2.VerifierOption(verifier))
	}

	start := s.now()
	t, err := conf.Exchange(s.oauthContext(ctx), code, opts...)
	if err != nil {
		err = tokenErr("exchange code", err, s.secrets(code, verifier)...)
		s.logger.Debug("code exchange failed", zap.Error(err))

		return err
	}
	if t.RefreshToken == "" {
		s.logger.Warn("token endpoint sent no refresh token")
	}

	rec := recordFromToken(t, start, Identity{})

	// Save before use: a crash after this point still leaves a usable pair.
	if err := s.store.Save(ctx, s.key, rec); err != nil {
		s.logger.Warn("token not saved", zap.Error(err))
	}

	id, err := s.fetchIdentity(ctx, rec.AccessToken)
	if err != nil {
		s.logger.Warn("login name not fetched", zap.Error(err))
	} else {
		rec.Identity = id
		if err := s.store.Save(ctx, s.key, rec); err != nil {
			s.logger.Warn("token not saved", zap.Error(err))
		}
	}

	s.mu.Lock()
	s.rec = rec
	s.stale = false
	s.gen++
	s.mu.Unlock()

	s.logger.Info("signed in", zap.String("login", id.Login))
	s.notify(StateLoggedIn)

	return nil
}

func (s *Session) challenge(verifier string) []oauth2.AuthCodeOption {
	if s.cfg.DisablePKCE {
		return nil
	}

	return []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
}

// randomState returns 32 random bytes, base64url-encoded.
func randomState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails

	return base64.RawURLEncoding.EncodeToString(b)
}

// callbackResult is what the redirect brought: a code or an error.
type callbackResult struct {
	code string
	err  error
}

// callbackHandler serves the loopback redirect. It answers the first request
// to RedirectPath and passes its result on; later requests get a page saying
// the login is over.
type callbackHandler struct {
	state   string
	results chan<- callbackResult
	taken   atomic.Bool
}

func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != RedirectPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	if !h.taken.CompareAndSwap(false, true) {
		writePage(w, http.StatusConflict, pageOver, "")
		return
	}

	res, status := h.read(r)
	h.results <- res

	if res.err != nil {
		writePage(w, status, pageError, userText(res.err))
		return
	}

	writePage(w, http.StatusOK, pageSignedIn, "")
}

// read checks the redirect's query. The state is checked first, so a
// redirect that is not ours never reaches the token endpoint.
func (h *callbackHandler) read(r *http.Request) (callbackResult, int) {
	q := r.URL.Query()
	if q.Get("state") != h.state {
		return callbackResult{err: ErrStateMismatch}, http.StatusBadRequest
	}
	if e := q.Get("error"); e != "" {
		return callbackResult{err: &AuthorizeError{
			Code:        redactText(e),
			Description: redactText(q.Get("error_description")),
		}}, http.StatusForbidden
	}

	code := q.Get("code")
	if code == "" {
		return callbackResult{err: errors.New("auth: login redirect has no code")},
			http.StatusBadRequest
	}

	return callbackResult{code: code}, http.StatusOK
}
