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

// fileListLayout lays out the file list and the note that says why it is
// empty (b.fileTable and b.noFiles). The list fills the space and its Name
// column takes the width the other columns leave, so that long names can be
// read in a wide window; the note stands in the middle of the space below
// the header row, which it never covers, however short the window.
type fileListLayout struct{ b *procoreBrowser }

func (l fileListLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	table, note := objects[0], objects[1]
	l.b.fitNameColumn(size.Width)
	table.Move(fyne.NewPos(0, 0))
	table.Resize(size)

	top := l.headerHeight()
	want := note.MinSize()
	w := min(want.Width, size.Width)
	y := top + max(0, (size.Height-top-want.Height)/2)
	note.Move(fyne.NewPos((size.Width-w)/2, y))
	note.Resize(fyne.NewSize(w, want.Height))
}

func (l fileListLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	table, note := objects[0], objects[1]
	size := table.MinSize()
	if note.Visible() {
		size = size.Max(note.MinSize().AddWidthHeight(0, l.headerHeight()))
	}

	return size
}

// headerHeight is the height of the file list's header row with its
// divider.
func (l fileListLayout) headerHeight() float32 {
	return l.b.fileTable.CreateHeader().MinSize().Height + theme.Padding()
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
