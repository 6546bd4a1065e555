package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/auth"
)

// statusBar is the bottom line of the main window: the Procore mark with the
// user's name, and the transfer in progress.
type statusBar struct {
	u       *UI
	content fyne.CanvasObject

	procore *widget.Button

	transfer *progressView
}

func newStatusBar(u *UI) *statusBar {
	s := &statusBar{u: u}
	s.procore = widget.NewButtonWithIcon("Procore: logged out", procoreOffIcon, s.procoreTapped)
	s.procore.Importance = widget.LowImportance

	s.transfer = newProgressView()
	s.content = container.NewBorder(widget.NewSeparator(), nil, s.procore, nil, s.transfer.box)

	return s
}

// setLogin shows the login state: the mark in colour and the user's name
// while logged in, grey while logged out.
func (s *statusBar) setLogin(st auth.State, who string) {
	if st == auth.StateLoggedIn {
		s.procore.SetIcon(procoreOnIcon)
		s.procore.SetText(who)
		return
	}
	s.procore.SetIcon(procoreOffIcon)
	s.procore.SetText("Procore: logged out")
}

// procoreTapped logs out after a confirmation while logged in. Otherwise it
// opens the Procore panel and starts the login there at once, as Log In
// does, unless a login is already under way.
func (s *statusBar) procoreTapped() {
	u := s.u
	if u.app.State() != auth.StateLoggedIn {
		u.showProcorePanel()
		if p := u.procore; p != nil && p.stopLogin == nil && p.oob == nil {
			p.startLogin()
		}
		return
	}

	u.confirmLogout(u.win, s.procore.Text)
}

// confirmLogout asks before logging who out, and says which transfers that
// cancels. Call on the UI goroutine.
func (u *UI) confirmLogout(parent fyne.Window, who string) {
	text := fmt.Sprintf("Log %s out of Procore?", who)
	if names := u.runningProcoreJobs(); len(names) > 0 {
		text += "\n\nLogging out cancels " + transfersText(names) + "."
	}
	dialog.ShowConfirm("Log out of Procore", text, func(ok bool) {
		if ok {
			u.logout(parent)
		}
	}, parent)
}

// transfersText names the running transfers for a sentence:
// "the transfer in progress (Downloading 2 files)".
func transfersText(names []string) string {
	if len(names) == 1 {
		return "the transfer in progress (" + names[0] + ")"
	}

	return fmt.Sprintf("the %d transfers in progress (%s)", len(names), strings.Join(names, ", "))
}

// humanBytes formats a size: 512 B, 1.5 KB, 12.0 MB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}

	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
