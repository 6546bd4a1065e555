package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/ui/plan"
)

// projectOpened carries what a freshly opened project shows first.
type projectOpened struct {
	proj    Project
	sources []Source
	rows    int
	first   []survey.Point
}

// openProject opens (or, with create, creates) the project in dir off the
// UI goroutine and shows it: first the sources and the table's first page,
// then the plan once all the data is read.
func (u *UI) openProject(dir string, create bool) {
	open := u.opts.OpenProject
	go func() {
		po, err := loadProject(u.ctx, open, dir, create)
		if err != nil {
			do(func() { u.showError("Open project", err) })
			return
		}
		do(func() { u.setProject(po) })
		u.loadPlan(po.proj)
	}()
}

func loadProject(ctx context.Context, open func(context.Context, string, bool) (Project, error),
	dir string, create bool,
) (*projectOpened, error) {
	proj, err := open(ctx, dir, create)
	if err != nil {
		return nil, err
	}

	po, err := firstPage(ctx, proj)
	if err != nil {
		_ = proj.Close()
		return nil, err
	}

	return po, nil
}

// firstPage reads what the window shows at once.
func firstPage(ctx context.Context, proj Project) (*projectOpened, error) {
	sources, err := proj.Sources(ctx)
	if err != nil {
		return nil, err
	}

	rows, err := proj.PointCount(ctx)
	if err != nil {
		return nil, err
	}

	first, err := proj.Points(ctx, 0, blockRows)
	if err != nil {
		return nil, err
	}

	return &projectOpened{proj: proj, sources: sources, rows: rows, first: first}, nil
}

// setProject makes po the open project. Call on the UI goroutine.
func (u *UI) setProject(po *projectOpened) {
	if u.proj != nil && u.proj != po.proj {
		_ = u.proj.Close()
	}
	u.proj = po.proj
	u.main.showProject(po.proj, po.sources, po.rows, po.first)
	u.checkNewer()
	u.setTitle()
	u.rememberProject(po.proj.Dir())
	u.log.Info("project opened", zap.String("dir", po.proj.Dir()), zap.Int("points", po.rows))
}

// loadPlan reads every entity of proj and hands the drawing to the plan view.
// Call from a goroutine.
func (u *UI) loadPlan(proj Project) {
	d, err := planData(u.ctx, proj)
	if err != nil {
		do(func() { u.showError("Plan view", err) })
		return
	}
	do(func() {
		if u.proj == proj {
			u.main.showPlan(d)
		}
	})
	u.mem.soon()
}

// planSource is a Project that can stream its drawing (see storeProject).
type planSource interface {
	PlanData(ctx context.Context) (*plan.Data, error)
}

func planData(ctx context.Context, proj Project) (*plan.Data, error) {
	if ps, ok := proj.(planSource); ok {
		return ps.PlanData(ctx)
	}

	ds, err := proj.Dataset(ctx, Filter{})
	if err != nil {
		return nil, err
	}

	return plan.NewData(ds), nil
}

// refreshProject reloads the open project's view after an import.
// Call from a goroutine.
func (u *UI) refreshProject(proj Project) {
	po, err := firstPage(u.ctx, proj)
	if err != nil {
		do(func() { u.showError("Project", err) })
		return
	}
	do(func() {
		if u.proj == proj {
			u.main.showProject(proj, po.sources, po.rows, po.first)
			if u.exportWin != nil {
				u.exportWin.loadSources()
			}
			u.checkNewer()
		}
	})
	u.loadPlan(proj)
}

// showProjectSettings edits the open project's settings.
func (u *UI) showProjectSettings() {
	proj := u.proj
	if proj == nil {
		dialog.ShowInformation("Project Settings", "Open or create a project first.", u.win)
		return
	}
	s := proj.Settings()

	name := widget.NewEntry()
	name.SetText(s.Name)
	unit := widget.NewSelect(unitNames, nil)
	unit.SetSelectedIndex(unitIndex(s.Unit))
	where := widget.NewRadioGroup([]string{"Project's Exports folder", "Downloads folder"}, nil)
	where.SetSelected(where.Options[0])
	if s.ExportToDownloads {
		where.SetSelected(where.Options[1])
	}
	link := widget.NewLabel(procoreLinkText(s))

	items := []*widget.FormItem{
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Linear unit", unit),
		widget.NewFormItem("Local copy of exports", where),
		widget.NewFormItem("Procore", link),
	}
	d := dialog.NewForm("Project Settings", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		// Only the fields of this dialog are stored: the company and project
		// may have been linked while it was open.
		newName := name.Text
		newUnit := unitValues[max(unit.SelectedIndex(), 0)]
		toDownloads := where.Selected == where.Options[1]
		if newName == s.Name && newUnit == s.Unit && toDownloads == s.ExportToDownloads {
			return
		}
		u.updateSettings(proj, func(now *ProjectSettings) {
			now.Name, now.Unit, now.ExportToDownloads = newName, newUnit, toDownloads
		})
	}, u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// updateSettings changes the project's settings with change off the UI
// goroutine (see [Project.UpdateSettings]).
func (u *UI) updateSettings(proj Project, change func(*ProjectSettings)) {
	go func() {
		if err := proj.UpdateSettings(u.ctx, change); err != nil {
			do(func() { u.showError("Project Settings", err) })
			return
		}
		unit := proj.Settings().Unit
		do(func() {
			u.setTitle()
			if u.proj == proj && u.main != nil {
				u.main.points.setUnit(unit)
			}
		})
	}()
}

func unitIndex(unit survey.Unit) int {
	switch unit {
	case survey.Foot:
		return 1
	case survey.USSurveyFoot:
		return 2
	}

	return 0
}

func procoreLinkText(s ProjectSettings) string {
	if s.CompanyID == 0 || s.ProjectID == 0 {
		return "Not linked to a Procore project yet (the import window links it)."
	}

	return fmt.Sprintf("%s › %s", orID(s.CompanyName, s.CompanyID), orID(s.ProjectName, s.ProjectID))
}

func orID(name string, id int64) string {
	if name != "" {
		return name
	}

	return fmt.Sprintf("#%d", id)
}
