package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/transfer"
)

// progressView shows one running job: what is moving, a progress bar and
// Cancel. It is hidden while no job runs.
type progressView struct {
	box    *fyne.Container
	what   *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	handle *transfer.Handle
	// updates counts progress reports shown, for tests of the throttling.
	updates int
}

func newProgressView() *progressView {
	v := &progressView{}
	v.what = widget.NewLabel("")
	v.what.Truncation = fyne.TextTruncateEllipsis
	v.bar = widget.NewProgressBar()
	v.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if v.handle != nil {
			v.handle.Cancel()
		}
	})
	v.box = container.NewBorder(nil, nil, nil, v.cancel, container.NewGridWithColumns(2, v.what, v.bar))
	v.box.Hide()

	return v
}

func (v *progressView) start(h *transfer.Handle) {
	v.handle = h
	v.what.SetText(h.Name)
	v.bar.SetValue(0)
	v.box.Show()
}

func (v *progressView) update(h *transfer.Handle, s transfer.Snapshot) {
	if v.handle != h {
		return
	}
	v.updates++
	v.bar.SetValue(s.Fraction())
	v.what.SetText(progressText(h.Name, s))
}

// progressText is the line shown for the job called name: the file being
// worked on (unless the name already ends with it, as "Exporting pts.csv"
// does), whether it is being prepared, and the bytes moved.
func progressText(name string, s transfer.Snapshot) string {
	text := name
	if s.Current != "" && !strings.HasSuffix(name, " "+s.Current) {
		text = fmt.Sprintf("%s: %s", name, s.Current)
	}
	if s.Preparing > 0 {
		// Files read through SHA-256 before their bytes move.
		text += ", preparing"
	}
	if s.BytesTotal > 0 {
		text += fmt.Sprintf(" (%s of %s)", humanBytes(s.BytesDone), humanBytes(s.BytesTotal))
	}

	return text
}

func (v *progressView) stop(h *transfer.Handle) {
	if v.handle != h {
		return
	}
	v.handle = nil
	v.box.Hide()
}

// runJob submits job to the App's transfer manager and shows it in the
// status bar and in the extra views. Progress reaches the widgets from a
// timer, ten times a second at most. done runs on the UI goroutine with the
// job's error (context.Canceled after Cancel). Call on the UI goroutine.
func (u *UI) runJob(name string, job transfer.Job, done func(error),
	views ...*progressView,
) *transfer.Handle {
	views = append(views, u.status.transfer)
	h := u.app.Transfers().Submit(name, job)
	for _, v := range views {
		v.start(h)
	}

	stop := h.Progress.Report(transfer.DefaultReportInterval, func(s transfer.Snapshot) {
		do(func() {
			for _, v := range views {
				v.update(h, s)
			}
		})
	})

	go func() {
		<-h.Done()
		stop()
		err := h.Err()
		do(func() {
			for _, v := range views {
				v.stop(h)
			}
			done(err)
		})
		u.mem.soon()
	}()

	return h
}

// trackProcore marks h as a job that talks to Procore until it ends, so that
// logging out names and cancels it. Call on the UI goroutine.
func (u *UI) trackProcore(h *transfer.Handle) {
	if u.procoreJobs == nil {
		u.procoreJobs = map[*transfer.Handle]bool{}
	}
	u.procoreJobs[h] = true
	go func() {
		<-h.Done()
		do(func() { delete(u.procoreJobs, h) })
	}()
}

// runningProcoreJobs returns the names of the running jobs that talk to
// Procore, sorted. Call on the UI goroutine.
func (u *UI) runningProcoreJobs() []string {
	var names []string
	for h := range u.procoreJobs {
		select {
		case <-h.Done():
		default:
			names = append(names, h.Name)
		}
	}
	slices.Sort(names)

	return names
}
