package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/transfer"
)

// TestJobProgressThrottled pushes progress as fast as it can for half a
// second: the widgets see about five reports (one per 100 ms) and a final
// one, and Cancel stops the job.
func TestJobProgressThrottled(t *testing.T) {
	u := newTestUI(t, newMemProject("Riverside", 3))
	view := newProgressView()

	job := func(ctx context.Context, p *transfer.Progress) error {
		p.AddTotal(1<<40, 1)
		end := time.Now().Add(500 * time.Millisecond)
		for time.Now().Before(end) {
			p.AddBytes(4096)
		}
		<-ctx.Done() // then wait for Cancel
		return ctx.Err()
	}

	var finished error
	done := false
	onUI(func() {
		u.runJob("Downloading test", job, func(err error) { finished, done = err, true }, view)
		if !view.box.Visible() || !u.status.transfer.box.Visible() {
			t.Error("the job is not shown in the window and the status bar")
		}
	})
	time.Sleep(700 * time.Millisecond)
	onUI(func() { test.Tap(view.cancel) })
	eventually(t, wait, "the end of the job", func() bool { return done })

	onUI(func() {
		if view.updates < 3 || view.updates > 12 {
			t.Errorf("%d progress updates in about 0.7 s, want about 7", view.updates)
		}
		if !errCanceled(finished) {
			t.Errorf("job error = %v, want cancelled", finished)
		}
		if view.box.Visible() || u.status.transfer.box.Visible() {
			t.Error("the finished job is still shown")
		}
	})
}
