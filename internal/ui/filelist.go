package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/procore"
)

// applyFilter shows the selected folder's files whose names contain the
// filter text (ignoring case).
func (b *procoreBrowser) applyFilter() {
	b.shown = b.shown[:0]
	n := b.folder()
	if n != nil {
		b.shown = filterFiles(b.shown, n.files, b.filter.Text)
	}
	b.fileTable.Refresh()

	if b.noFiles == nil {
		return
	}
	switch {
	case n == nil || !n.loaded || len(b.shown) > 0:
		b.noFiles.Hide()
		return
	case len(n.files) == 0:
		b.noFiles.SetText("No files in this folder.")
	default:
		b.noFiles.SetText("No file name here contains \"" + strings.TrimSpace(b.filter.Text) + "\".")
	}
	b.noFiles.Show()
}

// fileListLayout lays out the file list (its first object) and what stands
// over it: the list fills the space and its Name column takes the width the
// other columns leave, so that long names can be read in a wide window.
type fileListLayout struct{ b *procoreBrowser }

func (l fileListLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.b.fitNameColumn(size.Width)
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l fileListLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objects {
		if o.Visible() {
			min = min.Max(o.MinSize())
		}
	}

	return min
}

// fitNameColumn widens the Name column of the file list to what a list width
// wide leaves over from the other columns, keeping at least its own width.
func (b *procoreBrowser) fitNameColumn(width float32) {
	rest := float32(len(fileColumns)) * theme.Padding() // the dividers
	for i, c := range fileColumns {
		if i != nameColumn {
			rest += c.width
		}
	}
	b.fileTable.SetColumnWidth(nameColumn, max(fileColumns[nameColumn].width, width-rest))
}

func filterFiles(dst, files []procore.File, text string) []procore.File {
	text = strings.ToLower(strings.TrimSpace(text))
	for _, f := range files {
		if text == "" || strings.Contains(strings.ToLower(f.Name), text) {
			dst = append(dst, f)
		}
	}

	return dst
}

func (b *procoreBrowser) updateFileCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(b.shown) {
		l.SetText("")
		return
	}
	f := &b.shown[id.Row]
	l.SetText(fileCell(f, id.Col, b.marked[f.ID]))
}

// fileCell formats one cell of the file list.
func fileCell(f *procore.File, col int, marked bool) string {
	v := f.LatestVersion()
	switch col {
	case 0:
		if marked {
			return "•"
		}
		return ""
	case 1:
		return f.Name
	case 2:
		return humanBytes(f.Size)
	case 3:
		if v == nil {
			return ""
		}
		return strconv.Itoa(v.Number)
	case 4:
		return f.UpdatedAt.Time.Local().Format(time.DateTime[:16])
	case 5:
		if v != nil && v.CreatedBy != nil {
			return v.CreatedBy.Name
		}
	}

	return ""
}

// markedFiles returns the highlighted files of the selected folder.
func (b *procoreBrowser) markedFiles() []procore.File {
	var out []procore.File
	if n := b.folder(); n != nil {
		for _, f := range n.files {
			if b.marked[f.ID] {
				out = append(out, f)
			}
		}
	}

	return out
}

// mark highlights the file called name in the selected folder (for tests and
// keyboard users); it reports whether the file was found.
func (b *procoreBrowser) mark(name string) bool {
	n := b.folder()
	if n == nil {
		return false
	}
	for _, f := range n.files {
		if f.Name == name {
			b.marked[f.ID] = true
			b.fileTable.Refresh()
			return true
		}
	}

	return false
}
