package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/survey"
)

// TestProjectSettingsKeepsLink: a company and project linked while the
// Project Settings dialog is open (the import window remembers them) are
// still linked after the dialog saves a new name. The dialog stored the
// whole copy it took when it opened, so the link was lost.
func TestProjectSettingsKeepsLink(t *testing.T) {
	p := newMemProject("Riverside", 3)
	u := newTestUI(t, p)

	onUI(u.showProjectSettings)

	u.updateSettings(p, func(s *ProjectSettings) {
		s.CompanyID, s.ProjectID = 4281379, 316469
		s.CompanyName, s.ProjectName = "Demo Contractor", "Riverside Park"
	})
	eventually(t, 5*time.Second, "the link stored", func() bool {
		return p.Settings().ProjectID == 316469
	})

	onUI(func() {
		top := u.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no Project Settings dialog")
		}
		walk(top, func(o fyne.CanvasObject) bool {
			if e, ok := o.(*widget.Entry); ok {
				e.SetText("Riverside West")
				return false
			}
			return true
		})
		test.Tap(overlayButton(u.win, "Save"))
	})

	eventually(t, 5*time.Second, "the new name stored", func() bool {
		return p.Settings().Name == "Riverside West"
	})
	if s := p.Settings(); s.ProjectID != 316469 || s.CompanyName != "Demo Contractor" {
		t.Errorf("the link was lost: %+v", s)
	}
}

// TestTableShowsProjectUnit: the points table shows coordinates in the
// project's unit, named in its headers, and follows a change of the unit in
// Project Settings (the points hold metres; the table showed metres in a
// project of US survey feet).
func TestTableShowsProjectUnit(t *testing.T) {
	p := newMemProject("Riverside", 3)
	p.ds.Points[0].E = 1200.0 / 3937.0 * 2000 // 2000 US survey feet
	u := newTestUI(t, p)

	onUI(func() {
		if got := columnTitle(1, u.main.points.unit); got != "Easting (m)" {
			t.Errorf("header in a metre project = %q", got)
		}
	})

	u.updateSettings(p, func(s *ProjectSettings) { s.Unit = survey.USSurveyFoot })
	eventually(t, 5*time.Second, "the table in US survey feet", func() bool {
		return u.main.points.unit == survey.USSurveyFoot
	})
	onUI(func() {
		pt, ok := u.main.points.point(0)
		if !ok {
			t.Fatal("row 1 not loaded")
		}
		if got := cellText(pt, 1, u.main.points.unit); got != "2000.000" {
			t.Errorf("easting = %q, want 2000.000 usft", got)
		}
		if got := columnTitle(1, u.main.points.unit); got != "Easting (usft)" {
			t.Errorf("header = %q", got)
		}
	})
}
