package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/dxf"
	"github.com/backsight/backsight/internal/formats/geojson"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/formats/landxml"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

const previewRows = 20

var (
	csvTemplates  = []string{"Detect", csv.PNEZD, csv.PENZD, csv.PNEZ, csv.PENZ, csv.NEZ, csv.ENZ}
	delimiters    = []string{"Detect", "Comma", "Semicolon", "Tab", "Spaces"}
	delimiterRune = []rune{0, ',', ';', '\t', ' '}
	headerModes   = []string{"Detect", "No header row", "First row is a header"}
	decimals      = []string{"Detect", "Point (1.5)", "Comma (1,5)"}
	decimalRune   = []rune{0, '.', ','}
	unitNames     = []string{"Metre", "International foot", "US survey foot"}
	unitValues    = []survey.Unit{survey.Metre, survey.Foot, survey.USSurveyFoot}
	duplicateOpts = []string{"skip", "overwrite", "rename"}
	// gsiPolarOpts name the GSI polar modes of gsiPolarModes, the default
	// first.
	gsiPolarOpts = []string{"Reduce to points when the file has no coordinates",
		"Always reduce to points", "Only count them"}
	gsiPolarModes = []gsi.PolarMode{gsi.PolarAuto, gsi.PolarOn, gsi.PolarOff}
)

// importStep is the second step of an import: the detected format, the
// format's settings, a preview of the first rows as they will be read with
// their counts, and Import.
type importStep struct {
	w      *importWindow
	file   queuedFile
	ctx    context.Context
	cancel context.CancelFunc

	content  fyne.CanvasObject
	format   *widget.Select
	detected *widget.Label
	settings *fyne.Container
	dup      *widget.Select
	counts   *widget.Label
	preview  *widget.Table
	rows     []survey.Point
	doImport *widget.Button
	busy     *widget.ProgressBarInfinite

	// Format settings widgets.
	template  *widget.SelectEntry
	delimiter *widget.Select
	header    *widget.Select
	decimal   *widget.Select
	unit      *widget.Select
	gsiLeft   *widget.Check
	gsiSta    *widget.Check
	gsiPolar  *widget.Select

	gen        int
	building   bool // set while formatChanged builds the settings widgets
	attachment bool // the file is kept as an attachment, not read
	dxfLabels  *widget.Check

	// found is the registry's name for the file, from the first preview:
	// the import takes it (or the format chosen instead) and does not
	// detect again.
	found string
	// first is the first preview, read with firstSettings, shown for the
	// detected format instead of reading the file a second time.
	first         *formats.PreviewResult
	firstSettings formats.Settings

	// read reads every preview the step shows: previewFile, or in tests a
	// function that also notes what it is asked to read.
	read previewReader
}

// previewReader reads the start of the file at path as the import step
// shows it (format "" detects it); previewFile is the one the app uses.
type previewReader func(ctx context.Context, path, format string, fs formats.Settings,
) (*formats.PreviewResult, error)

// newImportStep builds the import step of file n of total and starts
// detecting its format. Call on the UI goroutine.
func newImportStep(w *importWindow, q queuedFile, n, total int) *importStep {
	return newImportStepReading(w, q, n, total, previewFile)
}

