package ui

import (
	"runtime/debug"
	"sync"
	"time"
)

// releaseDelay is how long the UI waits after a burst of work before it hands
// the freed heap back to the operating system: long enough for the widgets to
// take the work's result, short enough that the figure a surveyor sees in the
// system monitor drops soon after the work ends.
const releaseDelay = 2 * time.Second

// memoryReleaser returns the heap's free pages to the operating system once
// the work that needed them is over (opening a project, a download, an import,
// an export). Without it the Go runtime keeps the peak of the last job as
// headroom for as long as the app sits idle, which is most of a desktop
// app's life. Calls to soon coalesce: a burst of jobs ends in one release.
type memoryReleaser struct {
	delay time.Duration
	free  func() // freeOSMemory; replaced in tests

	mu     sync.Mutex
	timer  *time.Timer
	closed bool
}

func newMemoryReleaser() *memoryReleaser {
	return &memoryReleaser{delay: releaseDelay, free: freeOSMemory}
}

// freeOSMemory returns the free pages of both heaps: Go's and the C
// library's, where the OpenGL driver allocates.
func freeOSMemory() {
	debug.FreeOSMemory()
	trimCHeap()
}

// soon schedules a release after the delay, or pushes a pending one back.
// Safe on any goroutine; the release itself runs on a timer goroutine, never
// on the UI goroutine.
func (r *memoryReleaser) soon() {
	r.mu.Lock()
	defer r.mu.Unlock()

	if r.closed {
		return
	}
	if r.timer != nil {
		r.timer.Reset(r.delay)
		return
	}
	r.timer = time.AfterFunc(r.delay, r.release)
}

func (r *memoryReleaser) release() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.timer = nil
	r.mu.Unlock()

	r.free()
}

// stop drops a pending release; later calls to soon do nothing.
func (r *memoryReleaser) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()

	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
}
