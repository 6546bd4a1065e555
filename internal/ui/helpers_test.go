package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/config"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
)

// onUI runs fn under the lock that the package's goroutines take around their
// widget changes (see thread.go), so a test touches widgets without racing.
func onUI(fn func()) {
	uiMu.Lock()
	defer uiMu.Unlock()

	fn()
}

// eventually polls cond (under the UI lock) until it holds or the deadline
// passes.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		onUI(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// testConfig returns the default configuration, ignoring any file and
// environment of the machine running the tests.
func testConfig(t testing.TB) config.Config {
	t.Helper()
	file := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(file, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{File: file, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}

	return cfg
}

// newTestApp returns an App without Procore configuration, logging nothing.
func newTestApp(t testing.TB, opts app.Options) *app.App {
	t.Helper()
	if opts.Store == nil {
		store, err := auth.NewFileStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		opts.Store = store
	}
	a, err := app.New(context.Background(), testConfig(t), zap.NewNop(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })

	return a
}

// memProject is a Project held in memory, for goldens and benchmarks.
type memProject struct {
	name string
	dir  string

	mu       sync.Mutex // guards settings
	settings ProjectSettings
	sources  []Source
	ds       *survey.Dataset
}

func newMemProject(name string, points int) *memProject {
	ds := &survey.Dataset{Points: make([]survey.Point, points)}
	for i := range ds.Points {
		ds.Points[i] = survey.Point{
			ID: fmt.Sprint(i + 1), Code: []string{"TOPO", "CP", "EDGE"}[i%3],
			E: 2_000 + float64(i%1000)*0.5, N: 5_000 + float64(i/1000)*0.5,
			Z: 100 + float64(i%7)*0.1, HasZ: i%5 != 4,
		}
	}
	ds.Lines = []survey.Line{{Code: "EDGE", Vertices: []survey.Vertex{
		{E: 2_000, N: 5_000}, {E: 2_010, N: 5_004}, {E: 2_020, N: 5_002},
	}}}

	return &memProject{
		name: name, dir: "/projects/" + name,
		settings: ProjectSettings{Name: name},
		sources: []Source{
			{ID: 1, FileName: "control_points.csv", Format: "csv", Points: 3,
				Procore: &ProcoreOrigin{FileID: 7, Version: 2}, NewerVersion: 3},
			{ID: 2, FileName: "topo.asc", Format: "csv", Points: points - 3},
		},
		ds: ds,
	}
}

func (m *memProject) Name() string                              { return m.name }
func (m *memProject) Dir() string                               { return m.dir }
func (m *memProject) ExportDir() (string, error)                { return filepath.Join(m.dir, "Exports"), nil }
func (m *memProject) Close() error                              { return nil }
func (m *memProject) Sources(context.Context) ([]Source, error) { return m.sources, nil }

func (m *memProject) Settings() ProjectSettings {
	m.mu.Lock()
	defer m.mu.Unlock()

	return m.settings
}

func (m *memProject) UpdateSettings(_ context.Context, change func(*ProjectSettings)) error {
	m.mu.Lock()
	defer m.mu.Unlock()

	change(&m.settings)

	return nil
}

func (m *memProject) PointCount(context.Context) (int, error) { return len(m.ds.Points), nil }

func (m *memProject) Points(_ context.Context, offset, limit int) ([]survey.Point, error) {
	end := min(offset+limit, len(m.ds.Points))
	if offset >= end {
		return nil, nil
	}

	return append([]survey.Point(nil), m.ds.Points[offset:end]...), nil
}

func (m *memProject) Dataset(context.Context, Filter) (*survey.Dataset, error) { return m.ds, nil }

func (m *memProject) ExportFile(ctx context.Context, path, format string, _ Filter,
	fs formats.Settings,
) (*ExportResult, error) {
	var b bytes.Buffer
	if err := formats.Write(ctx, &b, format, m.ds, fs); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return nil, err
	}

	return &ExportResult{Counts: m.ds.Counts()}, nil
}

func (m *memProject) Import(context.Context, ImportRequest) (*ImportResult, error) {
	return nil, fmt.Errorf("memProject: import not supported")
}

func openMem(p *memProject) func(context.Context, string, bool) (Project, error) {
	return func(context.Context, string, bool) (Project, error) { return p, nil }
}

// findButton returns the first visible button labelled text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	walk(o, func(c fyne.CanvasObject) bool {
		if b, ok := c.(*widget.Button); ok && b.Visible() && b.Text == text {
			found = b
			return false
		}
		return true
	})

	return found
}

// overlayButton returns the button labelled text on the top overlay (a
// dialog) of w.
func overlayButton(w fyne.Window, text string) *widget.Button {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}

	return findButton(top, text)
}

// walk visits o and the objects rendered under it, depth first, until fn
// returns false.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) bool {
	if !fn(o) {
		return false
	}
	var kids []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		kids = v.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(v).Objects()
	}
	for _, k := range kids {
		if !walk(k, fn) {
			return false
		}
	}

	return true
}

// labelsUnder joins the text of every label under o, for assertions.
func labelsUnder(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, func(c fyne.CanvasObject) bool {
		if l, ok := c.(*widget.Label); ok {
			b.WriteString(l.Text)
			b.WriteByte('\n')
		}
		return true
	})

	return b.String()
}