// newImportStepReading is newImportStep reading its previews with read.
func newImportStepReading(w *importWindow, q queuedFile, n, total int,
	read previewReader,
) *importStep {
	s := &importStep{w: w, file: q, read: read}
	s.ctx, s.cancel = context.WithCancel(w.u.ctx)

	s.format = widget.NewSelect(formatLabels(), func(string) { s.formatChanged() })
	s.detected = widget.NewLabel("Detecting the format…")
	s.settings = container.New(layout.NewFormLayout())
	s.dup = widget.NewSelect(duplicateOpts, nil)
	s.dup.SetSelected("skip")
	s.counts = widget.NewLabel("")
	// A long reason why the file cannot be read wraps rather than widening
	// the window past the screen.
	s.counts.Wrapping = fyne.TextWrapWord
	s.preview = widget.NewTable(
		func() (int, int) { return len(s.rows), len(pointColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("000000000.000") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(cellText(&s.rows[id.Row], id.Col, s.unitShown()))
		},
	)
	s.preview.ShowHeaderRow = true
	s.preview.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("Elevation") }
	s.preview.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(columnTitle(id.Col, s.unitShown()))
	}
	for i, c := range pointColumns {
		s.preview.SetColumnWidth(i, c.width)
	}

	s.doImport = widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), s.run)
	s.doImport.Importance = widget.HighImportance
	s.doImport.Disable()
	skip := widget.NewButton("Skip This File", func() {
		s.cancel()
		w.finished(filepath.Base(q.path), nil, context.Canceled)
	})
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Hide()

	title := fmt.Sprintf("Import %s", filepath.Base(q.path))
	if total > 1 {
		title += fmt.Sprintf(" (%d of %d)", n, total)
	}
	top := container.NewVBox(
		widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(layout.NewFormLayout(),
			widget.NewLabel("Format"), container.NewBorder(nil, nil, nil, s.detected, s.format),
			widget.NewLabel("Duplicate point ids"), s.dup),
		s.settings,
		s.counts,
	)
	bottom := container.NewVBox(s.busy, container.NewHBox(s.doImport, skip))
	s.content = container.NewBorder(top, bottom, nil, nil, s.preview)

	s.detect()

	return s
}

// detect previews the file without a format off the UI goroutine, so that
// the registry detects it (formats.Preview), with the settings the widgets
// start from. Call on the UI goroutine.
func (s *importStep) detect() {
	settings := s.w.u.importDefaults()
	path := s.file.path
	go func() {
		res, err := s.read(s.ctx, path, "", settings)
		do(func() { s.showDetected(res, settings, err) })
	}()
}

// showDetected shows the format the first preview detected and selects it,
// which shows that preview.
func (s *importStep) showDetected(res *formats.PreviewResult, settings formats.Settings,
	err error,
) {
	if err != nil {
		s.detected.SetText("")
		if !errCanceled(err) {
			s.w.u.showErrorIn(s.w.win, "Import", err)
		}
		return
	}
	s.found = res.Format
	if f, lerr := formats.Lookup(res.Format); lerr == nil && f.Kind == formats.KindAttachment {
		s.attachment = true
		s.detected.SetText("not survey data: " + f.Label)
		s.counts.SetText("This file is not survey data: the project keeps it as an " +
			"attachment, listed with the sources.")
		s.doImport.Enable()
		return
	}
	i := formatIndex(res.Format)
	if i < 0 {
		s.detected.SetText("format not recognised: choose one")
		return
	}
	s.detected.SetText(fmt.Sprintf("detected (%d%% sure)", res.Confidence))
	s.first, s.firstSettings = res, settings
	s.format.SetSelectedIndex(i)
}

// importDefaults are the settings the import step's widgets start from,
// for every format.
func (u *UI) importDefaults() formats.Settings {
	fs := formats.Settings{}.WithUnit(u.projectUnit())
	fs.GSI.Read.Polar = gsiPolarModes[0]

	return fs
}

// projectUnit is the open project's unit (metres without a project): the
// unit of a file that names none, as the command line takes it.
func (u *UI) projectUnit() survey.Unit {
	if u.proj == nil {
		return survey.Metre
	}

	return unitValues[unitIndex(u.proj.Settings().Unit)]
}

// unitSelect is a unit picker set to the project's unit.
func (u *UI) unitSelect(changed func(string)) *widget.Select {
	sel := widget.NewSelect(unitNames, changed)
	sel.SetSelectedIndex(unitIndex(u.projectUnit()))

	return sel
}

// chosen returns the selected format, or nil.
func (s *importStep) chosen() *formats.Format {
	i := s.format.SelectedIndex()
	if i < 0 {
		return nil
	}

	return &dataFormats[i]
}

