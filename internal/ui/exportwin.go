package ui

import (
	"path/filepath"
	"slices"
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
	shown     *folderNode // the folder the result line may speak of
	dest      *fyne.Container
	localOnly *widget.Label
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
	// SetChecked calls setProcore only on a change; the Procore folder
	// panel must follow the check from the start too.
	if w := u.exportWin; w.toProcore.Checked == toProcore {
		w.setProcore(toProcore)
	} else {
		w.toProcore.SetChecked(toProcore)
	}
	u.exportWin.win.RequestFocus()
}

func newExportWindow(u *UI) *exportWindow {
	w := &exportWindow{u: u}
	w.win = u.fa.NewWindow("Export")

	w.source = widget.NewSelect(nil, func(string) { w.clearResult() })
	w.source.PlaceHolder = "Source"
	w.codes = widget.NewEntry()
	w.codes.SetPlaceHolder("Codes, separated by commas")
	w.codes.OnChanged = func(string) { w.clearResult() }
	w.data = widget.NewRadioGroup(dataChoices, func(string) { w.dataChanged() })
	w.data.Horizontal = true
	w.data.SetSelected(dataChoices[0])

	w.format = widget.NewSelect(formatLabels(), func(string) { w.formatChanged() })
	w.settings = container.New(layout.NewFormLayout())
	w.name = widget.NewEntry()

	w.browser = newProcoreBrowser(u, w.win, false)
	w.browser.onFolder = w.folderChosen
	w.browser.onProjects = w.clearResult
	newFolder := widget.NewButtonWithIcon("New Folder", theme.FolderNewIcon(), w.newFolder)
	// The pane is too narrow for the two pickers side by side.
	w.dest = container.NewBorder(w.browser.stackedPickers(), newFolder, nil, nil, w.browser.tree)
	w.toProcore = widget.NewCheck("Upload to Procore", func(on bool) {
		w.clearResult()
		w.setProcore(on)
	})

	w.progress = newProgressView()
	w.result = widget.NewLabel("")
	w.result.Wrapping = fyne.TextWrapWord
	w.name.OnChanged = func(string) { w.clearResult() }
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
	w.localOnly = widget.NewLabel("The export is saved on this computer only. " +
		"Check Upload to Procore to choose a Procore folder as well.")
	w.localOnly.Wrapping = fyne.TextWrapWord
	split := container.NewHSplit(container.NewVScroll(left),
		container.NewStack(w.dest, container.NewVBox(w.localOnly)))
	split.Offset = 0.45
	w.win.SetContent(container.NewBorder(nil, bottom, nil, nil, split))
	w.win.Resize(fyne.NewSize(1000, 640))

	w.format.SetSelectedIndex(0)
	w.loadSources()
	w.dataChanged()

	return w
}

// loadSources fills the source picker from the main window's list of
// sources, which opening the project and every import keep current, so the
// window asks the project no second time.
func (w *exportWindow) loadSources() {
	w.sources = slices.Clone(w.u.main.sourceItems)
	names := make([]string, len(w.sources))
	for i, s := range w.sources {
		names[i] = s.FileName
	}
	w.source.Options = names
	w.source.Refresh()
}

// clearResult empties the result line when an action starts or a choice
// changes, so that it never speaks of an earlier one.
func (w *exportWindow) clearResult() {
	if w.result != nil {
		w.result.SetText("")
	}
}

// folderChosen clears the result line when another Procore folder is
// chosen. The folder listed again after an upload is the same one, and its
// result stays.
func (w *exportWindow) folderChosen(n *folderNode) {
	if n != w.shown {
		w.shown = n
		w.clearResult()
	}
}

func (w *exportWindow) dataChanged() {
	w.clearResult()
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
		w.localOnly.Hide()
		if len(w.browser.companies) == 0 {
			w.browser.start()
		}
	} else {
		w.dest.Hide()
		w.localOnly.Show()
	}
}

// loginChanged reloads the browser after a login or logout.
func (w *exportWindow) loginChanged() {
	w.browser.reset()
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
	w.clearResult()
	w.settings.Objects = nil
	add := func(label string, o fyne.CanvasObject) {
		w.settings.Add(widget.NewLabel(label))
		w.settings.Add(o)
	}
	changed := func(string) { w.clearResult() }
	checked := func(bool) { w.clearResult() }
	w.unit = w.u.unitSelect(changed)
	switch f.Name {
	case formats.CSV:
		w.template = widget.NewSelectEntry(csvTemplates[1:])
		w.template.SetText(csv.PNEZD)
		w.template.OnChanged = changed
		w.delim = widget.NewSelect(delimiters[1:], changed)
		w.delim.SetSelectedIndex(0)
		w.header = widget.NewCheck("Write a header row", checked)
		add("Template", w.template)
		add("Delimiter", w.delim)
		add("Header", w.header)
		add("Unit", w.unit)
	case formats.LandXML, formats.GeoJSON:
		add("Unit", w.unit)
	case formats.DXF:
		w.labels = widget.NewCheck("Label points with their ids", checked)
		w.labels.SetChecked(true)
		add("Unit", w.unit)
		add("Labels", w.labels)
	case formats.GSI:
		w.tenth = widget.NewCheck("Tenths of a millimetre", checked)
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
