package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

// importKind is where an import starts.
type importKind int

const (
	importProcore importKind = iota
	importLocal
)

// queuedFile is a local file waiting for the import step.
type queuedFile struct {
	path   string
	origin *ProcoreOrigin
}

// fileResult is the outcome of one file of an import, for the summary.
type fileResult struct {
	name string
	res  *ImportResult
	err  error
}

// importWindow is the Import window: the sources (Procore, a local file),
// the Procore browser with Download, then the import step for each
// downloaded file and a summary.
type importWindow struct {
	u         *UI
	win       fyne.Window
	kind      importKind
	selecting bool

	sources  *widget.List
	body     *fyne.Container
	browser  *procoreBrowser
	download *widget.Button
	progress *progressView
	browse   fyne.CanvasObject
	local    fyne.CanvasObject

	queue   []queuedFile
	results []fileResult
	step    *importStep
}

// showImport opens the import window on kind, or brings it to the front.
func (u *UI) showImport(kind importKind) {
	if u.proj == nil {
		dialog.ShowInformation("Import", "Open or create a project first (File menu).", u.win)
		return
	}
	if u.importWin == nil {
		w := newImportWindow(u)
		u.importWin = w
		w.win.SetOnClosed(func() {
			if w.step != nil {
				w.step.cancel()
			}
			u.importWin = nil
		})
		w.win.Show()
	}
	u.importWin.setKind(kind)
	u.importWin.win.RequestFocus()
}

func newImportWindow(u *UI) *importWindow {
	w := &importWindow{u: u}
	w.win = u.fa.NewWindow("Import")

	names := []string{"Procore", "Local file"}
	icons := []fyne.Resource{procoreOnIcon, theme.FileIcon()}
	w.sources = widget.NewList(
		func() int { return len(names) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.FileIcon()), widget.NewLabel("Local file"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(icons[id])
			row.Objects[1].(*widget.Label).SetText(names[id])
		},
	)
	w.sources.OnSelected = func(id widget.ListItemID) { w.setKind(importKind(id)) }

	w.browser = newProcoreBrowser(u, w.win, true)
	w.progress = newProgressView()
	w.download = widget.NewButtonWithIcon("Download", theme.DownloadIcon(), w.startDownload)
	w.download.Importance = widget.HighImportance
	split := container.NewHSplit(w.browser.tree, w.browser.files())
	split.Offset = 0.24
	hint := widget.NewLabel("Click files to highlight them, then Download.")
	hint.Importance = widget.LowImportance
	w.browse = container.NewBorder(w.browser.pickers(),
		container.NewVBox(w.progress.box, container.NewHBox(w.download, hint)), nil, nil, split)

	w.local = w.localPane()
	w.body = container.NewStack()

	left := container.NewBorder(widget.NewLabelWithStyle("Source", fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), nil, nil, nil, w.sources)
	split2 := container.NewHSplit(left, w.body)
	split2.Offset = 0.14
	w.win.SetContent(split2)
	w.win.Resize(fyne.NewSize(1060, 660))

	return w
}

func (w *importWindow) localPane() fyne.CanvasObject {
	choose := widget.NewButtonWithIcon("Choose File…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			_ = r.Close()
			w.beginImport([]queuedFile{{path: path}})
		}, w.win)
		d.Resize(fyne.NewSize(800, 560))
		d.Show()
	})
	choose.Importance = widget.HighImportance
	text := widget.NewLabel("Import a file from this computer: delimited points (CSV, TXT, " +
		"ASC), LandXML, DXF, Leica GSI or GeoJSON. Backsight detects the format and shows a " +
		"preview before anything is imported; other files, such as PDFs and photos, are kept " +
		"in the project as attachments.")
	text.Wrapping = fyne.TextWrapWord

	return container.NewVBox(text, container.NewHBox(choose))
}

// setKind shows the Procore browser or the local file chooser.
func (w *importWindow) setKind(kind importKind) {
	if w.selecting {
		return // called back by the list's OnSelected below
	}
	w.selecting = true
	w.sources.Select(int(kind))
	w.selecting = false

	w.kind = kind
	switch kind {
	case importProcore:
		w.show(w.browse)
		if len(w.browser.companies) == 0 {
			w.browser.start()
		}
	default:
		w.show(w.local)
	}
}

func (w *importWindow) show(o fyne.CanvasObject) {
	w.body.Objects = []fyne.CanvasObject{o}
	w.body.Refresh()
}

