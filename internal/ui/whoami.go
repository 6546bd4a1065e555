package ui

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/procore"
)

// whoAmI names the logged-in user: the name Procore gave, else the login.
func (u *UI) whoAmI() string {
	s, err := u.app.Session()
	if err != nil {
		return ""
	}

	id := s.WhoAmI()
	if name := u.names[id.Login]; id.Name == "" && name != "" {
		return name
	}

	return id.Display()
}

// fetchName asks Procore for the name of the logged-in user when the login
// did not bring it: /me names the user only when asked within a company
// (the project's linked one, the configured one, else the first). The
// status bar and the Procore panel show it when it arrives; until then, and
// when the question fails, they show the login.
func (u *UI) fetchName() {
	s, err := u.app.Session()
	if err != nil || u.app.State() != auth.StateLoggedIn {
		return
	}
	id := s.WhoAmI()
	if id.Name != "" || id.Login == "" || u.names[id.Login] != "" {
		return
	}
	c, err := u.app.Client()
	if err != nil {
		return
	}
	companyID := u.app.Config().Procore.CompanyID
	if u.proj != nil && u.proj.Settings().CompanyID != 0 {
		companyID = u.proj.Settings().CompanyID
	}

	go func() {
		name, err := meName(u.ctx, c, companyID)
		if err != nil {
			u.log.Debug("user name not known", zap.Error(err))
			return
		}
		do(func() {
			if u.names == nil {
				u.names = map[string]string{}
			}
			u.names[id.Login] = name
			if u.whoAmI() != name {
				return // logged out, or someone else logged in meanwhile
			}
			u.status.setLogin(u.app.State(), name)
			if u.procore != nil {
				u.procore.who.SetText(name)
			}
		})
	}()
}

// meName returns the user's name from /me asked within companyID, or
// within the first company when companyID is 0.
func meName(ctx context.Context, c *procore.Client, companyID int64) (string, error) {
	if companyID == 0 {
		for co, err := range c.Companies.All(ctx) {
			if err != nil {
				return "", err
			}
			companyID = co.ID
			break
		}
	}
	if companyID == 0 {
		return "", errors.New("ui: user name: no company")
	}

	path := "/rest/v1.0/me?company_id=" + strconv.FormatInt(companyID, 10)
	req, err := c.NewRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return "", err
	}
	var me procore.User
	if _, err := c.Do(req, &me); err != nil {
		return "", err
	}
	if me.Name == "" {
		return "", errors.New("ui: user name: /me gave none")
	}

	return me.Name, nil
}

// nameLink looks up the names of the Procore company and project linked
// to the open project when the project holds only their ids (a project
// linked by the command line or the demo), and stores them, so that the
// panel and the settings name them instead of showing numbers.
func (u *UI) nameLink() {
	proj := u.proj
	if proj == nil || u.app.State() != auth.StateLoggedIn {
		return
	}
	s := proj.Settings()
	if s.CompanyID == 0 || s.ProjectID == 0 {
		u.nameConfigLink()
		return
	}
	if s.CompanyName != "" && s.ProjectName != "" {
		return
	}
	c, err := u.app.Client()
	if err != nil {
		return
	}

	go func() {
		company, project, err := linkNames(u.ctx, c, s.CompanyID, s.ProjectID)
		if err != nil {
			u.log.Debug("procore link names not known", zap.Error(err))
			return
		}

		// Saved before the panel is told, so that a refresh of the panel
		// in between reads the names too.
		var now ProjectSettings
		err = proj.UpdateSettings(u.ctx, func(cur *ProjectSettings) {
			// The link may have changed while the names were looked up.
			if cur.CompanyID == s.CompanyID && cur.ProjectID == s.ProjectID {
				cur.CompanyName, cur.ProjectName = company, project
			}
			now = *cur
		})
		if err != nil {
			u.log.Warn("procore link names not saved", zap.Error(err))
			return
		}
		do(func() {
			if u.procore != nil && u.proj == proj {
				u.procore.link.SetText(procoreLinkText(now))
			}
		})
	}()
}

// nameConfigLink looks up the names of the company and project that the
// configuration names as defaults, for the panel of a project not linked
// yet. Call on the UI goroutine while logged in.
func (u *UI) nameConfigLink() {
	cfg := u.app.Config().Procore
	known := u.configNames
	if cfg.CompanyID == 0 || cfg.ProjectID == 0 ||
		(known.CompanyID == cfg.CompanyID && known.ProjectID == cfg.ProjectID) {
		return
	}
	c, err := u.app.Client()
	if err != nil {
		return
	}

	go func() {
		company, project, err := linkNames(u.ctx, c, cfg.CompanyID, cfg.ProjectID)
		if err != nil {
			u.log.Debug("procore default names not known", zap.Error(err))
			return
		}
		do(func() {
			u.configNames = ProjectSettings{CompanyID: cfg.CompanyID, ProjectID: cfg.ProjectID,
				CompanyName: company, ProjectName: project}
			if u.procore != nil {
				u.procore.link.SetText(u.linkText())
			}
		})
	}()
}

// linkNames returns the names of company companyID and of its project
// projectID.
func linkNames(ctx context.Context, c *procore.Client, companyID, projectID int64) (
	company, project string, err error,
) {
	for co, err := range c.Companies.All(ctx) {
		if err != nil {
			return "", "", err
		}
		if co.ID == companyID {
			company = co.Name
			break
		}
	}
	for p, err := range c.Projects.All(ctx, companyID, procore.ProjectListOptions{}) {
		if err != nil {
			return "", "", err
		}
		if p.ID == projectID {
			project = p.Name
			break
		}
	}
	if company == "" || project == "" {
		return "", "", errors.New("ui: link names: company or project not listed")
	}

	return company, project, nil
}
