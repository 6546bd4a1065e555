package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/procore"
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

// TestExportResultClearsOnFolder: choosing another Procore folder or project
// clears the result line, which spoke of the old folder; the listing of the
// same folder that follows an upload keeps it.
func TestExportResultClearsOnFolder(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))
	onUI(func() {
		u.showExport(true)
		w := u.exportWin
		b := w.browser
		b.projectID = 1
		b.clearTree()
		root := &procore.Folder{ID: 1, Folders: []procore.Folder{{ID: 2, Name: "Control"},
			{ID: 3, Name: "Topo"}}}
		b.loaded(b.gen, rootID, root, nil)
		b.tree.Select("2")

		const said = "Uploaded to Control as version 4 of the existing control_points.csv."
		w.result.SetText(said)
		b.loaded(b.gen, "2", &procore.Folder{ID: 2}, nil)
		if w.result.Text != said {
			t.Errorf("listing the same folder again changed the result to %q", w.result.Text)
		}

		b.tree.Select("3")
		if w.result.Text != "" {
			t.Errorf("after another folder the result still says %q", w.result.Text)
		}

		w.result.SetText(said)
		b.projects = []procore.Project{{ID: 1}, {ID: 5}}
		b.project.Options = []string{"Riverside", "Harbour"}
		b.project.SetSelectedIndex(1)
		if w.result.Text != "" {
			t.Errorf("after another project the result still says %q", w.result.Text)
		}
	})
}
