package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/dxf"
	"github.com/backsight/backsight/internal/formats/geojson"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/formats/landxml"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/transfer"
)

var dataChoices = []string{"All data", "One source", "Points with codes"}

// exportWindow is the Export window: which data, the format and its
// settings, the file name and the Procore folder (with New Folder).
type exportWindow struct {
	u       *UI
	win     fyne.Window
	procore bool

	data      *widget.RadioGroup
	source    *widget.Select
	sources   []Source
	codes     *widget.Entry
	format    *widget.Select
	settings  *fyne.Container
	name      *widget.Entry
	toProcore *widget.Check
	browser   *procoreBrowser
	dest      *fyne.Container
	export    *widget.Button
	progress  *progressView
	result    *widget.Label

	// CSV and other writer settings.
	template *widget.SelectEntry
	delim    *widget.Select
	header   *widget.Check
	unit     *widget.Select
	tenth    *widget.Check
	labels   *widget.Check
}

// showExport opens the export window, or brings it to the front. toProcore
// preselects uploading to Procore.
func (u *UI) showExport(toProcore bool) {
	if u.proj == nil {
		dialog.ShowInformation("Export", "Open or create a project first (File menu).", u.win)
		return
	}
	if u.exportWin == nil {
		w := newExportWindow(u)
		u.exportWin = w
		w.win.SetOnClosed(func() { u.exportWin = nil })
		w.win.Show()
	} else {
		u.exportWin.loadSources()
	}
	u.exportWin.toProcore.SetChecked(toProcore)
	u.exportWin.win.RequestFocus()
}

func newExportWindow(u *UI) *exportWindow {
	w := &exportWindow{u: u}
	w.win = u.fa.NewWindow("Export")

	w.source = widget.NewSelect(nil, nil)
	w.source.PlaceHolder = "Source"
	w.codes = widget.NewEntry()
	w.codes.SetPlaceHolder("Codes, separated by commas")
	w.data = widget.NewRadioGroup(dataChoices, func(string) { w.dataChanged() })
	w.data.Horizontal = true
	w.data.SetSelected(dataChoices[0])

	w.format = widget.NewSelect(formatLabels(), func(string) { w.formatChanged() })
	w.settings = container.New(layout.NewFormLayout())
	w.name = widget.NewEntry()

	w.browser = newProcoreBrowser(u, w.win, false)
	newFolder := widget.NewButtonWithIcon("New Folder", theme.FolderNewIcon(), w.newFolder)
	w.dest = container.NewBorder(w.browser.pickers(), newFolder, nil, nil, w.browser.tree)
	w.toProcore = widget.NewCheck("Upload to Procore", func(on bool) { w.setProcore(on) })

	w.progress = newProgressView()
	w.result = widget.NewLabel("")
	w.result.Wrapping = fyne.TextWrapWord
	w.export = widget.NewButtonWithIcon("Export", theme.UploadIcon(), w.start)
	w.export.Importance = widget.HighImportance
	folderUp := widget.NewButtonWithIcon("Upload Folder…", theme.FolderIcon(), w.pickFolder)

	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Data"), container.NewVBox(w.data,
			container.NewGridWithColumns(2, w.source, w.codes)),
		widget.NewLabel("Format"), w.format,
	)
	left := container.NewVBox(form, w.settings, container.New(layout.NewFormLayout(),
		widget.NewLabel("File name"), w.name), w.toProcore)
	bottom := container.NewVBox(w.progress.box, w.result, container.NewHBox(w.export, folderUp))
	split := container.NewHSplit(container.NewVScroll(left), w.dest)
	split.Offset = 0.45
	w.win.SetContent(container.NewBorder(nil, bottom, nil, nil, split))
	w.win.Resize(fyne.NewSize(1000, 640))

	w.format.SetSelectedIndex(0)
	w.loadSources()
	w.dataChanged()

	return w
}

