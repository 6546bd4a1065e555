package transfer

import (
	"sync"
	"sync/atomic"
	"time"
)

// DefaultReportInterval is how often [Progress.Report] calls back.
const DefaultReportInterval = 100 * time.Millisecond

// Progress counts the work of one job. Workers add to it from any goroutine;
// a reporter reads it on a timer. The zero value is ready to use.
type Progress struct {
	bytesDone  atomic.Int64
	bytesTotal atomic.Int64
	filesDone  atomic.Int64
	filesTotal atomic.Int64
	preparing  atomic.Int64
	start      atomic.Int64 // unix nanoseconds of the first report request

	mu      sync.Mutex
	current string

	// preparingHook, when a test sets it, is called by StartPreparing
	// once the file is counted as preparing, from the worker.
	preparingHook func()
}

// Snapshot is a copy of the counters at one moment.
type Snapshot struct {
	BytesDone  int64
	BytesTotal int64
	FilesDone  int64
	FilesTotal int64
	// Preparing is how many files are being read through SHA-256 before
	// their bytes move (about a second per GiB); a UI shows it as a
	// "preparing" phase.
	Preparing int64
	// Current is the file being worked on (informational).
	Current string
	Elapsed time.Duration
	// Final is true for the last report of a job, and only for it.
	Final bool
}

// Fraction returns BytesDone/BytesTotal in [0, 1] (0 when the total is not
// known yet).
func (s Snapshot) Fraction() float64 {
	if s.BytesTotal <= 0 {
		return 0
	}

	return min(max(float64(s.BytesDone)/float64(s.BytesTotal), 0), 1)
}

// ProgressFunc receives progress reports. It is called from the reporter
// goroutine, never concurrently with itself; a UI hands the snapshot to its
// own thread (fyne.Do) from here.
type ProgressFunc func(Snapshot)

// AddBytes counts n bytes as transferred (negative after a retry rewinds).
// It is safe to call on a nil Progress.
func (p *Progress) AddBytes(n int64) {
	if p != nil {
		p.bytesDone.Add(n)
	}
}

// AddTotal grows the expected byte and file totals.
func (p *Progress) AddTotal(bytes, files int64) {
	if p != nil {
		p.bytesTotal.Add(bytes)
		p.filesTotal.Add(files)
	}
}

// FileDone counts one finished file.
func (p *Progress) FileDone() {
	if p != nil {
		p.filesDone.Add(1)
	}
}

// StartPreparing counts one file as being prepared (see
// [Snapshot.Preparing]) until the returned function is called. It is safe
// to call on a nil Progress.
func (p *Progress) StartPreparing() (done func()) {
	if p == nil {
		return func() {}
	}

	p.preparing.Add(1)
	if p.preparingHook != nil {
		p.preparingHook()
	}

	return func() { p.preparing.Add(-1) }
}

// SetCurrent names the file being worked on.
func (p *Progress) SetCurrent(name string) {
	if p != nil {
		p.mu.Lock()
		p.current = name
		p.mu.Unlock()
	}
}

// Snapshot returns the current counters.
func (p *Progress) Snapshot() Snapshot {
	p.mu.Lock()
	cur := p.current
	p.mu.Unlock()

	var elapsed time.Duration
	if s := p.start.Load(); s != 0 {
		elapsed = time.Since(time.Unix(0, s))
	}

	return Snapshot{
		BytesDone:  p.bytesDone.Load(),
		BytesTotal: p.bytesTotal.Load(),
		FilesDone:  p.filesDone.Load(),
		FilesTotal: p.filesTotal.Load(),
		Preparing:  p.preparing.Load(),
		Current:    cur,
		Elapsed:    elapsed,
	}
}

// Report starts a goroutine that calls fn with a snapshot every interval
// (DefaultReportInterval when interval <= 0). The returned stop function
// ends it, makes one last call with Final set, and returns after that call.
// stop may be called more than once.
func (p *Progress) Report(interval time.Duration, fn ProgressFunc) (stop func()) {
	if interval <= 0 {
		interval = DefaultReportInterval
	}

	p.start.CompareAndSwap(0, time.Now().UnixNano())
	quit := make(chan struct{})
	done := make(chan struct{})

	go func() {
		defer close(done)

		t := time.NewTicker(interval)
		defer t.Stop()

		for {
			select {
			case <-t.C:
				fn(p.Snapshot())
			case <-quit:
				s := p.Snapshot()
				s.Final = true
				fn(s)

				return
			}
		}
	}()

	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}
