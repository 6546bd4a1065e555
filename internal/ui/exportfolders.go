package ui

import (
	"context"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/transfer"
)

// newFolder makes a folder inside the selected Procore folder.
func (w *exportWindow) newFolder() {
	w.clearResult()
	n := w.browser.folder()
	if n == nil || w.browser.projectID == 0 {
		dialog.ShowInformation("New Folder", "Choose the Procore folder to create it in.", w.win)
		return
	}
	w.newFolderForm(n, "")
}

// newFolderForm asks for the name of a folder to make inside n, starting
// from name. Enter creates it as Create does; when Procore refuses the
// name (one taken, say), the form comes back with it under the error.
func (w *exportWindow) newFolderForm(n *folderNode, name string) {
	u := w.u
	c, err := u.app.Client()
	if err != nil {
		u.showErrorIn(w.win, "New Folder", err)
		return
	}
	c = c.WithCompany(w.browser.companyID)
	scope, parent := w.browser.scope(), n.id
	entry := widget.NewEntry()
	entry.SetPlaceHolder("Folder name")
	entry.SetText(name)
	// A name brought back after an error is typed on at its end.
	entry.CursorColumn = utf8.RuneCountInString(name)
	where := "Documents"
	if len(n.path) > 0 {
		where += " › " + strings.Join(n.path, " › ")
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Inside", widget.NewLabel(where)),
		widget.NewFormItem("Name", entry),
	}
	d := dialog.NewForm("New Folder", "Create", "Cancel", items, func(ok bool) {
		name := strings.TrimSpace(entry.Text)
		if !ok || name == "" {
			return
		}
		go func() {
			_, _, err := c.Folders.Create(u.ctx, scope, parent, name)
			do(func() {
				if err != nil {
					// The error shows over the form, which keeps the name
					// for another try.
					w.newFolderForm(n, name)
					u.showErrorIn(w.win, "New Folder", err)
					return
				}
				w.browser.reloadFolder(parent)
			})
		}()
	}, w.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(440, 0))
	d.Show()
	w.win.Canvas().Focus(entry)
}

// pickFolder uploads a whole local folder into the selected Procore folder;
// a folder whose name is taken there is refused.
func (w *exportWindow) pickFolder() {
	w.clearResult()
	n := w.browser.folder()
	if !w.procore || n == nil || w.browser.projectID == 0 {
		dialog.ShowInformation("Upload Folder", "Tick Upload to Procore and choose the "+
			"Procore folder first.", w.win)
		return
	}
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err == nil && dir != nil {
			w.uploadFolder(dir.Path())
		}
	}, w.win)
}

// uploadFolder uploads the local folder into the selected Procore folder as
// a new folder; the transfer refuses a name that is taken there, and the
// error dialog explains why.
func (w *exportWindow) uploadFolder(local string) {
	u := w.u
	n := w.browser.folder()
	t, err := u.app.Transferer(w.browser.companyID)
	if err != nil || n == nil {
		u.showErrorIn(w.win, "Upload Folder", err)
		return
	}
	scope, parent := w.browser.scope(), n.id
	w.clearResult()
	job := func(ctx context.Context, p *transfer.Progress) error {
		_, err := t.UploadFolder(ctx, scope, parent, local, p)
		return err
	}
	h := u.runJob("Uploading "+filepath.Base(local), job, func(err error) {
		if err != nil {
			w.result.SetText("The folder was not uploaded.")
			u.showErrorIn(w.win, "Upload Folder", err)
			return
		}
		w.result.SetText("Uploaded the folder " + filepath.Base(local) + ".")
		w.browser.reloadFolder(parent)
	}, w.progress)
	u.trackProcore(h)
}
