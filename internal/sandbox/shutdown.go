package sandbox

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// newConnGrace is how long a connection may stay without a request before
// a shutting-down server closes it: a request that had already reached the
// socket when the shutdown began is read well within it.
const newConnGrace = 100 * time.Millisecond

// newConns tracks the connections of one http.Server that have not sent a
// request yet. Set its track method as the server's ConnState.
type newConns struct {
	mu    sync.Mutex
	since map[net.Conn]time.Time
}

func newNewConns() *newConns { return &newConns{since: map[net.Conn]time.Time{}} }

func (n *newConns) track(c net.Conn, st http.ConnState) {
	n.mu.Lock()
	defer n.mu.Unlock()

	if st == http.StateNew {
		n.since[c] = time.Now()
		return
	}
	delete(n.since, c)
}

// closeQuiet closes the connections that have waited longer than
// newConnGrace without a request.
func (n *newConns) closeQuiet() {
	n.mu.Lock()
	defer n.mu.Unlock()

	for c, t := range n.since {
		if time.Since(t) > newConnGrace {
			_ = c.Close()
			delete(n.since, c)
		}
	}
}

// shutdown stops srv gracefully: no new connections, requests in flight
// finish. net/http counts a connection that has not sent its first request
// as busy for five seconds (golang/go#22682), so a client's spare connection
// (Go's transport dials ahead and keeps the extra one) would hold Shutdown
// that long; shutdown closes such connections once they have been quiet for
// newConnGrace.
func shutdown(ctx context.Context, srv *http.Server, nc *newConns) error {
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()

	tick := time.NewTicker(newConnGrace / 4)
	defer tick.Stop()

	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			nc.closeQuiet()
		}
	}
}