// loginChanged reloads the browser after a login or logout.
func (w *importWindow) loginChanged() {
	w.browser.reset()
	if w.kind == importProcore && w.step == nil {
		w.browser.start()
	}
}

// startDownload fetches the highlighted files into the project's Procore/
// folder, then moves on to the import step.
func (w *importWindow) startDownload() {
	u := w.u
	files := w.browser.markedFiles()
	folder := w.browser.folder()
	if len(files) == 0 || folder == nil {
		dialog.ShowInformation("Download", "Highlight one or more files first.", w.win)
		return
	}
	t, err := u.app.Transferer(w.browser.companyID)
	if err != nil {
		u.showErrorIn(w.win, "Download", err)
		return
	}
	c, err := u.app.Client()
	if err != nil {
		u.showErrorIn(w.win, "Download", err)
		return
	}
	c = c.WithCompany(w.browser.companyID)
	proj := u.proj
	dest := filepath.Join(proj.Dir(), project.ProcoreDir)
	scope := w.browser.scope()
	companyID, projectID := w.browser.companyID, w.browser.projectID
	path := folder.path

	var queue []queuedFile
	job := func(ctx context.Context, p *transfer.Progress) error {
		queue = queue[:0]
		for _, f := range files {
			if v := f.LatestVersion(); v != nil {
				p.AddTotal(v.Size, 1)
			}
		}
		// Two Procore names can become one local name ("a:b.csv" and
		// "a_b.csv"); each file gets a local name of its own.
		reqs := make([]transfer.DownloadRequest, len(files))
		for i, f := range files {
			reqs[i] = transfer.DownloadRequest{Path: fileSegments(path, f), DestDir: dest}
		}
		reqs = transfer.DistinctLocalNames(reqs)
		// A failed or cancelled download leaves no empty folders of the
		// Procore path in Procore/.
		made := transfer.NewFolders(reqs)
		defer transfer.RemoveEmptyFolders(made)
		for i, f := range files {
			q, err := downloadOne(ctx, t, c, scope, f, reqs[i], p)
			if err != nil {
				return err
			}
			q.origin.CompanyID, q.origin.ProjectID = companyID, projectID
			queue = append(queue, q)
		}
		return nil
	}

	w.download.Disable()
	name := fmt.Sprintf("Downloading %s", sentence(len(files), "file"))
	h := u.runJob(name, job, func(err error) {
		w.download.Enable()
		if err != nil {
			u.showErrorIn(w.win, "Download", err)
			return
		}
		w.beginImport(queue)
	}, w.progress)
	u.trackProcore(h)
}

// fileSegments is the Procore path of f in the folder at path.
func fileSegments(path []string, f procore.File) []string {
	return append(append([]string{}, path...), f.Name)
}

// downloadOne fetches the latest version of f as req says where (its Path,
// DestDir and LocalName).
func downloadOne(ctx context.Context, t *transfer.Transferer, c *procore.Client,
	scope procore.Scope, f procore.File, req transfer.DownloadRequest, p *transfer.Progress,
) (queuedFile, error) {
	v := f.LatestVersion()
	if v == nil || v.URL == "" {
		// The folder listing may leave out the versions; ask for them.
		full, _, err := c.Files.Get(ctx, scope, f.ID, true)
		if err != nil {
			return queuedFile{}, err
		}
		if v = full.LatestVersion(); v == nil {
			return queuedFile{}, fmt.Errorf("ui: %s has no version to download", f.Name)
		}
	}

	req.Version = *v
	res, err := t.Download(ctx, req, p)
	if err != nil {
		return queuedFile{}, err
	}

	return queuedFile{path: res.LocalPath, origin: &ProcoreOrigin{
		FileID: f.ID, VersionID: v.ID, Version: v.Number, Path: strings.Join(req.Path, "/"),
	}}, nil
}

// beginImport starts the import step for the queued files.
func (w *importWindow) beginImport(queue []queuedFile) {
	w.queue = queue
	w.results = nil
	w.next()
}

// next shows the import step of the next queued file, or the summary.
func (w *importWindow) next() {
	if len(w.queue) == 0 {
		w.step = nil
		w.show(w.summary())
		w.u.refreshAfterImport()
		return
	}
	q := w.queue[0]
	w.queue = w.queue[1:]
	w.step = newImportStep(w, q, len(w.results)+1, len(w.results)+1+len(w.queue))
	w.show(w.step.content)
}

