package app

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/auth/authtest"
	"github.com/backsight/backsight/internal/config"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/sandbox"
)

// testConfig returns the default configuration, read from an empty file.
func testConfig(t *testing.T) config.Config {
	t.Helper()

	file := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	cfg, err := config.Load(config.Options{File: file, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}

	return cfg
}

func TestNewWithoutClientID(t *testing.T) {
	t.Parallel()

	store, err := auth.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}

	a, err := New(t.Context(), testConfig(t), nil, Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	if _, err := a.Session(); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Session: %v, want ErrNotConfigured", err)
	}
	if _, err := a.Client(); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Client: %v, want ErrNotConfigured", err)
	}
	if a.State() != auth.StateLoggedOut || a.Env().Name != config.EnvProduction {
		t.Errorf("state %v, env %+v", a.State(), a.Env())
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()

	store, err := auth.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}

	browser := authtest.NewBrowser(sandbox.DemoSurveyor, sandbox.DemoPassword)
	a, err := New(t.Context(), testConfig(t), nil, Options{
		Store: store, Opener: browser.Opener(t.Context()),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	var (
		mu     sync.Mutex
		states []auth.State
	)
	a.Subscribe(func(s auth.State) {
		mu.Lock()
		states = append(states, s)
		mu.Unlock()
	})

	dir := t.TempDir()
	demo, err := a.StartDemo(t.Context(), DemoOptions{
		Dir: filepath.Join(dir, "demo"), ProjectDir: filepath.Join(dir, "project"),
	})
	if err != nil {
		t.Fatal(err)
	}

	p := a.Config().Procore
	if p.Environment != config.EnvCustom || p.APIURL != demo.Server.URL() ||
		p.CompanyID != sandbox.DemoCompanyID || p.ProjectID != sandbox.DemoProjectID {
		t.Errorf("demo configuration: %+v", p)
	}
	if _, ok := a.Store().(*auth.FileStore); !ok || a.Store() == auth.Store(store) {
		t.Errorf("demo store is %T, want its own file store", a.Store())
	}
	if err := a.RequireLogin(); !errors.Is(err, auth.ErrLoginRequired) {
		t.Errorf("RequireLogin before login: %v", err)
	}
	proj, err := project.Open(t.Context(), demo.ProjectDir)
	if err != nil {
		t.Fatalf("demo project: %v", err)
	}
	link := proj.Settings().Procore
	proj.Close()
	if link.CompanyID != sandbox.DemoCompanyID || link.ProjectID != sandbox.DemoProjectID {
		t.Errorf("demo project link: %+v", link)
	}

	s, err := a.Session()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Login(t.Context(), nil); err != nil {
		t.Fatalf("login: %v", err)
	}

	c, err := a.Client()
	if err != nil {
		t.Fatal(err)
	}
	me, _, err := c.Me.Get(t.Context())
	if err != nil || me.Login != sandbox.DemoSurveyor {
		t.Fatalf("me: %+v, %v", me, err)
	}

	tr, err := a.Transferer(demo.CompanyID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.ListFolder(t.Context(), procore.ProjectScope(demo.ProjectID), 0); err != nil {
		t.Errorf("list the demo project's root: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(states) == 0 || states[len(states)-1] != auth.StateLoggedIn {
		t.Errorf("state changes: %v", states)
	}
}

func TestNewDemoOpensNoUserStore(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	a, err := New(t.Context(), testConfig(t), nil, Options{
		TokenDir: filepath.Join(dir, "user-tokens"),
		Demo: &DemoOptions{
			Dir: filepath.Join(dir, "demo"), ProjectDir: filepath.Join(dir, "project"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	if a.Demo() == nil || a.Env().Name != config.EnvCustom {
		t.Fatalf("demo not started: %+v", a.Env())
	}
	fs, ok := a.Store().(*auth.FileStore)
	if !ok || fs.Dir() != filepath.Join(dir, "demo", "tokens") {
		t.Errorf("demo store: %T %v", a.Store(), a.Store())
	}
	if _, err := os.Stat(filepath.Join(dir, "user-tokens")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the user's token folder was touched: %v", err)
	}

	// A second demo start reuses the demo project.
	if err := prepareDemoProject(t.Context(), filepath.Join(dir, "project")); err != nil {
		t.Errorf("reopen the demo project: %v", err)
	}
}
