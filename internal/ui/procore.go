package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/config"
)

var environments = []string{
	config.EnvProduction, config.EnvSandbox, config.EnvMonthly, config.EnvCustom,
}

// procorePanel is File › Services › Procore: the environment, the login
// state, logging in (browser or pasted code) and out, and the Procore
// company and project linked to the open project.
type procorePanel struct {
	u   *UI
	win fyne.Window
	// content is everything the window scrolls in scroll.
	content *fyne.Container
	scroll  *container.Scroll

	env      *widget.Select
	loginURL *widget.Entry
	apiURL   *widget.Entry
	custom   []fyne.CanvasObject // the rows of the custom environment
	who      *widget.Label
	demo     *widget.Label
	link     *widget.Label
	warn     *widget.Label
	login    *widget.Button
	logout   *widget.Button

	// The login in progress.
	pending    *fyne.Container
	url        *widget.Entry
	waiting    *widget.Label
	code       *widget.Entry
	useCode    *widget.Button
	stopLogin  context.CancelFunc
	oob        *auth.OOBLogin
	settingEnv bool
}

// showProcorePanel opens the Procore panel, or brings it to the front.
func (u *UI) showProcorePanel() {
	if u.procore != nil {
		u.procore.refresh()
		u.procore.win.RequestFocus()
		return
	}
	p := newProcorePanel(u)
	u.procore = p
	p.win.SetOnClosed(func() {
		p.cancelLogin()
		u.procore = nil
	})
	p.win.Show()
}

func newProcorePanel(u *UI) *procorePanel {
	p := &procorePanel{u: u}
	p.win = u.fa.NewWindow("Procore")

	p.env = widget.NewSelect(environments, p.envChanged)
	p.loginURL = widget.NewEntry()
	p.apiURL = widget.NewEntry()
	apply := widget.NewButton("Use These URLs", func() { p.envChanged(config.EnvCustom) })
	p.custom = []fyne.CanvasObject{
		widget.NewLabel("Login URL"), p.loginURL,
		widget.NewLabel("API URL"), p.apiURL,
		widget.NewLabel(""), container.NewHBox(apply),
	}

	p.who = widget.NewLabel("")
	p.link = widget.NewLabel("")
	p.link.Wrapping = fyne.TextWrapWord
	p.demo = widget.NewLabel("")
	p.demo.Wrapping = fyne.TextWrapWord
	p.demo.Importance = widget.HighImportance
	if d := u.app.Demo(); d != nil {
		p.demo.SetText(fmt.Sprintf("Demo mode: Backsight talks to its built-in Procore sandbox. "+
			"Log in as %s with the password %s.", d.User, d.Password))
	} else {
		p.demo.Hide()
	}
	p.warn = widget.NewLabel("")
	p.warn.Importance = widget.WarningImportance
	p.warn.Wrapping = fyne.TextWrapWord

	p.login = widget.NewButtonWithIcon("Log In", theme.LoginIcon(), p.startLogin)
	p.login.Importance = widget.HighImportance
	p.logout = widget.NewButtonWithIcon("Log Out", theme.LogoutIcon(), func() {
		if len(u.runningProcoreJobs()) > 0 {
			u.confirmLogout(p.win, u.whoAmI())
			return
		}
		u.logout(p.win)
	})

	p.url = widget.NewEntry()
	p.url.Wrapping = fyne.TextWrapBreak
	p.url.MultiLine = true
	copyURL := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		u.fa.Clipboard().SetContent(p.url.Text)
	})
	p.waiting = widget.NewLabel("")
	p.waiting.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.cancelLogin)
	p.code = widget.NewEntry()
	p.code.SetPlaceHolder("Paste the code Procore shows")
	p.useCode = widget.NewButton("Log In with Code", p.exchangeCode)
	oob := widget.NewButton("Use a Code Instead", p.startOOB)
	p.pending = container.NewVBox(
		p.waiting,
		container.NewBorder(nil, nil, nil, copyURL, p.url),
		container.NewBorder(nil, nil, nil, container.NewHBox(p.useCode, oob), p.code),
		container.NewHBox(cancel),
	)
	p.pending.Hide()

	rows := append([]fyne.CanvasObject{widget.NewLabel("Environment"), p.env}, p.custom...)
	rows = append(rows,
		widget.NewLabel("Logged in as"), p.who,
		widget.NewLabel("Linked project"), p.link,
	)
	form := container.New(layout.NewFormLayout(), rows...)
	p.content = container.NewVBox(p.demo, form, container.NewHBox(p.login, p.logout),
		p.pending, p.warn)
	p.scroll = container.NewVScroll(container.NewPadded(p.content))
	p.win.SetContent(p.scroll)
	p.win.Resize(fyne.NewSize(600, 580))
	p.refresh()

	return p
}

