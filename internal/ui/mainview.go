package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/ui/plan"
)

// mainView is the main window's content: the ribbon, the project's sources,
// its points and the plan view, and the status bar.
type mainView struct {
	u       *UI
	content fyne.CanvasObject

	sources     *widget.List
	sourceItems []Source
	noSources   *widget.Label // what to do first, while the project is empty
	points      *pointsTable
	count       *widget.Label
	plan        *plan.View
	planInfo    *widget.Label
	fit         *widget.Button // off while the plan has nothing to fit
}

func newMainView(u *UI) *mainView {
	m := &mainView{u: u}

	m.sources = widget.NewList(
		func() int { return len(m.sourceItems) },
		newSourceRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { updateSourceRow(m.sourceItems[id], o) },
	)
	m.points = newPointsTable(u.ctx)
	m.count = widget.NewLabel("No project open. Use File › Open Project or File › New Project.")
	m.plan = plan.NewView()
	m.planInfo = widget.NewLabel("")
	m.plan.OnHover = m.planHover

	m.fit = widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), m.plan.Fit)
	m.fit.Disable()
	planBar := container.NewHBox(widget.NewLabelWithStyle("Plan", fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), m.fit, m.planInfo)
	planPane := container.NewBorder(planBar, nil, nil, nil, m.plan)

	m.noSources = widget.NewLabel("This project holds no data yet. Log in to Procore with " +
		"the Procore mark at the bottom left, then Home › Import › Procore; or import a file " +
		"from this computer with Home › Import › Local File.")
	m.noSources.Wrapping = fyne.TextWrapWord
	m.noSources.Hide()
	sourcesPane := container.NewBorder(widget.NewLabelWithStyle("Sources", fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), nil, nil, nil,
		container.NewStack(m.sources, container.NewVBox(m.noSources)))
	pointsPane := container.NewBorder(m.count, nil, nil, nil, m.points.table)
	left := container.NewVSplit(sourcesPane, pointsPane)
	left.Offset = 0.3
	data := container.NewHSplit(left, planPane)
	data.Offset = 0.55

	m.content = container.NewBorder(u.ribbon(), u.status.content, nil, nil, data)

	return m
}

// showProject fills the view from proj's first page; the rest of the table
// loads as it scrolls. Call on the UI goroutine.
func (m *mainView) showProject(proj Project, sources []Source, rows int, first []survey.Point) {
	m.sourceItems = sources
	m.sources.Refresh()
	if len(sources) == 0 {
		m.noSources.Show()
	} else {
		m.noSources.Hide()
	}
	m.points.setProject(proj, rows, first)
	m.count.SetText(fmt.Sprintf("%s points", groupThousands(rows)))
}

// showPlan replaces the plan view's drawing.
func (m *mainView) showPlan(d *plan.Data) {
	m.plan.SetData(d)
	if m.plan.Empty() {
		m.fit.Disable()
	} else {
		m.fit.Enable()
	}
	m.planHover(0, 0, false)
}

// planHover shows the coordinate under the mouse in the plan's title row,
// and how to move the plan when the mouse is elsewhere.
func (m *mainView) planHover(e, n float64, ok bool) {
	switch {
	case ok:
		unit := m.points.unit
		m.planInfo.SetText(fmt.Sprintf("E %s  N %s %s", lengthText(e, unit), lengthText(n, unit),
			displayUnit(unit)))
	case m.plan.Data().Len() > 0:
		m.planInfo.SetText("Wheel to zoom, drag to pan")
	default:
		m.planInfo.SetText("")
	}
}

func newSourceRow() fyne.CanvasObject {
	mark := widget.NewIcon(procoreOnIcon)
	name := widget.NewLabelWithStyle("source-file-name.csv", fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	format := widget.NewLabel("LandXML")
	version := widget.NewLabel("v12")
	newer := widget.NewLabel("newer version on Procore")
	newer.Importance = widget.WarningImportance
	count := widget.NewLabel("1,000,000 points")
	count.Importance = widget.LowImportance

	return container.NewBorder(nil, nil, mark, container.NewHBox(format, version, newer, count), name)
}

func updateSourceRow(s Source, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	name := row.Objects[0].(*widget.Label)
	mark := row.Objects[1].(*widget.Icon)
	right := row.Objects[2].(*fyne.Container)
	format := right.Objects[0].(*widget.Label)
	version := right.Objects[1].(*widget.Label)
	newer := right.Objects[2].(*widget.Label)
	count := right.Objects[3].(*widget.Label)

	name.SetText(s.FileName)
	count.SetText(sourceCounts(s))
	format.SetText(s.Format)
	if s.Procore != nil {
		mark.SetResource(procoreOnIcon)
		version.SetText(fmt.Sprintf("v%d", s.Procore.Version))
		version.Show()
	} else {
		mark.SetResource(theme.FileIcon())
		version.Hide()
	}
	if s.NewerVersion > 0 {
		newer.SetText(fmt.Sprintf("newer version on Procore (v%d)", s.NewerVersion))
		newer.Show()
	} else {
		newer.Hide()
	}
}

// sourceCounts says what a source holds: "1,311 points", "10 lines",
// "4 points, 1 surface"; an attachment holds no data and says nothing.
func sourceCounts(s Source) string {
	var parts []string
	if s.Points > 0 || (s.Lines == 0 && s.Surfaces == 0 && s.Format != formats.Attachment) {
		parts = append(parts, sentence(s.Points, "point"))
	}
	if s.Lines > 0 {
		parts = append(parts, sentence(s.Lines, "line"))
	}
	if s.Surfaces > 0 {
		parts = append(parts, sentence(s.Surfaces, "surface"))
	}

	return strings.Join(parts, ", ")
}

// groupThousands writes n with thin separators: 1,000,000.
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + groupThousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}

	return s
}
