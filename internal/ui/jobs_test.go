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

// TestProgressViewText: what the status bar says for a snapshot.
func TestProgressViewText(t *testing.T) {
	newTestUI(t, newMemProject("Riverside", 3))
	h := &transfer.Handle{Name: "Uploading"}

	cases := []struct {
		s    transfer.Snapshot
		want string
	}{
		{transfer.Snapshot{}, "Uploading"},
		{transfer.Snapshot{Current: "topo.csv", BytesDone: 512, BytesTotal: 2048},
			"Uploading: topo.csv (512 B of 2.0 KB)"},
		{transfer.Snapshot{Current: "topo.csv", Preparing: 1, BytesTotal: 2048},
			"Uploading: topo.csv, preparing (0 B of 2.0 KB)"},
	}
	for _, tc := range cases {
		onUI(func() {
			v := newProgressView()
			v.start(h)
			v.update(h, tc.s)
			if got := v.what.Text; got != tc.want {
				t.Errorf("snapshot %+v shows %q, want %q", tc.s, got, tc.want)
			}
		})
	}
}

// TestProgressText names the file being worked on once: an export's job is
// already called after its file.
func TestProgressText(t *testing.T) {
	const kb = 1024
	tests := []struct {
		name string
		s    transfer.Snapshot
		want string
	}{
		{"Exporting pts.csv", transfer.Snapshot{Current: "pts.csv", BytesDone: 53 * kb,
			BytesTotal: 106 * kb}, "Exporting pts.csv (53.0 KB of 106.0 KB)"},
		{"Downloading 2 files", transfer.Snapshot{Current: "pts.csv"},
			"Downloading 2 files: pts.csv"},
		{"Uploading Control", transfer.Snapshot{Current: "Control/a.csv", Preparing: 1},
			"Uploading Control: Control/a.csv, preparing"},
	}
	for _, tt := range tests {
		if got := progressText(tt.name, tt.s); got != tt.want {
			t.Errorf("progressText(%q, %+v) = %q, want %q", tt.name, tt.s, got, tt.want)
		}
	}
}
