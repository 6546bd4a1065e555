package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
	"github.com/backsight/backsight/internal/survey"
)

// newTestUI opens a UI on the test driver with p as its project and waits
// until the project (and its plan) is shown.
func newTestUI(t *testing.T, p *memProject) *UI {
	t.Helper()
	fa := test.NewTempApp(t)
	a := newTestApp(t, app.Options{})

	var u *UI
	onUI(func() {
		u = newUI(t.Context(), fa, a, Options{ProjectDir: p.dir, OpenProject: openMem(p)})
		u.win.Resize(fyne.NewSize(1200, 780))
	})
	t.Cleanup(func() { onUI(u.close) })

	eventually(t, 5*time.Second, "the project", func() bool {
		return u.proj != nil && u.main.plan.Data().Len() == len(p.ds.Points)
	})

	return u
}

func TestMainWindowGolden(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 40))

	onUI(func() {
		if got := u.win.Title(); got != "Backsight — Riverside" {
			t.Errorf("title = %q", got)
		}
		test.AssertRendersToMarkup(t, "main_window.xml", u.win.Canvas())
	})
}

func TestImportWindowGolden(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() {
		u.showImport(importProcore)
		w := u.importWin.win
		w.Resize(fyne.NewSize(1000, 640))
		test.AssertRendersToMarkup(t, "import_window.xml", w.Canvas())
	})
}

func TestExportWindowGolden(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() { u.showExport(false) })
	eventually(t, 5*time.Second, "the sources", func() bool {
		return len(u.exportWin.sources) == 2
	})
	onUI(func() {
		w := u.exportWin.win
		w.Resize(fyne.NewSize(1000, 640))
		test.AssertRendersToMarkup(t, "export_window.xml", w.Canvas())
	})
}

func TestPointsTableCells(t *testing.T) {
	tests := []struct {
		p    survey.Point
		want []string
	}{
		{survey.Point{ID: "007", E: 1.5, N: 2.25, Z: 3, HasZ: true, Code: "CP 1"},
			[]string{"007", "1.500", "2.250", "3.000", "CP 1"}},
		{survey.Point{ID: "A", E: -1, N: 0}, []string{"A", "-1.000", "0.000", "", ""}},
	}
	for _, tt := range tests {
		for col, want := range tt.want {
			if got := cellText(&tt.p, col, survey.Metre); got != want {
				t.Errorf("point %s column %d = %q, want %q", tt.p.ID, col, got, want)
			}
		}
	}
}

func TestPointsTablePagesOnScroll(t *testing.T) {
	u := newTestUI(t, newMemProject("Big", 100_000))

	onUI(func() {
		if !u.main.points.cached(0) || u.main.points.cached(50_000) {
			t.Fatalf("cache after open: first block %v, middle block %v",
				u.main.points.cached(0), u.main.points.cached(50_000))
		}
		if !strings.Contains(u.main.count.Text, "100,000 points") {
			t.Errorf("count label = %q", u.main.count.Text)
		}
		u.main.points.table.ScrollTo(widgetCell(50_000))
	})
	eventually(t, 5*time.Second, "the block of row 50,000", func() bool {
		return u.main.points.cached(50_000)
	})
	onUI(func() {
		if n := u.main.points.lru.Len(); n > maxBlocks {
			t.Errorf("cache holds %d blocks, more than %d", n, maxBlocks)
		}
	})
}

func TestGroupThousands(t *testing.T) {
	tests := map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"}
	for n, want := range tests {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func widgetCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 0} }

func TestProcorePanelGolden(t *testing.T) {
	p := newMemProject("Riverside", 3)
	p.settings.CompanyID, p.settings.CompanyName = 4281379, "Demo Construction Co."
	p.settings.ProjectID, p.settings.ProjectName = 316469, "Riverside Subdivision Stage 2"
	u := newTestUI(t, p)

	onUI(func() {
		u.showProcorePanel()
		w := u.procore.win
		w.Resize(fyne.NewSize(600, 420))
		test.AssertRendersToMarkup(t, "procore_panel.xml", w.Canvas())
	})
}

// TestImportNameColumnFills widens the import window: the file list's Name
// column takes the spare width, so that long names can be read, and gives it
// back when the window narrows.
func TestImportNameColumnFills(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	nameWidth := func() float32 {
		var width float32
		walk(u.importWin.browser.fileTable, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && l.Text == "Name" {
				width = l.Size().Width
				return false
			}
			return true
		})
		return width
	}
	onUI(func() {
		u.showImport(importProcore)
		w := u.importWin.win
		w.Resize(fyne.NewSize(1400, 640))
		table := u.importWin.browser.fileTable
		// The other columns with a divider each.
		want := table.Size().Width - 6*theme.Padding()
		for i, c := range fileColumns {
			if i != nameColumn {
				want -= c.width
			}
		}
		if got := nameWidth(); got != want {
			t.Errorf("Name column %v wide in a list %v wide, want %v", got,
				table.Size().Width, want)
		}
		w.Resize(fyne.NewSize(1000, 640))
		if got, want := nameWidth(), fileColumns[nameColumn].width; got != want {
			t.Errorf("Name column %v wide after narrowing, want %v", got, want)
		}
	})
}

