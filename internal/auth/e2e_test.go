package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/backsight/backsight/internal/auth/authtest"
	"github.com/backsight/backsight/internal/sandbox"
)

// Demo seed credentials of the sandbox.
const (
	demoLogin    = "surveyor@demo.test"
	demoPassword = "backsight-demo"
	demoClientID = "backsight-demo"
	demoSecret   = "backsight-demo-secret"
)

// recorder is an http.RoundTripper that counts token-endpoint requests and
// remembers every secret that crosses the wire (codes, verifiers, tokens),
// so tests can check that none of them reaches a log or an error.
type recorder struct {
	base http.RoundTripper

	mu       sync.Mutex
	grants   map[string]int // grant_type -> requests
	revokes  int
	secrets  map[string]bool
	lastBody map[string]string // last token response, decoded
}

func newRecorder() *recorder {
	return &recorder{
		base:    http.DefaultTransport,
		grants:  map[string]int{},
		secrets: map[string]bool{},
	}
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var form url.Values
	if req.Body != nil && req.Method == http.MethodPost {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ = url.ParseQuery(string(body))
	}

	r.mu.Lock()
	switch req.URL.Path {
	case "/oauth/token":
		r.grants[form.Get("grant_type")]++
	case "/oauth/revoke":
		r.revokes++
	}
	for _, k := range []string{"code", "code_verifier", "refresh_token", "token", "client_secret"} {
		if v := form.Get(k); v != "" {
			r.secrets[v] = true
		}
	}
	if h := req.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		r.secrets[strings.TrimPrefix(h, "Bearer ")] = true
	}
	r.mu.Unlock()

	resp, err := r.base.RoundTrip(req)
	if err != nil || req.URL.Path != "/oauth/token" {
		return resp, err
	}

	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil
	}

	var tok map[string]any
	if json.Unmarshal(body, &tok) == nil {
		r.mu.Lock()
		for _, k := range []string{"access_token", "refresh_token"} {
			if v, ok := tok[k].(string); ok && v != "" {
				r.secrets[v] = true
			}
		}
		r.mu.Unlock()
	}

	return resp, nil
}

func (r *recorder) grantCount(grant string) int {
	r.mu.Lock()
	defer r.mu.Unlock()

	return r.grants[grant]
}

func (r *recorder) allSecrets() []string {
	r.mu.Lock()
	defer r.mu.Unlock()

	out := make([]string, 0, len(r.secrets))
	for s := range r.secrets {
		out = append(out, s)
	}

	return out
}

// e2e is one test's sandbox, recorder, logs and token directory.
type e2e struct {
	t     *testing.T
	srv   *sandbox.Server
	rec   *recorder
	logs  *observer.ObservedLogs
	log   *zap.Logger
	dir   string
	errs  []error
	errMu sync.Mutex
}

func startE2E(t *testing.T, opts sandbox.Options) *e2e {
	t.Helper()

	if opts.Seed == "" {
		opts.Seed = "demo"
	}
	srv, err := sandbox.Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	core, logs := observer.New(zapcore.DebugLevel)
	e := &e2e{t: t, srv: srv, rec: newRecorder(), logs: logs, log: zap.New(core), dir: t.TempDir()}
	t.Cleanup(e.checkNoSecrets)

	return e
}

// session starts a new session as a new process start would: a new store on
// the same directory, a new session loading from it.
func (e *e2e) session(opts Options) *Session {
	e.t.Helper()

	env, err := CustomEnvironment(e.srv.URL(), e.srv.URL())
	if err != nil {
		e.t.Fatal(err)
	}
	store, err := NewFileStore(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}

	opts.Store = store
	opts.HTTPClient = &http.Client{Transport: e.rec, Timeout: 30 * time.Second}
	opts.Logger = e.log
	if opts.Opener == nil {
		opts.Opener = func(string) error { return errors.New("no browser in this test") }
	}

	s, err := NewSession(e.t.Context(), Config{
		Env: env, ClientID: demoClientID, ClientSecret: demoSecret,
	}, opts)
	if err != nil {
		e.t.Fatal(err)
	}

	return s
}

// noteErr keeps err for the secret check at the end of the test.
func (e *e2e) noteErr(err error) error {
	if err != nil {
		e.errMu.Lock()
		e.errs = append(e.errs, err)
		e.errMu.Unlock()
	}

	return err
}

// login signs s in through the loopback listener with the scripted browser.
func (e *e2e) login(s *Session) {
	e.t.Helper()

	ctx, cancel := context.WithTimeout(e.t.Context(), 20*time.Second)
	defer cancel()

	b := authtest.NewBrowser(demoLogin, demoPassword)
	s.opener = b.Opener(ctx)
	if err := e.noteErr(s.Login(ctx, nil)); err != nil {
		page, berr := b.Last()
		e.t.Fatalf("login: %v (browser: %v, last page %d)", err, berr, page.Status)
	}
}

// checkNoSecrets fails the test when a log entry or a noted error contains
// a secret that crossed the wire.
func (e *e2e) checkNoSecrets() {
	secrets := append(e.rec.allSecrets(), demoSecret)

	var texts []string
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	for _, entry := range e.logs.All() {
		buf, err := enc.EncodeEntry(entry.Entry, entry.Context)
		if err != nil {
			e.t.Fatal(err)
		}
		texts = append(texts, buf.String())
		buf.Free()
	}
	e.errMu.Lock()
	for _, err := range e.errs {
		texts = append(texts, err.Error())
	}
	e.errMu.Unlock()

	for _, text := range texts {
		for _, s := range secrets {
			if len(s) >= 6 && strings.Contains(text, s) {
				e.t.Errorf("a secret of %d characters appears in %q", len(s),
					strings.ReplaceAll(text, s, "<SECRET>"))
			}
		}
	}
}
