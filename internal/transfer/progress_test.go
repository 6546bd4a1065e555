package transfer

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestProgressReportsOnATimer(t *testing.T) {
	t.Parallel()

	var (
		mu      sync.Mutex
		reports []Snapshot
	)
	p := &Progress{}
	p.AddTotal(100<<20, 1)
	stop := p.Report(10*time.Millisecond, func(s Snapshot) {
		mu.Lock()
		reports = append(reports, s)
		mu.Unlock()
	})

	// 100 MB in 32 KiB writes over about 100 ms.
	start := time.Now()
	for i := 0; i < 100<<20/(32<<10); i++ {
		p.AddBytes(32 << 10)
		if i%320 == 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
	p.FileDone()
	elapsed := time.Since(start)
	stop()
	stop() // a second stop is harmless

	finals := 0
	for _, r := range reports {
		if r.Final {
			finals++
		}
	}

	last := reports[len(reports)-1]
	if finals != 1 || !last.Final || last.BytesDone != 100<<20 || last.FilesDone != 1 || last.Fraction() != 1 {
		t.Fatalf("finals %d, last %+v", finals, last)
	}

	// About elapsed/interval reports, not one per write (3200 writes).
	if max := int(elapsed/(10*time.Millisecond)) + 5; len(reports) > max {
		t.Fatalf("%d reports in %s, want at most %d", len(reports), elapsed, max)
	}
}

func TestManagerLimitsConcurrency(t *testing.T) {
	t.Parallel()

	m := NewManager(t.Context(), 2)
	var running, peak atomic.Int32
	var handles []*Handle
	for range 6 {
		handles = append(handles, m.Submit("job", func(ctx context.Context, p *Progress) error {
			n := running.Add(1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			running.Add(-1)

			return nil
		}))
	}
	m.Wait()

	for _, h := range handles {
		if err := h.Err(); err != nil {
			t.Fatal(err)
		}
	}

	if peak.Load() != 2 {
		t.Fatalf("peak concurrency %d, want 2", peak.Load())
	}
}

func TestManagerCancel(t *testing.T) {
	t.Parallel()

	m := NewManager(t.Context(), 1)
	started := make(chan struct{})
	h := m.Submit("blocks", func(ctx context.Context, p *Progress) error {
		close(started)
		<-ctx.Done()

		return ctx.Err()
	})
	<-started
	queued := m.Submit("queued", func(ctx context.Context, p *Progress) error { return nil })
	queued.Cancel()
	h.Cancel()
	if !errors.Is(h.Err(), context.Canceled) || !errors.Is(queued.Err(), context.Canceled) {
		t.Fatalf("errs %v, %v", h.Err(), queued.Err())
	}

	m.Close()
	if err := m.Submit("late", func(context.Context, *Progress) error { return nil }).Err(); !errors.Is(err, ErrManagerClosed) {
		t.Fatalf("late submit: %v", err)
	}
}

func TestProgressPreparing(t *testing.T) {
	t.Parallel()

	p := &Progress{}
	a, b := p.StartPreparing(), p.StartPreparing()
	if n := p.Snapshot().Preparing; n != 2 {
		t.Fatalf("preparing %d, want 2", n)
	}

	a()
	b()
	if n := p.Snapshot().Preparing; n != 0 {
		t.Fatalf("preparing %d after both ended, want 0", n)
	}

	var none *Progress
	none.StartPreparing()() // a nil Progress counts nothing
}
