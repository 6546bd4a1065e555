package ui

import (
	"net/url"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/redact"
)

// showErrorIn shows err in parent: the sentence for the user, the error's own
// (redacted) text behind "Details", and a button that opens the log folder.
// A cancelled job is not an error and shows nothing. The error is logged once
// here, where it is finally handled.
func (u *UI) showErrorIn(parent fyne.Window, title string, err error) {
	if err == nil || errCanceled(err) {
		return
	}
	u.log.Error("operation failed", zap.String("what", title), zap.Error(err))

	msg := widget.NewLabel(app.UserMessage(err))
	msg.Wrapping = fyne.TextWrapWord

	details := widget.NewLabel(redact.String(err.Error()))
	details.Wrapping = fyne.TextWrapWord
	details.Selectable = true
	more := widget.NewAccordion(widget.NewAccordionItem("Details", details))

	logs := widget.NewButtonWithIcon("Open Log Folder", theme.FolderOpenIcon(), u.openLogFolder)
	logs.Importance = widget.LowImportance

	content := container.NewVBox(msg, more, container.NewHBox(logs))
	d := dialog.NewCustom(title, "Close", content, parent)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// openLogFolder opens the folder of the log file in the file manager.
func (u *UI) openLogFolder() {
	dir := u.app.LogDir()
	if dir == "" {
		dialog.ShowInformation("Log folder", "This run of Backsight writes no log file.", u.win)
		return
	}
	target := &url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}
	if err := u.fa.OpenURL(target); err != nil {
		dialog.ShowInformation("Log folder", "The log files are in "+dir, u.win)
	}
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}

	return s
}
