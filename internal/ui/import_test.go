package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
)

// TestImportLocalFile imports a delimited file from disk into a real project:
// detection, preview, a changed setting, Import, the summary and the table.
func TestImportLocalFile(t *testing.T) {
	data := "Point;North;East;Elev;Code\r\n" +
		"1;5000,125;2000,250;100,5;CP 1\r\n" +
		"2;5001,000;2001,000;;TOPO\r\n" +
		"3;5002,000;2002,000;101,0;\"EDGE\"\r\n"
	u, file := newImportUI(t, "stakeout.txt", data)
	eventually(t, wait, "the note on what to do first", func() bool {
		return u.main.noSources.Visible()
	})

	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		s := w.step
		if !strings.HasPrefix(s.format.Selected, "Delimited") {
			t.Errorf("format = %q", s.format.Selected)
		}
		if len(s.rows) != 3 || !strings.Contains(s.counts.Text, "3 points") {
			t.Fatalf("preview: %d rows, %q", len(s.rows), s.counts.Text)
		}
		if got := cellText(&s.rows[0], 1, survey.Metre); got != "2000.250" {
			t.Errorf("easting of point 1 = %q (decimal comma)", got)
		}
		s.unit.SetSelected("International foot")
	})
	eventually(t, wait, "the preview in feet", func() bool {
		s := w.step
		return !s.doImport.Disabled() && len(s.rows) == 3 && cellText(&s.rows[0], 1, survey.Metre) == "609.676"
	})
	onUI(func() { test.Tap(w.step.doImport) })

	eventually(t, wait, "the summary", func() bool { return len(w.results) == 1 && w.step == nil })
	onUI(func() {
		if r := w.results[0]; r.err != nil || r.res.Counts.Points != 3 {
			t.Fatalf("result = %+v, %v", r.res, r.err)
		}
	})
	eventually(t, wait, "the table", func() bool { return u.main.points.rows == 3 })
	eventually(t, wait, "the source instead of the note", func() bool {
		return !u.main.noSources.Visible() && len(u.main.sourceItems) == 1
	})
	onUI(func() {
		p, ok := u.main.points.point(1)
		if !ok || p.ID != "2" || cellText(p, 3, survey.Metre) != "" {
			t.Errorf("row 2 = %+v (the elevation must stay blank)", p)
		}
	})
}

// TestImportTakesProjectUnit reads a file that names no unit in the unit of
// the project, as the command line does, and offers that unit in the
// export window too.
func TestImportTakesProjectUnit(t *testing.T) {
	u, file := newImportUI(t, "pts.csv", "1,5000.125,2000.250,100.5,CP\n")

	err := u.proj.UpdateSettings(t.Context(), func(ps *ProjectSettings) {
		ps.Unit = survey.USSurveyFoot
	})
	if err != nil {
		t.Fatal(err)
	}

	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled() && len(w.step.rows) == 1
	})
	onUI(func() {
		s := w.step
		if s.unit.Selected != "US survey foot" {
			t.Errorf("unit = %q, want the project's US survey foot", s.unit.Selected)
		}
		if got := cellText(&s.rows[0], 1, survey.Metre); got != "609.677" {
			t.Errorf("easting = %q, want 2000.250 US survey feet in metres", got)
		}
		// The preview shows the project's unit, as the table does.
		if got := cellText(&s.rows[0], 1, s.unitShown()); got != "2000.250" ||
			columnTitle(1, s.unitShown()) != "Easting (usft)" {
			t.Errorf("preview easting = %q in %q, want 2000.250 usft", got, s.unitShown())
		}
		u.showExport(false)
		if got := u.exportWin.unit.Selected; got != "US survey foot" {
			t.Errorf("export unit = %q, want the project's", got)
		}
	})
}

// TestImportAttachment keeps a PDF in the project and says where; the same
// file again is recognised and not added twice.
func TestImportAttachment(t *testing.T) {
	u, file := newImportUI(t, "site plan.pdf", "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")

	importTwice(t, u, file, "kept in the project as Attachments/", "already in the project")
}

// TestImportDataTwice: a data file imported again is already in the
// project, and the summary says so without an attachment path.
func TestImportDataTwice(t *testing.T) {
	u, file := newImportUI(t, "pts.csv", "1,5000.125,2000.250,100.5,CP\n")

	importTwice(t, u, file, "pts.csv: 1 point",
		"pts.csv: already in the project (same content; nothing added)")
}

// importTwice imports file twice with the step's defaults; the summary of
// each import holds its want.
func importTwice(t *testing.T, u *UI, file string, want ...string) {
	t.Helper()
	for i, want := range want {
		w := startImport(u, file)
		eventually(t, wait, "the import step", func() bool {
			return w.step != nil && !w.step.doImport.Disabled()
		})
		onUI(func() { test.Tap(w.step.doImport) })
		eventually(t, wait, "the summary", func() bool { return w.step == nil && len(w.results) == 1 })
		onUI(func() {
			r := w.results[0]
			if r.err != nil {
				t.Fatalf("import %d: %v", i+1, r.err)
			}
			if text := labelsUnder(w.win.Content()); !strings.Contains(text, want) {
				t.Errorf("import %d: summary %q lacks %q", i+1, text, want)
			}
			w.win.Close()
		})
	}
}