// formatChanged shows the settings of the chosen format and a new preview.
func (s *importStep) formatChanged() {
	f := s.chosen()
	if f == nil {
		return
	}
	s.building = true
	defer func() { s.building = false }()
	s.settings.Objects = nil
	add := func(label string, o fyne.CanvasObject) {
		s.settings.Add(widget.NewLabel(label))
		s.settings.Add(o)
	}
	changed := func(string) { s.runPreview() }

	s.attachment = false
	switch f.Name {
	case formats.CSV:
		s.template = widget.NewSelectEntry(csvTemplates)
		s.template.SetText(csvTemplates[0])
		s.template.OnChanged = changed
		s.delimiter = widget.NewSelect(delimiters, changed)
		s.delimiter.SetSelectedIndex(0)
		s.header = widget.NewSelect(headerModes, changed)
		s.header.SetSelectedIndex(0)
		s.decimal = widget.NewSelect(decimals, changed)
		s.decimal.SetSelectedIndex(0)
		s.unit = s.w.u.unitSelect(changed)
		add("Template", s.template)
		add("Delimiter", s.delimiter)
		add("Header", s.header)
		add("Decimal separator", s.decimal)
		add("Unit", s.unit)
	case formats.GSI:
		s.gsiLeft = widget.NewCheck("Left-handed (swap easting and northing)",
			func(bool) { s.runPreview() })
		s.gsiSta = widget.NewCheck("Stations as points", func(bool) { s.runPreview() })
		s.gsiPolar = widget.NewSelect(gsiPolarOpts, changed)
		s.gsiPolar.SetSelectedIndex(0)
		add("Axes", s.gsiLeft)
		add("Stations", s.gsiSta)
		add("Polar observations", s.gsiPolar)
	case formats.LandXML:
		s.unit = s.w.u.unitSelect(changed)
		add("Unit when the file names none", s.unit)
	case formats.DXF:
		s.unit = s.w.u.unitSelect(changed)
		s.dxfLabels = widget.NewCheck("Take point ids from their labels", func(bool) { s.runPreview() })
		add("Drawing unit", s.unit)
		add("Labels", s.dxfLabels)
	case formats.GeoJSON:
		s.unit = s.w.u.unitSelect(changed)
		add("Unit of projected coordinates", s.unit)
	}
	s.settings.Refresh()
	s.building = false
	s.runPreview()
}

// readSettings builds the registry settings from the widgets of the chosen
// format (the defaults for the others).
func (s *importStep) readSettings() formats.Settings {
	fs := s.w.u.importDefaults()
	f := s.chosen()
	if f == nil {
		return fs
	}
	unit := survey.Metre
	if s.unit != nil {
		unit = unitValues[max(s.unit.SelectedIndex(), 0)]
	}
	switch f.Name {
	case formats.CSV:
		rs := csv.ReadSettings{Unit: unit}
		if t := strings.TrimSpace(s.template.Text); t != "" && !strings.EqualFold(t, csvTemplates[0]) {
			rs.Template = strings.ToUpper(t)
		}
		rs.Delimiter = delimiterRune[max(s.delimiter.SelectedIndex(), 0)]
		rs.Header = csv.HeaderMode(max(s.header.SelectedIndex(), 0))
		rs.Decimal = decimalRune[max(s.decimal.SelectedIndex(), 0)]
		fs.CSV.Read = rs
	case formats.GSI:
		fs.GSI.Read = gsi.ReadSettings{LeftHanded: s.gsiLeft.Checked, StationsAsPoints: s.gsiSta.Checked,
			Polar: gsiPolarModes[max(s.gsiPolar.SelectedIndex(), 0)]}
	case formats.LandXML:
		fs.LandXML.Read = landxml.ReadSettings{DefaultUnit: unit}
	case formats.DXF:
		fs.DXF.Read = dxf.ReadSettings{Unit: unit, PairLabels: s.dxfLabels.Checked}
	case formats.GeoJSON:
		fs.GeoJSON.Read = geojson.ReadSettings{Unit: unit}
	}

	return fs
}

// runPreview reads the file with the current settings off the UI goroutine
// and shows the first rows and the counts.
func (s *importStep) runPreview() {
	f := s.chosen()
	if f == nil || s.building {
		return
	}
	s.gen++
	gen, settings, path, name := s.gen, s.readSettings(), s.file.path, f.Name
	if pv := s.first; pv != nil {
		s.first = nil
		if pv.Format == name && settings == s.firstSettings {
			s.showPreview(pv, nil)
			return
		}
	}
	s.counts.SetText("Reading…")
	s.doImport.Disable()

	go func() {
		res, err := s.read(s.ctx, path, name, settings)
		do(func() {
			if gen == s.gen {
				s.showPreview(res, err)
			}
		})
	}()
}

