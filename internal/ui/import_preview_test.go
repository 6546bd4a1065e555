package ui

import (
	"strings"
	"testing"
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
