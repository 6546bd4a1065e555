package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestImportPreviewWithoutPoints: the preview of a file that holds a surface
// and no points says what it will import without announcing "First rows as
// read:" over an empty table.
func TestImportPreviewWithoutPoints(t *testing.T) {
	u, file := newImportUI(t, "design_surface.xml", `<?xml version="1.0" encoding="UTF-8"?>
<LandXML xmlns="http://www.landxml.org/schema/LandXML-1.2" version="1.2">
<Units><Metric linearUnit="meter" areaUnit="squareMeter" volumeUnit="cubicMeter"/></Units>
<Surfaces><Surface name="Design FSL"><Definition surfType="TIN"><Pnts>
<P id="1">5000.0 2000.0 100.0</P><P id="2">5010.0 2000.0 100.5</P><P id="3">5000.0 2010.0 100.2</P>
</Pnts><Faces><F>1 2 3</F></Faces></Definition></Surface></Surfaces>
</LandXML>
`)
	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		text := w.step.counts.Text
		if !strings.Contains(text, "1 surface") || strings.Contains(text, "First rows") {
			t.Errorf("preview says %q, want the surface without \"First rows as read:\"", text)
		}
	})
}

// TestImportPreviewNamesDuplicates: the preview counts the file's points and,
// in a project that has points, says that ids it already has follow the
// Duplicates choice (it said "Will import 688 points" and the import then
// skipped 686 of them).
func TestImportPreviewNamesDuplicates(t *testing.T) {
	const note = "Points whose ids the project already has are handled as Duplicates says."
	u, file := newImportUI(t, "pts.csv", "1,5000.125,2000.250,100.5,CP\n")

	for i, want := range []bool{false, true} {
		if i == 1 {
			if err := os.WriteFile(file, []byte("1,5000.5,2000.5,100.5,CP\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		w := startImport(u, file)
		eventually(t, wait, "the preview", func() bool {
			return w.step != nil && !w.step.doImport.Disabled()
		})
		onUI(func() {
			text := w.step.counts.Text
			if !strings.Contains(text, "The file holds 1 point") ||
				strings.Contains(text, note) != want {
				t.Errorf("import %d: preview says %q (want the note: %v)", i+1, text, want)
			}
			test.Tap(w.step.doImport)
		})
		eventually(t, wait, "the summary", func() bool { return w.step == nil && len(w.results) == 1 })
		eventually(t, wait, "the table", func() bool { return u.main.points.rows == 1 })
		onUI(func() { w.win.Close() })
	}
}
