package ui

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/auth/authtest"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

func TestErrorDialog(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))
	secret := "https://storage.example/file?X-Amz-Signature=abc123secret"
	err := fmt.Errorf("procore: download %s: %w", secret, procore.ErrForbidden)

	onUI(func() {
		u.showError("Download", err)
		top := u.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no dialog shown")
		}
		text := labelsUnder(top)
		if !strings.Contains(text, app.UserMessage(err)) {
			t.Errorf("dialog does not hold the user sentence %q:\n%s", app.UserMessage(err), text)
		}
		if strings.Contains(text, "abc123secret") {
			t.Errorf("dialog shows a signed URL's secret:\n%s", text)
		}
		if findButton(top, "Open Log Folder") == nil {
			t.Error("no Open Log Folder button")
		}
		var acc *widget.Accordion
		walk(top, func(o fyne.CanvasObject) bool {
			if a, ok := o.(*widget.Accordion); ok {
				acc = a
				return false
			}
			return true
		})
		if acc == nil || len(acc.Items) != 1 || acc.Items[0].Title != "Details" {
			t.Fatalf("no Details to expand")
		}
		if got := acc.Items[0].Detail.(*widget.Label).Text; !strings.Contains(got, "forbidden") {
			t.Errorf("details = %q", got)
		}
	})

	// A cancelled job is not an error.
	onUI(func() {
		before := len(u.win.Canvas().Overlays().List())
		u.showError("Download", fmt.Errorf("transfer: %w", context.Canceled))
		if after := len(u.win.Canvas().Overlays().List()); after != before {
			t.Error("a cancelled job showed an error dialog")
		}
	})
}

func TestLoginOutOfBand(t *testing.T) {
	ctx := t.Context()
	a, u := newDemoUI(t)

	var authURL string
	onUI(func() {
		u.showProcorePanel()
		p := u.procore
		if p.warn.Visible() {
			t.Errorf("keyring warning shown for the demo's own token file: %q", p.warn.Text)
		}
		test.Tap(findButton(p.pending, "Use a Code Instead"))
		authURL = p.url.Text
	})
	if !strings.Contains(authURL, "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob") {
		t.Fatalf("out-of-band URL = %q", authURL)
	}

	code, err := authtest.NewBrowser(sandbox.DemoSurveyor, sandbox.DemoPassword).OOBCode(ctx, authURL)
	if err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		test.Type(u.procore.code, code)
		test.Tap(u.procore.useCode)
	})
	eventually(t, wait, "the login", func() bool {
		return a.State() == auth.StateLoggedIn && u.procore.who.Text != "nobody"
	})
}

func TestLoginCancel(t *testing.T) {
	// The opener never opens anything: the login waits until cancelled.
	a, u := newDemoUI(t)
	onUI(func() {
		u.showProcorePanel()
		test.Tap(u.procore.login)
	})

	var authURL string
	eventually(t, wait, "the login URL", func() bool {
		authURL = u.procore.url.Text
		return authURL != ""
	})
	redirect := redirectAddr(t, authURL)
	c, err := net.DialTimeout("tcp", redirect, time.Second)
	if err != nil {
		t.Fatalf("the login does not listen for its redirect: %v", err)
	}
	_ = c.Close()
	onUI(func() {
		test.Tap(findButton(u.procore.pending, "Cancel"))
		if u.procore.pending.Visible() || u.procore.login.Disabled() {
			t.Error("the pending login is still shown after Cancel")
		}
	})

	// The login closes its redirect listener only once it stopped waiting,
	// so from then on no redirect can log the user in.
	eventually(t, wait, "the redirect listener to close", func() bool {
		c, err := net.DialTimeout("tcp", redirect, time.Second)
		if err == nil {
			_ = c.Close()
		}
		return err != nil
	})
	if a.State() != auth.StateLoggedOut {
		t.Error("logged in after Cancel")
	}
}

// redirectAddr returns the 127.0.0.1 address of the loopback redirect URI
// named in authURL.
func redirectAddr(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil || r.Port() == "" {
		t.Fatalf("no loopback redirect URI in the login URL (%v)", err)
	}

	return net.JoinHostPort("127.0.0.1", r.Port())
}

// newDemoSession starts an App (appOpts, with the scripted browser of the
// demo surveyor as its opener) on the demo sandbox, opens a UI (uiOpts, on
// the demo project) in a 1200×780 window, and logs in.
func newDemoSession(t *testing.T, appOpts app.Options, uiOpts Options) (*UI, *app.Demo) {
	t.Helper()
	ctx := t.Context()
	browser := authtest.NewBrowser(sandbox.DemoSurveyor, sandbox.DemoPassword)
	appOpts.Opener = browser.Opener(ctx)
	a := newTestApp(t, appOpts)
	demo, err := a.StartDemo(ctx, app.DemoOptions{
		Dir: t.TempDir(), ProjectDir: filepath.Join(t.TempDir(), "demo"),
	})
	if err != nil {
		t.Fatal(err)
	}

	uiOpts.ProjectDir = demo.ProjectDir
	fa := test.NewTempApp(t)
	var u *UI
	onUI(func() {
		u = newUI(ctx, fa, a, uiOpts)
		u.win.Resize(fyne.NewSize(1200, 780))
	})
	t.Cleanup(func() { onUI(u.close) })
	eventually(t, wait, "the demo project", func() bool { return u.proj != nil })
	login(t, u)

	return u, demo
}

