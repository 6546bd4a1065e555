package ui

import (
	"fmt"

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

// procoreTapped logs out after a confirmation while logged in, and opens the
// login otherwise.
func (s *statusBar) procoreTapped() {
	u := s.u
	if u.app.State() != auth.StateLoggedIn {
		u.showProcorePanel()
		return
	}

	who := s.procore.Text
	dialog.ShowConfirm("Log out of Procore",
		fmt.Sprintf("Log %s out of Procore?", who), func(ok bool) {
			if ok {
				u.logout(u.win)
			}
		}, u.win)
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
