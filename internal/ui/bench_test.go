package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

// BenchmarkFileList10k measures the time from a 10,000-file folder listing
// arriving to the file list showing it, drawn once (target: 200 ms).
func BenchmarkFileList10k(b *testing.B) {
	fa := test.NewTempApp(b)
	a := newTestApp(b, app.Options{})
	u := newUI(b.Context(), fa, a, Options{})
	b.Cleanup(u.close)

	w := newImportWindow(u)
	w.show(w.browse)
	w.win.Resize(fyne.NewSize(1060, 660))
	br := w.browser

	folder := &procore.Folder{ID: 1, Name: "Documents"}
	for i := range 10_000 {
		folder.Files = append(folder.Files, procore.File{
			ID: int64(i + 1), Name: fmt.Sprintf("scan_%05d.csv", 10_000-i), Size: int64(1000 + i),
			FileVersions: []procore.FileVersion{{ID: int64(i + 1), Number: 1 + i%4,
				CreatedBy: &procore.User{Name: "Sam Surveyor"}}},
		})
	}

	for b.Loop() {
		br.clearTree()
		br.projectID = 1
		br.setFolder(rootID, folder)
		br.tree.Select(rootID)
		w.win.Canvas().Capture()
	}
	if len(br.shown) != 10_000 {
		b.Fatalf("listed %d files", len(br.shown))
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/list")
}

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigProject returns the folder of a real project holding 1,000,000 points,
// built once per test binary.
func bigProject(b *testing.B) string {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "backsight-bench-")
		if bigErr != nil {
			return
		}
		bigDir = filepath.Join(bigDir, "million")
		bigErr = buildProject(context.Background(), bigDir, 1_000_000)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}

	return bigDir
}

func buildProject(ctx context.Context, dir string, n int) error {
	p, err := project.Create(ctx, dir, project.Settings{Name: "Million"})
	if err != nil {
		return err
	}
	defer p.Close()

	_, err = p.ImportStream(ctx, project.SourceInfo{Name: "million.csv", Format: "csv"},
		project.ImportOptions{}, func(ctx context.Context, emit project.EmitFunc) (*survey.Dataset, error) {
			for i := range n {
				err := emit(survey.Point{
					ID: fmt.Sprint(i + 1), Code: "TOPO",
					E: 500_000 + float64(i%1000)*0.25, N: 4_000_000 + float64(i/1000)*0.25,
					Z: 100 + float64(i%13)*0.01, HasZ: true,
				})
				if err != nil {
					return nil, err
				}
			}
			return &survey.Dataset{}, nil
		})

	return err
}

// BenchmarkOpenProject1M measures opening a project of 1,000,000 points until
// the window shows it with the table's first page (target: 1 s). The plan
// view, which reads every point, follows later and is reported apart.
func BenchmarkOpenProject1M(b *testing.B) {
	dir := bigProject(b)
	fa := test.NewTempApp(b)
	a := newTestApp(b, app.Options{})

	var plan, shownTotal time.Duration
	for b.Loop() {
		start := time.Now()
		var u *UI
		onUI(func() { u = newUI(b.Context(), fa, a, Options{ProjectDir: dir}) })
		eventually(b, time.Minute, "the project", func() bool { return u.proj != nil })
		shown := time.Since(start)
		shownTotal += shown
		eventually(b, time.Minute, "the plan", func() bool {
			return u.main.plan.Data().Len() == 1_000_000
		})
		plan += time.Since(start) - shown
		onUI(func() {
			if !u.main.points.cached(0) || u.main.points.rows != 1_000_000 {
				b.Errorf("table rows = %d, first page cached %v", u.main.points.rows, u.main.points.cached(0))
			}
			u.close()
			u.win.Close()
		})
	}
	b.ReportMetric(float64(shownTotal.Milliseconds())/float64(b.N), "shown-ms/op")
	b.ReportMetric(float64(plan.Milliseconds())/float64(b.N), "plan-ms/op")
}

// BenchmarkAppAtRest reports the Go heap in use with the main window open on
// the 1,000,000-point project, its table and plan loaded (target: under
// 150 MiB for the whole app).
func BenchmarkAppAtRest(b *testing.B) {
	dir := bigProject(b)
	fa := test.NewTempApp(b)
	a := newTestApp(b, app.Options{})

	for b.Loop() {
		var u *UI
		onUI(func() { u = newUI(b.Context(), fa, a, Options{ProjectDir: dir}) })
		eventually(b, time.Minute, "the plan", func() bool {
			return u.proj != nil && u.main.plan.Data().Len() == 1_000_000
		})
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "HeapInuse-MiB")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "Sys-MiB")
		onUI(func() {
			u.close()
			u.win.Close()
		})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		_ = os.RemoveAll(filepath.Dir(bigDir))
	}
	os.Exit(code)
}