// refresh shows the current state. Call on the UI goroutine.
func (p *procorePanel) refresh() {
	u := p.u
	cfg := u.app.Config().Procore

	p.settingEnv = true
	p.env.SetSelected(cfg.Environment)
	p.settingEnv = false
	p.loginURL.SetText(cfg.LoginURL)
	p.apiURL.SetText(cfg.APIURL)
	for _, o := range p.custom {
		if cfg.Environment == config.EnvCustom {
			o.Show()
		} else {
			o.Hide()
		}
	}

	if u.app.State() == auth.StateLoggedIn {
		p.who.SetText(u.whoAmI())
		p.login.Disable()
		p.logout.Enable()
		p.finishPending()
	} else {
		p.who.SetText("nobody")
		p.login.Enable()
		p.logout.Disable()
	}

	p.link.SetText(u.linkText())
	p.warn.SetText(u.app.StoreWarning())
	if p.warn.Text == "" {
		p.warn.Hide()
	} else {
		p.warn.Show()
	}
}

// envChanged switches to another environment off the UI goroutine.
func (p *procorePanel) envChanged(env string) {
	if p.settingEnv {
		return
	}
	u := p.u
	cfg := u.app.Config().Procore
	cfg.Environment = env
	if env == config.EnvCustom {
		cfg.LoginURL, cfg.APIURL = p.loginURL.Text, p.apiURL.Text
	}
	go func() {
		err := u.app.Reconfigure(u.ctx, cfg)
		do(func() {
			p.refresh()
			u.showErrorIn(p.win, "Procore environment", err)
		})
	}()
}

// startLogin runs the browser login: the URL is shown for copying while the
// panel waits for Procore's redirect.
func (p *procorePanel) startLogin() {
	u := p.u
	s, err := u.app.Session()
	if err != nil {
		u.showErrorIn(p.win, "Log in to Procore", err)
		return
	}

	ctx := p.beginPending("Procore's login page is opening in your browser: log in there " +
		"and come back. If no browser window appears, copy this address into a browser:")
	go func() {
		err := s.Login(ctx, func(authURL string) {
			do(func() { p.url.SetText(authURL) })
		})
		do(func() { p.loginDone(err) })
	}()
}

// startOOB switches to the out-of-band login: Procore shows a code that the
// user pastes here.
func (p *procorePanel) startOOB() {
	u := p.u
	s, err := u.app.Session()
	if err != nil {
		u.showErrorIn(p.win, "Log in to Procore", err)
		return
	}
	p.cancelLogin()
	p.beginPending("Log in at this address (copy it into a browser if none opens), then " +
		"paste the code Procore shows below:")
	p.oob = s.LoginOOB()
	authURL := p.oob.URL
	p.url.SetText(authURL)
	go func() { _ = s.OpenBrowser(authURL) }()
}

// exchangeCode finishes the out-of-band login with the pasted code.
func (p *procorePanel) exchangeCode() {
	u := p.u
	code := p.code.Text
	if p.oob == nil {
		s, err := u.app.Session()
		if err != nil {
			u.showErrorIn(p.win, "Log in to Procore", err)
			return
		}
		p.cancelLogin()
		p.oob = s.LoginOOB()
	}
	oob := p.oob
	ctx := p.beginPending("Checking the code…")
	p.oob = oob
	go func() {
		err := oob.Exchange(ctx, code)
		do(func() { p.loginDone(err) })
	}()
}

