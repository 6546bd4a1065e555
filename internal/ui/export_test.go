package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/formats"
)

// folderListing is the sandbox endpoint that lists a folder.
const folderListing = "GET /rest/v1.0/folders/{id}"

// TestExportListsFolderOnce exports onto a name taken in the target folder:
// the folder is listed once, for the newer-version check, and the upload
// takes that listing to add the version.
func TestExportListsFolderOnce(t *testing.T) {
	u, demo := newDemoSession(t, app.Options{}, Options{})
	file := filepath.Join(t.TempDir(), "pts.csv")
	if err := os.WriteFile(file, []byte("1,5000.125,2000.250,100.5,CP\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	iw := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return iw.step != nil && !iw.step.doImport.Disabled()
	})
	onUI(func() { test.Tap(iw.step.doImport) })
	eventually(t, wait, "the import", func() bool { return len(iw.results) == 1 })

	onUI(func() { u.showExport(true) })
	w := u.exportWin
	eventually(t, wait, "the export folder tree", func() bool {
		n := w.browser.nodes[rootID]
		return w.browser.projectID != 0 && n != nil && n.loaded
	})
	openFolder(t, w.browser, "01 Survey", "Control")

	demo.Server.ResetStats()
	onUI(func() {
		w.format.SetSelectedIndex(formatIndex(formats.CSV))
		w.name.SetText("control_points.csv")
		test.Tap(w.export)
	})
	eventually(t, wait, "the export result", func() bool {
		return strings.Contains(w.result.Text, "Uploaded")
	})
	onUI(func() {
		if !strings.Contains(w.result.Text, "as version 4 of the existing") {
			t.Errorf("result = %q, want a new version of the file", w.result.Text)
		}
	})
	if n := demo.Server.Stats().Count(folderListing); n != 1 {
		t.Errorf("the export listed the folder %d times, want once", n)
	}
}