// TestImportShowsJobAndCancels runs the import as a job: the status bar
// says "Importing NAME" with Cancel, and Cancel rolls the import back and
// leaves the step open to try again.
func TestImportShowsJobAndCancels(t *testing.T) {
	var b strings.Builder
	for i := range 50000 {
		fmt.Fprintf(&b, "%d,%d.125,%d.5,10.25,TOPO\n", i+1, 5000+i, 7000+i)
	}
	u, file := newImportUI(t, "big.csv", b.String())

	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		test.Tap(w.step.doImport)
		st := u.status.transfer
		if !st.box.Visible() || !strings.HasPrefix(st.what.Text, "Importing big.csv") {
			t.Errorf("status bar: visible %v, %q", st.box.Visible(), st.what.Text)
		}
		test.Tap(st.cancel)
	})

	eventually(t, wait, "the cancelled import", func() bool {
		return w.step != nil && !w.step.doImport.Disabled() && !u.status.transfer.box.Visible()
	})
	onUI(func() {
		if len(w.results) != 0 {
			t.Errorf("results after Cancel: %+v", w.results)
		}
	})
	if n, err := u.proj.PointCount(t.Context()); err != nil || n != 0 {
		t.Errorf("points after Cancel = %d, %v; want the import rolled back", n, err)
	}
}

// TestExportWindowFollowsImport lists a newly imported source in an export
// window that was already open.
func TestExportWindowFollowsImport(t *testing.T) {
	u, file := newImportUI(t, "pts.csv", "1,5000.125,2000.250,100.5,CP\n")
	onUI(func() { u.showExport(false) })

	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() { test.Tap(w.step.doImport) })
	eventually(t, wait, "the new source in the export window", func() bool {
		return u.exportWin != nil && len(u.exportWin.source.Options) == 1 &&
			u.exportWin.source.Options[0] == "pts.csv"
	})
}

// newImportUI writes data to a file called name in a temporary folder and
// opens a UI with a new real project next to it, waiting for the project.
func newImportUI(t *testing.T, name, data string) (*UI, string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	fa := test.NewTempApp(t)
	a := newTestApp(t, app.Options{})
	var u *UI
	onUI(func() { u = newUI(t.Context(), fa, a, Options{ProjectDir: filepath.Join(dir, "project")}) })
	t.Cleanup(func() { onUI(u.close) })
	eventually(t, wait, "the new project", func() bool { return u.proj != nil })

	return u, file
}

// startImport opens the import window on the local file and begins its
// import step.
func startImport(u *UI, file string) *importWindow {
	var w *importWindow
	onUI(func() {
		u.showImport(importLocal)
		u.importWin.beginImport([]queuedFile{{path: file}})
		w = u.importWin
	})

	return w
}

// TestImportTakesShownFormat imports with the format the import step showed,
// detected once by the registry: a file detected as a PDF is kept as an
// attachment even when its bytes read as points by the time Import is
// pressed, where a second detection would have imported them.
func TestImportTakesShownFormat(t *testing.T) {
	u, file := newImportUI(t, "plan.pdf", "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")

	w := startImport(u, file)
	eventually(t, wait, "the import step", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		if got := w.step.detected.Text; got != "not survey data: PDF document" {
			t.Errorf("detected = %q", got)
		}
	})
	if err := os.WriteFile(file, []byte("1,5000.125,2000.250,100.5,CP\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	onUI(func() { test.Tap(w.step.doImport) })

	eventually(t, wait, "the summary", func() bool { return w.step == nil && len(w.results) == 1 })
	onUI(func() {
		if r := w.results[0]; r.err != nil || !r.res.Attachment || r.res.Counts.Points != 0 {
			t.Fatalf("result = %+v, %v; want the file kept as the attachment shown", r.res, r.err)
		}
	})
	sources, err := u.proj.Sources(t.Context())
	if err != nil || len(sources) != 1 || sources[0].Format != "pdf" {
		t.Fatalf("sources = %+v, %v; want one pdf", sources, err)
	}
}

// TestImportStepReadsOnce shows the preview that detected the format
// instead of reading the file again for it, in each format the step
// starts with its defaults.
func TestImportStepReadsOnce(t *testing.T) {
	tests := []struct{ name, data string }{
		{"pts.csv", "1,5000.125,2000.250,100.5,CP\n"},
		{"pts.gsi", "110001+00000101 81..00+00200000 82..00+00500000 83..00+00010000\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var read []string
			count := func(ctx context.Context, path, format string, fs formats.Settings,
			) (*formats.PreviewResult, error) {
				mu.Lock()
				read = append(read, path)
				mu.Unlock()

				return previewFile(ctx, path, format, fs)
			}
			u, file := newImportUI(t, tc.name, tc.data)

			w := startImportReading(u, file, count)
			eventually(t, wait, "the preview", func() bool {
				return w.step != nil && !w.step.doImport.Disabled() && len(w.step.rows) == 1
			})
			mu.Lock()
			defer mu.Unlock()
			if len(read) != 1 || read[0] != file {
				t.Errorf("the step read %q to show its preview, want %q once", read, file)
			}
		})
	}
}

