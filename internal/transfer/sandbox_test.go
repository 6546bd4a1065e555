package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// env is one sandbox with a client signed in as the demo surveyor.
type env struct {
	t      *testing.T
	srv    *sandbox.Server
	tokens *refreshingTokens
	client *procore.Client
	tr     *Transferer
	scope  procore.Scope
	logs   *observer.ObservedLogs
	spy    *spyTransport
}

// refreshingTokens hands out sandbox tokens and gets a new one after an
// Invalidate, like internal/auth does with a refresh. It remembers every
// token it handed out so that tests can look for leaks.
type refreshingTokens struct {
	srv *sandbox.Server

	mu      sync.Mutex
	current string
	all     []string
	renewed int
}

func (r *refreshingTokens) Token(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()

	if r.current == "" {
		if err := r.issue(); err != nil {
			return "", err
		}
	}

	return r.current, nil
}

func (r *refreshingTokens) Invalidate(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()

	if tok == r.current {
		r.current = ""
		r.renewed++
	}
}

func (r *refreshingTokens) issue() error {
	access, refresh, err := r.srv.IssueToken(sandbox.DemoSurveyor, sandbox.DemoClientID)
	if err != nil {
		return err
	}

	r.current = access
	r.all = append(r.all, access, refresh)

	return nil
}

func (r *refreshingTokens) secrets() []string {
	r.mu.Lock()
	defer r.mu.Unlock()

	return append([]string(nil), r.all...)
}

// spyTransport records the requests that carried an Authorization header,
// by host.
type spyTransport struct {
	mu       sync.Mutex
	authHost map[string]int
	hosts    map[string]int
}

func (s *spyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.hosts[r.URL.Host]++
	if r.Header.Get("Authorization") != "" {
		s.authHost[r.URL.Host]++
	}
	s.mu.Unlock()

	return http.DefaultTransport.RoundTrip(r)
}

func (s *spyTransport) counts(host string) (all, withAuth int) {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.hosts[host], s.authHost[host]
}

func newEnv(t *testing.T, o sandbox.Options, topts Options) *env {
	t.Helper()

	o.Seed = "demo"
	if o.RateSpike == 0 {
		o.RateSpike = -1
	}

	if o.RateHourly == 0 {
		o.RateHourly = -1
	}

	srv, err := sandbox.Start(t.Context(), o)
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(core)
	spy := &spyTransport{authHost: map[string]int{}, hosts: map[string]int{}}
	tokens := &refreshingTokens{srv: srv}
	c, err := procore.NewClient(srv.URL(), tokens,
		procore.WithCompanyID(sandbox.DemoCompanyID),
		procore.WithLogger(log),
		procore.WithHTTPClient(&http.Client{Transport: spy}),
		procore.WithRetryPolicy(procore.RetryPolicy{
			MaxAttempts: 8, BaseDelay: 5e6, MaxDelay: 100e6, MaxRetryAfter: 30e9,
		}))
	if err != nil {
		t.Fatal(err)
	}

	topts.Logger = log
	e := &env{
		t: t, srv: srv, tokens: tokens, client: c, tr: New(c, topts),
		scope: procore.ProjectScope(sandbox.DemoProjectID), logs: logs, spy: spy,
	}
	t.Cleanup(e.checkNoSecrets)

	return e
}

// folder makes a fresh folder below the project root for one test.
func (e *env) folder(path string) int64 {
	e.t.Helper()

	id, err := e.srv.AddFolder(sandbox.DemoProjectID, path)
	if err != nil {
		e.t.Fatal(err)
	}

	return id
}

// signedQuery finds a query value that should have been masked.
var signedQuery = regexp.MustCompile(`(?i)(sig|signature|credential|x-amz-[a-z-]+|token|code|policy)=([^&\s"]+)`)

