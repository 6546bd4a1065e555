package ui

import (
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/survey"
)

// TestImportGSIPolar: a GSI file of polar observations previews as points
// with the form's default (reduce when the file has no coordinates), and
// "Only count them" turns the preview into the observations-only refusal.
func TestImportGSIPolar(t *testing.T) {
	data := "110001+0000STN1 84..00+01000000 85..00+02000000 86..00+00100000 88..00+00001500\r\n" +
		"110002+00000101 21.322+00000000 22.322+10000000 31..00+00010000 87..00+00001500\r\n" +
		"110003+00000102 21.322+10000000 22.322+10000000 31..00+00000000\r\n"
	u, file := newImportUI(t, "raw.gsi", data)

	w := startImport(u, file)
	eventually(t, wait, "the preview", func() bool {
		return w.step != nil && !w.step.doImport.Disabled() && w.step.gsiPolar != nil
	})
	onUI(func() {
		s := w.step
		if s.gsiPolar.Selected != gsiPolarOpts[0] {
			t.Errorf("polar observations = %q, want %q", s.gsiPolar.Selected, gsiPolarOpts[0])
		}
		if len(s.rows) != 1 || !strings.Contains(s.counts.Text, "1 point,") ||
			cellText(&s.rows[0], 2, survey.Metre) != "2010.000" {
			t.Fatalf("preview: %d rows, %q", len(s.rows), s.counts.Text)
		}
		s.gsiPolar.SetSelected("Only count them")
	})
	eventually(t, wait, "the refusal", func() bool {
		return strings.Contains(w.step.counts.Text, "cannot be imported") && w.step.doImport.Disabled()
	})
}