// loadSources fills the source picker off the UI goroutine.
func (w *exportWindow) loadSources() {
	proj := w.u.proj
	go func() {
		list, err := proj.Sources(w.u.ctx)
		do(func() {
			if err != nil {
				w.u.showErrorIn(w.win, "Export", err)
				return
			}
			w.sources = list
			names := make([]string, len(list))
			for i, s := range list {
				names[i] = s.FileName
			}
			w.source.Options = names
			w.source.Refresh()
		})
	}()
}

func (w *exportWindow) dataChanged() {
	w.source.Disable()
	w.codes.Disable()
	switch w.data.Selected {
	case dataChoices[1]:
		w.source.Enable()
	case dataChoices[2]:
		w.codes.Enable()
	}
}

func (w *exportWindow) setProcore(on bool) {
	w.procore = on
	if on {
		w.dest.Show()
		if len(w.browser.companies) == 0 {
			w.browser.start()
		}
	} else {
		w.dest.Hide()
	}
}

// loginChanged reloads the browser after a login or logout.
func (w *exportWindow) loginChanged() {
	w.browser.companies = nil
	w.browser.company.Options = nil
	w.browser.company.ClearSelected()
	w.browser.clearTree()
	if w.procore {
		w.browser.start()
	}
}

func (w *exportWindow) chosen() *formats.Format {
	return &dataFormats[max(w.format.SelectedIndex(), 0)]
}

// formatChanged shows the writer settings and fixes the file extension.
func (w *exportWindow) formatChanged() {
	f := w.chosen()
	w.settings.Objects = nil
	add := func(label string, o fyne.CanvasObject) {
		w.settings.Add(widget.NewLabel(label))
		w.settings.Add(o)
	}
	w.unit = widget.NewSelect(unitNames, nil)
	w.unit.SetSelectedIndex(0)
	switch f.Name {
	case formats.CSV:
		w.template = widget.NewSelectEntry(csvTemplates[1:])
		w.template.SetText(csv.PNEZD)
		w.delim = widget.NewSelect(delimiters[1:], nil)
		w.delim.SetSelectedIndex(0)
		w.header = widget.NewCheck("Write a header row", nil)
		add("Template", w.template)
		add("Delimiter", w.delim)
		add("Header", w.header)
		add("Unit", w.unit)
	case formats.LandXML, formats.GeoJSON:
		add("Unit", w.unit)
	case formats.DXF:
		w.labels = widget.NewCheck("Label points with their ids", nil)
		w.labels.SetChecked(true)
		add("Unit", w.unit)
		add("Labels", w.labels)
	case formats.GSI:
		w.tenth = widget.NewCheck("Tenths of a millimetre", nil)
		add("Precision", w.tenth)
	}
	w.settings.Refresh()

	name := strings.TrimSpace(w.name.Text)
	if name == "" && w.u.proj != nil {
		name = w.u.proj.Name() + "-export"
	}
	w.name.SetText(strings.TrimSuffix(name, filepath.Ext(name)) + formats.DefaultExt(f.Name))
}

// writeSettings builds the registry settings from the writer widgets.
func (w *exportWindow) writeSettings() formats.Settings {
	var fs formats.Settings
	unit := unitValues[max(w.unit.SelectedIndex(), 0)]
	switch w.chosen().Name {
	case formats.CSV:
		fs.CSV.Write = csv.WriteSettings{
			Template:  strings.ToUpper(strings.TrimSpace(w.template.Text)),
			Delimiter: delimiterRune[max(w.delim.SelectedIndex(), 0)+1],
			Header:    w.header.Checked,
			Unit:      unit,
		}
	case formats.LandXML:
		fs.LandXML.Write = landxml.WriteSettings{Unit: unit, Project: w.u.proj.Name()}
	case formats.DXF:
		fs.DXF.Write = dxf.WriteSettings{Unit: unit, NoLabels: !w.labels.Checked}
	case formats.GeoJSON:
		fs.GeoJSON.Write = geojson.WriteSettings{Unit: unit}
	case formats.GSI:
		fs.GSI.Write = gsi.WriteSettings{TenthMillimetre: w.tenth.Checked}
	}

	return fs
}