// TestNoFilesNoteBelowHeader shows an empty folder in a short import window:
// the note saying so stands below the file list's header row instead of
// over it.
func TestNoFilesNoteBelowHeader(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() {
		b := showEmptyFolder(t, u)
		w := u.importWin.win
		for _, h := range []float32{640, 250, 120} {
			w.Resize(fyne.NewSize(540, h))
			abs := fyne.CurrentApp().Driver().AbsolutePositionForObject
			var header fyne.CanvasObject
			walk(b.fileTable, func(o fyne.CanvasObject) bool {
				if l, ok := o.(*widget.Label); ok && l.Text == "Name" {
					header = l
					return false
				}
				return true
			})
			bottom := abs(header).Y + header.Size().Height
			if top := abs(b.noFiles).Y; top < bottom {
				t.Errorf("window %v high: the note starts at %v, above the header's "+
					"bottom at %v", h, top, bottom)
			}
		}
	})
}

// TestExportPickersFit: at the export window's default size the company and
// project pickers show the demo's names whole, not cut off with "…".
func TestExportPickersFit(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() {
		u.showExport(true)
		w := u.exportWin
		b := w.browser
		w.win.Resize(fyne.NewSize(1000, 640)) // the size the window opens at
		b.company.Options = []string{sandbox.DemoCompanyName}
		b.company.SetSelectedIndex(0)
		b.project.Options = []string{"Riverside Subdivision Stage 2"}
		b.project.SetSelectedIndex(0)
		for _, sel := range []*widget.Select{b.company, b.project} {
			walk(sel, func(o fyne.CanvasObject) bool {
				if text, ok := o.(*canvas.Text); ok && text.Text != sel.Selected {
					t.Errorf("picker shows %q for %q", text.Text, sel.Selected)
				}
				return true
			})
		}
	})
}

// TestNoFilesNoteGoesWithFolder: logging out (which resets the browser)
// takes the note about an empty folder away with the folder; it stayed over
// a list that showed no folder at all.
func TestNoFilesNoteGoesWithFolder(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() {
		b := showEmptyFolder(t, u)
		b.reset()
		if b.noFiles.Visible() {
			t.Errorf("after a reset the list still says %q", b.noFiles.Text)
		}
	})
}

// TestFileColumnsFitText: the Size, Version and Last update columns of the
// import window's file list are as wide as their widest text, so that a size
// such as "120.9 KB" is not cut to "120.9 …".
func TestFileColumnsFitText(t *testing.T) {
	test.NewTempApp(t)
	f := procore.File{Size: 1073636966, UpdatedAt: procore.Timestamp{Time: time.Date(2026, 12, 24,
		18, 37, 0, 0, time.Local)}}
	bold := fyne.TextStyle{Bold: true}
	for col := 2; col <= 4; col++ {
		c := fileColumns[col]
		for _, l := range []*widget.Label{
			widget.NewLabelWithStyle(c.title, fyne.TextAlignLeading, bold),
			widget.NewLabel(fileCell(&f, col, false)),
		} {
			if w := l.MinSize().Width; w > c.width {
				t.Errorf("column %s is %v wide, %q needs %v", c.title, c.width, l.Text, w)
			}
		}
	}
}

// showEmptyFolder opens the import window on an empty Procore folder, where
// the note saying so shows. Call on the UI goroutine.
func showEmptyFolder(t *testing.T, u *UI) *procoreBrowser {
	t.Helper()
	u.showImport(importProcore)
	b := u.importWin.browser
	b.projectID = 1
	b.clearTree()
	b.setFolder(rootID, &procore.Folder{ID: 1})
	b.folderSelected(rootID)
	if !b.noFiles.Visible() {
		t.Fatal("the no-files note is not shown for an empty folder")
	}

	return b
}

// TestSourceCounts: a source row says what the source holds; a surface-only
// LandXML said "0 points".
func TestSourceCounts(t *testing.T) {
	tests := []struct {
		s    Source
		want string
	}{
		{Source{Format: "csv", Points: 1311}, "1,311 points"},
		{Source{Format: "landxml", Surfaces: 1}, "1 surface"},
		{Source{Format: "dxf", Points: 11, Lines: 10}, "11 points, 10 lines"},
		{Source{Format: "csv"}, "0 points"},
		{Source{Format: "attachment"}, ""},
	}
	for _, tt := range tests {
		if got := sourceCounts(tt.s); got != tt.want {
			t.Errorf("sourceCounts(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// TestFitFollowsPlan: the plan's Fit button is off while the plan has
// nothing to fit (an empty project), and on once it has.
func TestFitFollowsPlan(t *testing.T) {
	for _, empty := range []bool{true, false} {
		p := newMemProject("Fit", 3)
		if empty {
			p.ds, p.sources = &survey.Dataset{}, nil
		}
		u := newTestUI(t, p)
		onUI(func() {
			if off := u.main.fit.Disabled(); off != empty {
				t.Errorf("empty project %v: Fit disabled = %v", empty, off)
			}
			if got := u.main.plan.Empty(); got != empty {
				t.Errorf("empty project %v: plan empty = %v", empty, got)
			}
		})
	}
}