// beginPending shows the pending-login area and returns the context that
// Cancel ends.
func (p *procorePanel) beginPending(msg string) context.Context {
	p.cancelLogin()
	ctx, cancel := context.WithCancel(p.u.ctx)
	p.stopLogin = cancel
	p.waiting.SetText(msg)
	p.pending.Show()
	p.login.Disable()
	// The login steps appear below the rest: bring them, with Cancel, into
	// view.
	p.scroll.ScrollToBottom()

	return ctx
}

func (p *procorePanel) loginDone(err error) {
	if err != nil && !errCanceled(err) {
		p.waiting.SetText("The login did not complete.")
		p.u.showErrorIn(p.win, "Log in to Procore", err)
	}
	if err == nil {
		p.finishPending()
	}
	p.refresh()
}

func (p *procorePanel) cancelLogin() {
	if p.stopLogin != nil {
		p.stopLogin()
		p.stopLogin = nil
	}
	p.oob = nil
	p.pending.Hide()
	if p.u.app.State() != auth.StateLoggedIn {
		p.login.Enable()
	}
}

func (p *procorePanel) finishPending() {
	if p.stopLogin != nil {
		p.stopLogin()
		p.stopLogin = nil
	}
	p.oob = nil
	p.code.SetText("")
	p.url.SetText("")
	p.pending.Hide()
}

// linkText describes the Procore project linked to the open project, or
// when there is none, the defaults that the configuration names.
func (u *UI) linkText() string {
	if u.proj == nil {
		return "No project is open."
	}
	s := u.proj.Settings()
	if s.CompanyID != 0 && s.ProjectID != 0 {
		return procoreLinkText(s)
	}

	return configLinkText(u.app.Config().Procore, u.configNames)
}

// configLinkText says that the project is not linked yet and names the
// configuration's default company and project (procore.company_id and
// procore.project_id), by the names in known when it holds their ids.
func configLinkText(cfg config.Procore, known ProjectSettings) string {
	if cfg.CompanyID == 0 {
		return procoreLinkText(ProjectSettings{})
	}
	company, project := "", ""
	if known.CompanyID == cfg.CompanyID && known.ProjectID == cfg.ProjectID {
		company, project = known.CompanyName, known.ProjectName
	}
	if cfg.ProjectID == 0 {
		return fmt.Sprintf("Not linked to a Procore project yet. The configuration names the "+
			"company %s (procore.company_id), which the import and export windows offer first.",
			orID(company, cfg.CompanyID))
	}

	return fmt.Sprintf("Not linked to a Procore project yet. The configuration names %s › %s "+
		"(procore.company_id and procore.project_id), which the import and export windows offer first.",
		orID(company, cfg.CompanyID), orID(project, cfg.ProjectID))
}

// loginChanged follows the login state in the status bar and the panel.
// Call on the UI goroutine.
func (u *UI) loginChanged() {
	u.status.setLogin(u.app.State(), u.whoAmI())
	u.fetchName()
	u.nameLink()
	if u.procore != nil {
		u.procore.refresh()
	}
	if u.importWin != nil {
		u.importWin.loginChanged()
	}
	if u.exportWin != nil {
		u.exportWin.loginChanged()
	}
	u.checkNewer()
}

// logout cancels the jobs that talk to Procore, logs out off the UI
// goroutine and says what happened at Procore.
func (u *UI) logout(parent fyne.Window) {
	s, err := u.app.Session()
	if err != nil {
		u.showErrorIn(parent, "Log out of Procore", err)
		return
	}
	for h := range u.procoreJobs {
		h.Cancel()
	}
	go func() {
		res, err := s.Logout(u.ctx)
		do(func() {
			if err != nil {
				u.showErrorIn(parent, "Log out of Procore", err)
				return
			}
			if res.WasLoggedIn && !res.Revoked {
				dialog.ShowInformation("Logged out", res.Message(), parent)
			}
			u.loginChanged()
		})
	}()
}

// sentence formats a count with its noun: 1 point, 2 points.
func sentence(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}

	return fmt.Sprintf("%s %ss", groupThousands(n), noun)
}