// checkNoSecrets fails when a log entry carries a token, or a signed URL's
// query that was not masked.
func (e *env) checkNoSecrets() {
	secrets := e.tokens.secrets()
	enc := zapcore.NewJSONEncoder(zap.NewDevelopmentEncoderConfig())
	for _, entry := range e.logs.All() {
		buf, err := enc.EncodeEntry(entry.Entry, entry.Context)
		if err != nil {
			e.t.Fatal(err)
		}

		line := buf.String()
		buf.Free()
		assertClean(e.t, "log line", line, secrets)
	}
}

// assertClean fails when text carries a secret or an unmasked signed query.
func assertClean(t *testing.T, what, text string, secrets []string) {
	t.Helper()

	for _, l := range leaks(text, secrets) {
		t.Errorf("%s carries %s: %s", what, l, text)
	}
}

// leaks lists the secrets and unmasked signed query values found in text.
func leaks(text string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			out = append(out, "a token")
		}
	}

	for _, m := range signedQuery.FindAllStringSubmatch(text, -1) {
		if v, _ := url.QueryUnescape(m[2]); v != "REDACTED" && m[2] != "REDACTED" {
			out = append(out, "the signed query value "+m[1])
		}
	}

	return out
}

func TestLeakCheckFindsLeaks(t *testing.T) {
	t.Parallel()

	tok := "0123456789abcdef0123456789abcdef"
	for _, text := range []string{
		"GET http://h/fas/api/v5/files/1?companyId=1&sig=6999702089ab",
		"PUT http://s/parts/1?X-Amz-Signature=abc&X-Amz-Credential=def",
		`token ` + tok,
	} {
		if len(leaks(text, []string{tok})) == 0 {
			t.Errorf("no leak found in %q", text)
		}
	}

	if l := leaks("GET http://h/fas/api/v5/files/1?REDACTED status 200", []string{tok}); len(l) != 0 {
		t.Errorf("false leak: %v", l)
	}
}

// randomFile writes size random bytes into dir/name and returns its SHA-256.
func randomFile(t *testing.T, dir, name string, size int64, seed uint64) (string, string) {
	t.Helper()

	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	h := sha256.New()
	r := rand.New(rand.NewPCG(seed, uint64(size)))
	buf := make([]byte, 64<<10)
	for left := size; left > 0; {
		n := min(int64(len(buf)), left)
		for i := 0; i < len(buf); i += 8 {
			binary.LittleEndian.PutUint64(buf[i:], r.Uint64())
		}

		if _, err := io.MultiWriter(f, h).Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		left -= n
	}

	return path, hex.EncodeToString(h.Sum(nil))
}

// fileSHA returns the SHA-256 of a local file.
func fileSHA(t *testing.T, path string) string {
	t.Helper()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// noTempFiles fails when a download left a temporary file below dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()

	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(d.Name(), ".part") {
			t.Errorf("temporary file left: %s", p)
		}

		return nil
	})
}

// remoteFile finds a file by exact name in a folder.
func (e *env) remoteFile(folderID int64, name string) (procore.File, int) {
	e.t.Helper()

	f, err := e.tr.ListFolder(e.t.Context(), e.scope, folderID)
	if err != nil {
		e.t.Fatal(err)
	}

	var (
		found procore.File
		n     int
	)
	for _, file := range f.Files {
		if strings.EqualFold(file.Name, name) {
			found = file
			n++
		}
	}

	return found, n
}

// downloadLatest downloads the newest version of a remote file into dir.
func (e *env) downloadLatest(ctx context.Context, file procore.File, dir string) (*DownloadResult, error) {
	full, _, err := e.client.Files.Get(ctx, e.scope, file.ID, false)
	if err != nil {
		return nil, err
	}

	v := full.LatestVersion()
	if v == nil {
		return nil, fmt.Errorf("no version")
	}

	return e.tr.Download(ctx, DownloadRequest{Version: *v, Path: []string{full.Name}, DestDir: dir}, nil)
}