func (w *exportWindow) filter() Filter {
	switch w.data.Selected {
	case dataChoices[1]:
		if i := w.source.SelectedIndex(); i >= 0 && i < len(w.sources) {
			return Filter{SourceID: w.sources[i].ID}
		}
	case dataChoices[2]:
		var codes []string
		for c := range strings.SplitSeq(w.codes.Text, ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
		return Filter{Codes: codes}
	}

	return Filter{}
}

// exportPlan is everything one export needs, read from the widgets on the
// UI goroutine before the work moves off it.
type exportPlan struct {
	proj      Project
	f         *formats.Format
	settings  formats.Settings
	filter    Filter
	name      string
	procore   bool
	companyID int64
	scope     procore.Scope
	folderID  int64
	folder    string
	t         *transfer.Transferer
	origins   []Source
}

// start checks the choices, then looks in Procore for a newer version of the
// file before exporting.
func (w *exportWindow) start() {
	u := w.u
	plan := &exportPlan{
		proj: u.proj, f: w.chosen(), settings: w.writeSettings(), filter: w.filter(),
		name: strings.TrimSpace(w.name.Text), procore: w.procore, origins: w.sources,
	}
	if plan.name == "" || strings.ContainsAny(plan.name, `/\`) {
		dialog.ShowInformation("Export", "Enter a file name (without a folder).", w.win)
		return
	}
	if plan.procore {
		n := w.browser.folder()
		if n == nil || w.browser.projectID == 0 {
			dialog.ShowInformation("Export", "Choose the Procore folder to upload to.", w.win)
			return
		}
		t, err := u.app.Transferer(w.browser.companyID)
		if err != nil {
			u.showErrorIn(w.win, "Export", err)
			return
		}
		plan.t, plan.companyID, plan.scope = t, w.browser.companyID, w.browser.scope()
		plan.folderID, plan.folder = n.id, strings.Join(n.path, "/")
	}

	w.export.Disable()
	w.result.SetText("")
	if !plan.procore {
		w.run(plan)
		return
	}
	go func() {
		newer, err := newerOnProcore(u.ctx, plan)
		do(func() {
			switch {
			case err != nil:
				w.export.Enable()
				u.showErrorIn(w.win, "Export", err)
			case newer != "":
				dialog.ShowConfirm("Newer version on Procore", newer+
					" Upload your export over it as a new version anyway?", func(ok bool) {
					if ok {
						w.run(plan)
					} else {
						w.export.Enable()
					}
				}, w.win)
			default:
				w.run(plan)
			}
		})
	}()
}

// newerOnProcore returns a sentence when the target folder holds a file of
// the export's name whose latest version is newer than the version the
// project's data came from; "" when there is nothing to ask.
func newerOnProcore(ctx context.Context, plan *exportPlan) (string, error) {
	folder, err := plan.t.ListFolder(ctx, plan.scope, plan.folderID)
	if err != nil {
		return "", err
	}
	for _, f := range folder.Files {
		if f.Name != plan.name || f.IsDeleted {
			continue
		}
		latest := f.LatestVersion()
		if latest == nil {
			return "", nil
		}
		for _, s := range plan.origins {
			o := s.Procore
			if o != nil && o.FileID == f.ID && o.Version < latest.Number {
				return fmt.Sprintf("Procore holds version %d of %s; this project's data came "+
					"from version %d.", latest.Number, f.Name, o.Version), nil
			}
		}
	}

	return "", nil
}

// run writes the export and uploads it, as one cancellable job.
func (w *exportWindow) run(plan *exportPlan) {
	u := w.u
	var local string
	var up *transfer.UploadResult
	job := func(ctx context.Context, p *transfer.Progress) error {
		var err error
		local, err = writeExport(ctx, plan)
		if err != nil {
			return err
		}
		if !plan.procore {
			return nil
		}
		if st, err := os.Stat(local); err == nil {
			p.AddTotal(st.Size(), 1)
		}
		up, err = plan.t.UploadFile(ctx, plan.scope, plan.folderID, local, p)
		return err
	}

	u.runJob("Exporting "+plan.name, job, func(err error) {
		w.export.Enable()
		if err != nil {
			if errCanceled(err) {
				w.result.SetText("Export cancelled.")
			}
			u.showErrorIn(w.win, "Export", err)
			return
		}
		w.result.SetText(exportResultText(plan, local, up))
		if plan.procore {
			w.browser.reloadFolder(plan.folderID)
		}
	}, w.progress)
}

// exportResultText says where the export went and which version it made.
func exportResultText(plan *exportPlan, local string, up *transfer.UploadResult) string {
	s := "Saved " + local + "."
	if up == nil {
		return s
	}
	where := plan.folder
	if where == "" {
		where = "the Documents root"
	}
	if up.Outcome == transfer.NewVersion {
		return fmt.Sprintf("%s Uploaded to %s as version %d of the existing %s.",
			s, where, up.Version, up.Name)
	}

	return fmt.Sprintf("%s Uploaded to %s as the new file %s (version %d).",
		s, where, up.Name, up.Version)
}

// writeExport writes the chosen data to the project's export folder and
// returns the file's path.
func writeExport(ctx context.Context, plan *exportPlan) (string, error) {
	ds, err := plan.proj.Dataset(ctx, plan.filter)
	if err != nil {
		return "", err
	}
	if len(ds.Points)+len(ds.Lines)+len(ds.Surfaces) == 0 {
		return "", errNothingToExport
	}

	dir, err := plan.proj.ExportDir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("ui: export: %w", err)
	}

	path := filepath.Join(dir, plan.name)
	tmp, err := os.CreateTemp(dir, ".export-*")
	if err != nil {
		return "", fmt.Errorf("ui: export: %w", err)
	}
	defer os.Remove(tmp.Name())

	if err := formats.Write(ctx, tmp, plan.f.Name, ds, plan.settings); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("ui: export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("ui: export: %w", err)
	}

	return path, nil
}

//lint:ignore ST1005 shown to the user as it is
var errNothingToExport = errors.New("There is nothing to export: the chosen data is empty.")

// newFolder makes a folder inside the selected Procore folder.
func (w *exportWindow) newFolder() {
	u := w.u
	n := w.browser.folder()
	if n == nil || w.browser.projectID == 0 {
		dialog.ShowInformation("New Folder", "Choose the Procore folder to create it in.", w.win)
		return
	}
	c, err := u.app.Client()
	if err != nil {
		u.showErrorIn(w.win, "New Folder", err)
		return
	}
	c = c.WithCompany(w.browser.companyID)
	scope, parent := w.browser.scope(), n.id
	dialog.ShowEntryDialog("New Folder", "Name of the new folder", func(name string) {
		name = strings.TrimSpace(name)
		if name == "" {
			return
		}
		go func() {
			_, _, err := c.Folders.Create(u.ctx, scope, parent, name)
			do(func() {
				if err != nil {
					u.showErrorIn(w.win, "New Folder", err)
					return
				}
				w.browser.reloadFolder(parent)
			})
		}()
	}, w.win)
}

// pickFolder uploads a whole local folder into the selected Procore folder;
// a folder whose name is taken there is refused.
func (w *exportWindow) pickFolder() {
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
	job := func(ctx context.Context, p *transfer.Progress) error {
		_, err := t.UploadFolder(ctx, scope, parent, local, p)
		return err
	}
	u.runJob("Uploading "+filepath.Base(local), job, func(err error) {
		if err != nil {
			w.result.SetText("The folder was not uploaded.")
			u.showErrorIn(w.win, "Upload Folder", err)
			return
		}
		w.result.SetText("Uploaded the folder " + filepath.Base(local) + ".")
		w.browser.reloadFolder(parent)
	}, w.progress)
}
