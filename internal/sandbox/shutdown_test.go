package sandbox

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestShutdownSpareConnection: a connection that never sent a request (a
// client's spare) does not hold the shutdown until its deadline, and a
// request in flight when the shutdown begins still gets its answer.
func TestShutdownSpareConnection(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	nc := newNewConns()
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-release
			_, _ = io.WriteString(w, "done")
		}),
		ConnState: nc.track,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()

	spare, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()

	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-started

	// Far less than the five seconds net/http gives a new connection.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- shutdown(ctx, srv, nc) }()

	close(release)
	if got := <-answer; got != "done" {
		t.Errorf("request in flight got %q, want its answer", got)
	}
	if err := <-stopped; err != nil {
		t.Errorf("shutdown: %v (the spare connection held it)", err)
	}
	_ = spare.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := spare.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Error("the spare connection is still open")
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
