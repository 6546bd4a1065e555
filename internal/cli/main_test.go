package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/sandbox"
)

// binary is the backsight command built once for every test.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "backsight-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	binary = filepath.Join(dir, "backsight")
	// The nogui build leaves the window out: no cgo, a quick link, and no
	// dependence on the state of internal/ui.
	build := exec.Command("go", "build", "-tags", "nogui", "-o", binary,
		"github.com/backsight/backsight/cmd/backsight")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build backsight:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}

	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is one isolated user (home, config, cache) pointed at a fresh sandbox
// with the demo seed.
type env struct {
	t    *testing.T
	srv  *sandbox.Server
	home string
	vars []string
}

func newEnv(t *testing.T) *env {
	t.Helper()

	opts := sandbox.Options{Seed: "demo"}
	if dir, ok := samplefiles.Dir(); ok {
		opts.SamplesDir = dir
	}
	srv, err := sandbox.Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })

	home := t.TempDir()
	e := &env{t: t, srv: srv, home: home}
	e.vars = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		// No keyring: tokens go to the file store in the isolated home.
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"),
		"BROWSER=true",
		"BACKSIGHT_PROCORE_ENVIRONMENT=custom",
		"BACKSIGHT_PROCORE_LOGIN_URL=" + srv.URL(),
		"BACKSIGHT_PROCORE_API_URL=" + srv.URL(),
		"BACKSIGHT_PROCORE_CLIENT_ID=" + sandbox.DemoClientID,
		"BACKSIGHT_PROCORE_CLIENT_SECRET=" + sandbox.DemoClientSecret,
		"BACKSIGHT_PROCORE_REDIRECT_PORT=0",
	}

	return e
}

// with returns a copy of e with more environment variables.
func (e *env) with(vars ...string) *env {
	cp := *e
	cp.vars = append(append([]string(nil), e.vars...), vars...)

	return &cp
}

// result is what one run of the command printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs backsight with args in dir (the home when empty) and stdin.
func (e *env) runIn(dir, stdin string, args ...string) result {
	e.t.Helper()

	ctx, cancel := context.WithTimeout(e.t.Context(), 60*time.Second)
	defer cancel()

	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = e.vars
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = e.home
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb

	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run backsight %v: %v", args, err)
	}

	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

func (e *env) run(args ...string) result {
	e.t.Helper()

	return e.runIn("", "", args...)
}

// must runs args and fails the test unless the exit status is want.
func (e *env) must(want int, args ...string) result {
	e.t.Helper()

	r := e.run(args...)
	if r.code != want {
		e.t.Fatalf("backsight %s: want exit %d, got %s", strings.Join(args, " "), want, r)
	}

	return r
}

// login stores a token pair for the demo surveyor, as a login would.
func (e *env) login() {
	e.t.Helper()
	e.loginAs(sandbox.DemoSurveyor)
}

// loginAs stores a token pair for user.
func (e *env) loginAs(user string) {
	e.t.Helper()

	access, refresh, err := e.srv.IssueToken(user, sandbox.DemoClientID)
	if err != nil {
		e.t.Fatalf("issue token: %v", err)
	}

	e.storeToken(user, access, refresh, time.Now().Add(time.Hour))
}

// storeToken puts a token pair into the file store as a login would.
func (e *env) storeToken(user, access, refresh string, expiry time.Time) {
	e.t.Helper()

	procoreEnv, err := auth.CustomEnvironment(e.srv.URL(), e.srv.URL())
	if err != nil {
		e.t.Fatal(err)
	}
	store, err := auth.NewFileStore(filepath.Join(e.home, ".config", "backsight", "tokens"))
	if err != nil {
		e.t.Fatal(err)
	}

	now := time.Now()
	err = store.Save(e.t.Context(), auth.StoreKey(procoreEnv, sandbox.DemoClientID), &auth.Record{
		AccessToken: access, RefreshToken: refresh, TokenType: "bearer",
		Expiry: expiry, Obtained: now.Add(-time.Hour),
		Identity: auth.Identity{Login: user},
	})
	if err != nil {
		e.t.Fatalf("store token: %v", err)
	}
}

// decode parses the single JSON document of r's stdout into v.
func decode(t *testing.T, r result, v any) {
	t.Helper()

	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document\n%s", r)
	}
}

// interactive runs backsight in the background and lets the test read its
// stderr line by line while it runs.
type interactive struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	mu     sync.Mutex
	stdout lockedBuffer
	stderr strings.Builder
}

// lockedBuffer is a bytes.Buffer safe to read while the command writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.String()
}

func (it *interactive) stdoutText() string { return it.stdout.String() }

func (e *env) start(args ...string) *interactive {
	e.t.Helper()

	it := &interactive{lines: make(chan string, 100)}
	it.cmd = exec.CommandContext(e.t.Context(), binary, args...)
	it.cmd.Env = e.vars
	it.cmd.Dir = e.home
	it.cmd.Stdout = &it.stdout

	var err error
	if it.stdin, err = it.cmd.StdinPipe(); err != nil {
		e.t.Fatal(err)
	}
	stderr, err := it.cmd.StderrPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := it.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}

	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			it.mu.Lock()
			it.stderr.WriteString(sc.Text() + "\n")
			it.mu.Unlock()
			it.lines <- sc.Text()
		}
		close(it.lines)
	}()

	return it
}

// waitURL returns the first http(s) URL printed on stderr.
func (it *interactive) waitURL(t *testing.T) string {
	t.Helper()

	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-it.lines:
			if !ok {
				t.Fatalf("backsight ended without printing a URL:\n%s", it.errText())
			}
			if s := strings.TrimSpace(line); strings.HasPrefix(s, "http") {
				return s
			}
		case <-timeout:
			t.Fatalf("no URL printed within 30 s:\n%s", it.errText())
		}
	}
}

func (it *interactive) errText() string {
	it.mu.Lock()
	defer it.mu.Unlock()

	return it.stderr.String()
}

// wait waits for the command to end and returns its exit status.
func (it *interactive) wait(t *testing.T) int {
	t.Helper()

	_ = it.stdin.Close()
	for range it.lines {
	}
	err := it.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}

	return 0
}

// checkNoSecrets fails when the log file holds one of the stored tokens or
// any of extra.
func (e *env) checkNoSecrets(extra ...string) {
	e.t.Helper()

	secrets := append([]string(nil), extra...)
	tokens, _ := filepath.Glob(filepath.Join(e.home, ".config", "backsight", "tokens", "*.json"))
	for _, f := range tokens {
		b, err := os.ReadFile(f)
		if err != nil {
			e.t.Fatal(err)
		}
		var rec auth.Record
		if err := json.Unmarshal(b, &rec); err != nil {
			e.t.Fatal(err)
		}
		secrets = append(secrets, rec.AccessToken, rec.RefreshToken)
	}
	if len(tokens) == 0 {
		e.t.Fatal("no stored token to look for")
	}

	logs, err := os.ReadFile(filepath.Join(e.home, ".cache", "backsight", "logs", "backsight.log"))
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range secrets {
		if s != "" && bytes.Contains(logs, []byte(s)) {
			e.t.Errorf("the log file holds a secret (%d bytes long)", len(s))
		}
	}
}