// startImportReading opens the import window and shows the import step of
// the local file as next does, with the step reading its previews with
// read.
func startImportReading(u *UI, file string, read previewReader) *importWindow {
	var w *importWindow
	onUI(func() {
		u.showImport(importLocal)
		w = u.importWin
		w.queue, w.results = nil, nil
		w.step = newImportStepReading(w, queuedFile{path: file}, 1, 1, read)
		w.show(w.step.content)
	})

	return w
}

// TestImportErrorWraps shows why a file cannot be read in a line that wraps:
// the sentence is longer than the window is wide and must not widen it.
func TestImportErrorWraps(t *testing.T) {
	u, file := newImportUI(t, "survey_report.txt",
		"Riverside Subdivision Stage 2 - survey report\n\n"+
			"Control established from CP1 (5000.000 N, 2000.000 E, 100.000 RL).\n"+
			"Topographic pickup completed; see 01 Survey/Topo.\n")

	w := startImport(u, file)
	eventually(t, wait, "the reason the file cannot be read", func() bool {
		return w.step != nil && strings.HasPrefix(w.step.counts.Text, "This file cannot be imported")
	})
	onUI(func() {
		if got := w.step.counts.MinSize().Width; got > 400 {
			t.Errorf("the reason needs %v wide; it must wrap (%q)", got, w.step.counts.Text)
		}
		if got := w.win.Content().MinSize().Width; got > 1060 {
			t.Errorf("the import window needs %v wide, more than its 1060", got)
		}
	})
}

// TestLocalPaneNamesEveryFormat names every survey data format the import
// reads on the local file pane, and says what happens to other files.
func TestLocalPaneNamesEveryFormat(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() {
		u.showImport(importLocal)
		text := labelsUnder(u.importWin.local)
		for _, want := range []string{"CSV", "LandXML", "DXF", "GSI", "GeoJSON", "attachments"} {
			if !strings.Contains(text, want) {
				t.Errorf("local pane %q does not name %s", text, want)
			}
		}
		if len(dataFormats) != 5 {
			t.Errorf("%d data formats; name the new ones on the local pane", len(dataFormats))
		}
	})
}

// TestImportTemplateDetects offers "Detect" as the column order of a
// delimited file, as the other settings do: a file without a header is read
// by its numbers, which "From header" did not say.
func TestImportTemplateDetects(t *testing.T) {
	u, file := newImportUI(t, "topo.asc", "1,538542.57,1455644.371,681.31,I\n")

	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		s := w.step
		if s.template.Text != "Detect" {
			t.Errorf("template = %q, want Detect", s.template.Text)
		}
		if !strings.Contains(s.counts.Text, "Read as PNEZD") {
			t.Errorf("counts = %q, want the order it detected", s.counts.Text)
		}
	})
}

// TestImportPreviewProblem: the preview of a file that cannot be read as the
// chosen format says why and what to do, without the "Nothing was imported"
// of a failed import, which app.UserMessage keeps for the import itself.
func TestImportPreviewProblem(t *testing.T) {
	err := fmt.Errorf("formats: preview: %w", &survey.ParseError{File: "pts.csv", Line: 7,
		Msg: "easting is not a number"})
	want := "This file cannot be imported with these settings (line 7): easting is not a " +
		"number. Choose another format, or change the settings above."
	if got := previewProblem(err); got != want {
		t.Errorf("previewProblem = %q\nwant %q", got, want)
	}
	if msg := app.UserMessage(err); !strings.Contains(msg, "Nothing was imported") {
		t.Errorf("the import's own message lost its ending: %q", msg)
	}

	u, file := newImportUI(t, "survey_report.txt",
		"Riverside Subdivision Stage 2 - survey report\n\n"+
			"Control established from CP1 (5000.000 N, 2000.000 E, 100.000 RL).\n")
	w := startImport(u, file)
	eventually(t, wait, "the reason the file cannot be read", func() bool {
		return w.step != nil && strings.HasPrefix(w.step.counts.Text, "This file cannot be imported")
	})
	onUI(func() {
		text := w.step.counts.Text
		if strings.Contains(text, "Nothing was imported") || !strings.Contains(text,
			"Choose another format") {
			t.Errorf("preview says %q", text)
		}
	})
}