// finished records the result of the current file and moves on.
func (w *importWindow) finished(name string, res *ImportResult, err error) {
	w.results = append(w.results, fileResult{name: name, res: res, err: err})
	w.next()
}

// asEarlier names the source that holds a file's content when it has another
// name: " as stakes.csv".
func asEarlier(r fileResult) string {
	if n := r.res.EarlierName; n != "" && n != r.name {
		return " as " + n
	}

	return ""
}

// summary shows what every file of the import brought.
func (w *importWindow) summary() fyne.CanvasObject {
	var lines []string
	for _, r := range w.results {
		switch {
		case r.err != nil && errCanceled(r.err):
			lines = append(lines, fmt.Sprintf("%s: skipped", r.name))
		case r.err != nil:
			lines = append(lines, fmt.Sprintf("%s: not imported. %s", r.name, app.UserMessage(r.err)))
		case r.res.AlreadyInProject && r.res.LinkedToProcore:
			lines = append(lines, r.name+": already in the project"+asEarlier(r)+
				" (same content; nothing added). The project's copy is now linked to this "+
				"Procore file, so a newer version on Procore will be shown.")
		case r.res.AlreadyInProject && r.res.AttachmentPath == "":
			lines = append(lines, r.name+": already in the project"+asEarlier(r)+
				" (same content; nothing added). To read it again with other settings, "+
				"import it with Duplicates set to overwrite.")
		case r.res.AlreadyInProject:
			lines = append(lines, r.name+": already in the project as "+
				r.res.AttachmentPath+" (nothing added)")
		case r.res.Attachment:
			lines = append(lines, r.name+": not survey data, kept in the project as "+
				r.res.AttachmentPath)
		default:
			lines = append(lines, r.name+": "+resultText(r.res))
			for i, wn := range r.res.Warnings {
				if i == 50 {
					lines = append(lines, fmt.Sprintf("    … and %d more warnings",
						len(r.res.Warnings)-50))
					break
				}
				lines = append(lines, "    "+wn.String())
			}
		}
	}
	title := widget.NewLabelWithStyle("Import finished", fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true})
	list := widget.NewList(func() int { return len(lines) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(lines[id]) })
	more := widget.NewButtonWithIcon("Import More", theme.DownloadIcon(), func() { w.setKind(w.kind) })
	done := widget.NewButtonWithIcon("Close", theme.ConfirmIcon(), w.win.Close)
	done.Importance = widget.HighImportance

	return container.NewBorder(title, container.NewHBox(more, done), nil, nil, list)
}

// resultText is one line of the summary: counts, and what changed.
func resultText(r *ImportResult) string {
	if r.NothingNew && r.SameLines+r.SameSurfaces == 0 {
		return fmt.Sprintf("nothing new imported: all %s are already in the project",
			sentence(r.Skipped, "point"))
	}
	if r.NothingNew {
		return fmt.Sprintf("nothing new imported: its %s, %s and %s are already in the project",
			sentence(r.Skipped, "point"), sentence(r.SameLines, "line"),
			sentence(r.SameSurfaces, "surface"))
	}
	c := r.Counts
	s := countsText(c) + ", " + sentence(c.Warnings, "warning")
	if r.Skipped > 0 {
		s += fmt.Sprintf("; %s skipped (id already used)", sentence(r.Skipped, "point"))
	}
	if r.SameLines+r.SameSurfaces > 0 {
		s += fmt.Sprintf("; identical to ones in the project: %s, %s",
			sentence(r.SameLines, "line"), sentence(r.SameSurfaces, "surface"))
	}
	if r.Added+r.Changed+r.Removed > 0 {
		s += fmt.Sprintf("; against the older version: %d added, %d changed, %d removed",
			r.Added, r.Changed, r.Removed)
	}

	return s
}

// countsText says how many points, lines and surfaces: "12 points, 0
// lines, 1 surface".
func countsText(c survey.Counts) string {
	return fmt.Sprintf("%s, %s, %s", sentence(c.Points, "point"), sentence(c.Lines, "line"),
		sentence(c.Surfaces, "surface"))
}

// refreshAfterImport reloads the main window's data (and with it the
// export window's sources).
func (u *UI) refreshAfterImport() {
	if proj := u.proj; proj != nil {
		go u.refreshProject(proj)
	}
}
