package ui

import (
	"sync"

	"fyne.io/fyne/v2"
)

// uiMu serialises every change that goroutines make to widgets. With the
// desktop driver fyne.Do already runs everything on one goroutine, so the lock
// is never contended; with the test driver fyne.Do runs the function at once
// on the calling goroutine, and the lock (taken by tests around their own
// widget calls, see onUI in the tests) keeps those changes from racing.
var uiMu sync.Mutex

// do runs fn on the UI goroutine without waiting. Call it only from
// goroutines this package started, never from a UI callback.
func do(fn func()) {
	fyne.Do(func() {
		uiMu.Lock()
		defer uiMu.Unlock()

		fn()
	})
}

// doAndWait runs fn on the UI goroutine and waits for it. Call it only from
// goroutines this package started, never from a UI callback.
func doAndWait(fn func()) {
	fyne.DoAndWait(func() {
		uiMu.Lock()
		defer uiMu.Unlock()

		fn()
	})
}