// previewFile reads the start of the file at path as the import step shows
// it (format "" detects it).
func previewFile(ctx context.Context, path, format string, fs formats.Settings,
) (*formats.PreviewResult, error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()

	return formats.Preview(ctx, in, filepath.Base(path), format, fs, previewRows)
}

func (s *importStep) showPreview(res *formats.PreviewResult, err error) {
	if err == nil && res.Err != nil {
		err = res.Err
	}
	if err != nil {
		s.rows = nil
		if res != nil {
			s.rows = res.Points
		}
		s.counts.Importance = widget.DangerImportance
		s.counts.SetText(previewProblem(err))
		s.preview.Refresh()
		return
	}
	s.rows = res.Points
	c := res.Counts
	s.counts.Importance = widget.MediumImportance
	text := fmt.Sprintf("The file holds %s (%s).", countsText(c), sentence(c.Warnings, "warning"))
	// The counts are the file's: points whose ids the project has follow
	// the Duplicates choice, and the summary says how many.
	if c.Points > 0 && s.w.u.main != nil && s.w.u.main.points.rows > 0 {
		text += " Points whose ids the project already has are handled as Duplicates says."
	}
	if l := res.Layout; l != nil {
		text += fmt.Sprintf(" Read as %s, delimiter %s.", l.Template, delimiterName(l.Delimiter))
	}
	// A file of lines or surfaces only has no rows to show under the line.
	if len(res.Points) > 0 {
		text += " First rows as read:"
	}
	s.counts.SetText(text)
	s.preview.Refresh()
	s.doImport.Enable()
}

// previewProblem says why the preview cannot read the file and what to do.
// Nothing has been imported yet, so a file that cannot be read as the
// chosen format gets its reason and the advice to choose another format or
// other settings, not app.UserMessage's "Nothing was imported", which is
// kept for an import that failed.
func previewProblem(err error) string {
	const prefix = "This file cannot be imported with these settings"
	_, where, what, ok := app.ParseProblem(err)
	if !ok {
		return prefix + ": " + firstLine(app.UserMessage(err))
	}

	return fmt.Sprintf("%s%s: %s. Choose another format, or change the settings above.",
		prefix, where, what)
}

func delimiterName(r rune) string {
	for i, d := range delimiterRune {
		if d == r && i > 0 {
			return strings.ToLower(delimiters[i])
		}
	}

	return fmt.Sprintf("%q", r)
}

// run imports the file into the project as a job: the status bar shows
// "Importing NAME" with the bytes read and Cancel, which rolls it back.
func (s *importStep) run() {
	f := s.chosen()
	proj := s.w.u.proj
	if (f == nil && !s.attachment) || proj == nil {
		return
	}
	// The import takes the format shown (detected, or chosen instead), so
	// that what it does never differs from what the step said.
	req := ImportRequest{
		Path: s.file.path, Format: s.found, Settings: s.readSettings(),
		Duplicates: s.dup.Selected, Procore: s.file.origin,
	}
	if f != nil && !s.attachment {
		req.Format = f.Name
	}
	s.doImport.Disable()
	s.busy.Show()
	s.busy.Start()

	var res *ImportResult
	job := func(ctx context.Context, p *transfer.Progress) error {
		// Closing the import window cancels the import too.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(s.ctx, cancel)()

		if st, err := os.Stat(req.Path); err == nil {
			p.AddTotal(st.Size(), 1)
		}
		req.Progress = p.AddBytes
		r, err := proj.Import(ctx, req)
		if err != nil {
			return err
		}
		res = r
		p.FileDone()

		return nil
	}

	name := filepath.Base(req.Path)
	s.w.u.runJob("Importing "+name, job, func(err error) {
		s.busy.Stop()
		s.busy.Hide()
		if errCanceled(err) {
			s.doImport.Enable()
			return
		}
		if err != nil {
			s.doImport.Enable()
			s.w.u.showErrorIn(s.w.win, "Import", err)
			return
		}
		s.w.finished(name, res, nil)
	})
}

// unitShown is the unit the preview shows coordinates in: the project's, as
// the main window's table does (the file's own unit is converted on read).
func (s *importStep) unitShown() survey.Unit {
	if p := s.w.u.proj; p != nil {
		return p.Settings().Unit
	}

	return survey.Metre
}
