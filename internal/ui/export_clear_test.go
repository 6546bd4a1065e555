package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/formats"
)

// TestExportResultClears: the export window's result line speaks of the
// last action only. A new action (New Folder, Export) or a changed choice
// (the file name, the format, the data, a writer setting) clears it.
func TestExportResultClears(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))
	onUI(func() { u.showExport(false) })
	w := u.exportWin

	steps := []struct {
		what string
		do   func()
	}{
		{"a new file name", func() { test.Type(w.name, "x") }},
		{"another format", func() { w.format.SetSelectedIndex(formatIndex(formats.GSI)) }},
		{"a writer setting", func() { test.Tap(w.tenth) }},
		{"other data", func() { w.data.SetSelected(dataChoices[2]) }},
		{"other codes", func() { test.Type(w.codes, "CP") }},
		{"Upload to Procore", func() { w.toProcore.SetChecked(true) }},
		{"New Folder", func() { test.Tap(findButton(w.win.Content(), "New Folder")) }},
		{"Export", func() { test.Tap(w.export) }},
	}
	for _, s := range steps {
		onUI(func() {
			if top := w.win.Canvas().Overlays().Top(); top != nil {
				top.Hide()
			}
			w.result.SetText("The folder was not uploaded.")
			s.do()
			if w.result.Text != "" {
				t.Errorf("after %s the result still says %q", s.what, w.result.Text)
			}
		})
	}
}