// newDemoUI opens a UI on an App running the demo sandbox, with a browser
// opener that opens nothing.
func newDemoUI(t *testing.T) (*app.App, *UI) {
	t.Helper()
	a := newTestApp(t, app.Options{Opener: func(string) error { return nil }})
	if _, err := a.StartDemo(t.Context(), app.DemoOptions{
		Dir: t.TempDir(), ProjectDir: filepath.Join(t.TempDir(), "demo"),
	}); err != nil {
		t.Fatal(err)
	}

	fa := test.NewTempApp(t)
	var u *UI
	onUI(func() { u = newUI(t.Context(), fa, a, Options{}) })
	t.Cleanup(func() { onUI(u.close) })

	return a, u
}

// TestExportRefusesUnsafeName refuses a file name that some computer or
// Procore would not take, and suggests one that they would.
func TestExportRefusesUnsafeName(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))

	onUI(func() {
		u.showExport(false)
		w := u.exportWin
		w.name.SetText("site: west.csv")
		test.Tap(w.export)

		top := w.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no dialog after Export with an unsafe name")
		}
		if text := labelsUnder(top); !strings.Contains(text, "for example site_ west.csv.") {
			t.Errorf("dialog %q does not suggest a safe name", text)
		}
		if w.export.Disabled() {
			t.Error("the export started")
		}
	})
}

// TestIconStartsLogin clicks the status bar's Procore mark while logged out:
// the Procore panel opens with the login under way (the address to copy,
// Cancel and the field for a pasted code), as Log In would show it.
func TestIconStartsLogin(t *testing.T) {
	_, u := newDemoUI(t)
	onUI(func() { test.Tap(u.status.procore) })

	eventually(t, wait, "the login address in the panel", func() bool {
		return u.procore != nil && u.procore.pending.Visible() && u.procore.url.Text != ""
	})
	onUI(func() {
		p := u.procore
		if findButton(p.pending, "Cancel") == nil || !p.code.Visible() {
			t.Error("the pending login shows no Cancel or no code field")
		}
		if !p.login.Disabled() {
			t.Error("Log In is still enabled while the login is under way")
		}
		// A second click keeps the login under way rather than starting
		// another.
		url := p.url.Text
		test.Tap(u.status.procore)
		if p.url.Text != url || !p.pending.Visible() {
			t.Error("a second click restarted the login")
		}
		test.Tap(findButton(p.pending, "Cancel"))
	})
}

// TestProcorePanelConfigDefaults opens the Procore panel for a project not
// linked yet while the configuration names a company and a project (the
// demo's): the panel names them as the configuration's, by their ids while
// logged out and by their names once logged in.
func TestProcorePanelConfigDefaults(t *testing.T) {
	ctx := t.Context()
	browser := authtest.NewBrowser(sandbox.DemoSurveyor, sandbox.DemoPassword)
	a := newTestApp(t, app.Options{Opener: browser.Opener(ctx)})
	if _, err := a.StartDemo(ctx, app.DemoOptions{
		Dir: t.TempDir(), ProjectDir: filepath.Join(t.TempDir(), "demo"),
	}); err != nil {
		t.Fatal(err)
	}
	p := newMemProject("Riverside", 3)
	fa := test.NewTempApp(t)
	var u *UI
	onUI(func() { u = newUI(ctx, fa, a, Options{ProjectDir: p.dir, OpenProject: openMem(p)}) })
	t.Cleanup(func() { onUI(u.close) })
	eventually(t, wait, "the project", func() bool { return u.proj != nil })

	onUI(func() {
		u.showProcorePanel()
		ids := fmt.Sprintf("#%d › #%d", sandbox.DemoCompanyID, sandbox.DemoProjectID)
		if got := u.procore.link.Text; !strings.Contains(got, ids) ||
			!strings.Contains(got, "configuration") {
			t.Errorf("logged out, the panel says %q; want %s from the configuration", got, ids)
		}
	})
	login(t, u) // waits for the names in the panel
	onUI(func() {
		u.showProcorePanel()
		got := u.procore.link.Text
		if !strings.Contains(got, sandbox.DemoCompanyName+" › Riverside Subdivision Stage 2") ||
			!strings.Contains(got, "configuration") || !strings.HasPrefix(got, "Not linked") {
			t.Errorf("logged in, the panel says %q", got)
		}
		if s := p.Settings(); s.CompanyID != 0 || s.ProjectID != 0 {
			t.Errorf("showing the defaults linked the project: %+v", s)
		}
	})
}
