package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/auth/authtest"
	"github.com/backsight/backsight/internal/sandbox"
)

// requireIPv6Loopback skips the test when ::1 cannot be bound here.
func requireIPv6Loopback(t *testing.T) {
	t.Helper()

	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("the IPv6 loopback ::1 cannot be bound on this machine, "+
			"so the ::1 redirect is not tested: %v", err)
	}
	ln.Close()
}

// trackedListener remembers whether it was closed.
type trackedListener struct {
	net.Listener
	closed atomic.Bool
}

func (l *trackedListener) Close() error {
	l.closed.Store(true)
	return l.Listener.Close()
}

// fakeListen listens for real on 127.0.0.1, also for "tcp6" (so the test
// does not need ::1), except that its tcp6 listens fail with fail6 in turn.
type fakeListen struct {
	fail6  []error
	tries6 int
	opened []*trackedListener

	// reserved, when set, is a listener on 127.0.0.1 that the test opened
	// at the port it asks for: the tcp4 listen at that port is given it
	// instead of listening again, so that no other program can take the
	// port in between.
	reserved net.Listener
}

func (f *fakeListen) listen(network, address string) (net.Listener, error) {
	_, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}

	if network == "tcp6" {
		f.tries6++
		if f.tries6 <= len(f.fail6) && f.fail6[f.tries6-1] != nil {
			return nil, &net.OpError{Op: "listen", Net: network,
				Addr: &net.TCPAddr{IP: net.IPv6loopback},
				Err:  os.NewSyscallError("bind", f.fail6[f.tries6-1])}
		}
		port = "0" // the real port is taken by the 127.0.0.1 listener
	}

	ln, err := f.listen4(port)
	if err != nil {
		return nil, err
	}
	tl := &trackedListener{Listener: ln}
	f.opened = append(f.opened, tl)

	return tl, nil
}

// listen4 listens on 127.0.0.1 at port, handing out the reserved listener
// once when there is one.
func (f *fakeListen) listen4(port string) (net.Listener, error) {
	if f.reserved == nil {
		return net.Listen("tcp4", net.JoinHostPort("127.0.0.1", port))
	}

	ln := f.reserved
	f.reserved = nil
	if want := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port); port != want {
		return nil, fmt.Errorf("listen on 127.0.0.1 at port %s, want the reserved %s", port, want)
	}

	return ln, nil
}

func TestListenLoopback(t *testing.T) {
	t.Parallel()

	inUse, notAvail := syscall.EADDRINUSE, syscall.EADDRNOTAVAIL
	tests := []struct {
		name      string
		anyPort   bool
		fail6     []error
		listeners int   // 0: an error is wanted
		wantErr   error // with listeners 0
		tries6    int
	}{
		{name: "both", listeners: 2, tries6: 1},
		{name: "no ::1", fail6: []error{notAvail}, listeners: 1, tries6: 1},
		{name: "no ipv6", fail6: []error{syscall.EAFNOSUPPORT}, listeners: 1, tries6: 1},
		{name: "::1 port taken", fail6: []error{inUse}, wantErr: inUse, tries6: 1},
		{name: "any port, ::1 taken once", anyPort: true, fail6: []error{inUse},
			listeners: 2, tries6: 2},
		{name: "any port, ::1 always taken", anyPort: true,
			fail6: []error{inUse, inUse, inUse, inUse, inUse, inUse}, wantErr: inUse,
			tries6: anyPortTries},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			f := &fakeListen{fail6: tt.fail6}
			port := 0
			if !tt.anyPort {
				f.reserved = reservePort(t)
				port = f.reserved.Addr().(*net.TCPAddr).Port
			}
			lns, err := listenLoopback(f.listen, port, zap.NewNop())
			for _, ln := range lns {
				defer ln.Close()
			}

			if tt.listeners == 0 {
				if !errors.Is(err, tt.wantErr) ||
					!strings.HasPrefix(err.Error(), "auth: listen for the login redirect: ") {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				if n := strings.Count(fmt.Sprint(err), "auth:"); n != 1 {
					t.Errorf("err = %q names the package %d times, want once", err, n)
				}
				for i, ln := range f.opened {
					if !ln.closed.Load() {
						t.Errorf("listener %d left open after the error", i)
					}
				}
			} else if err != nil || len(lns) != tt.listeners {
				t.Errorf("%d listeners, %v; want %d", len(lns), err, tt.listeners)
			}
			if f.tries6 != tt.tries6 {
				t.Errorf("%d ::1 listens, want %d", f.tries6, tt.tries6)
			}
			if port != 0 && len(lns) > 0 {
				if got := lns[0].Addr().(*net.TCPAddr).Port; got != port {
					t.Errorf("listens on port %d, want %d", got, port)
				}
			}
		})
	}
}

// reservePort listens on 127.0.0.1 at a port the system picks and keeps
// listening until the test ends: a fixed port for listenLoopback that no
// other program can take before the test uses it (see fakeListen).
func reservePort(t *testing.T) net.Listener {
	t.Helper()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })

	return ln
}

// TestE2ELoginLoopbackAddresses: the browser follows the redirect to
// http://localhost:PORT/callback, whether it resolves localhost to 127.0.0.1
// or to ::1; after the login neither address listens any more.
func TestE2ELoginLoopbackAddresses(t *testing.T) {
	t.Parallel()

	for _, ip := range []string{"127.0.0.1", "::1"} {
		t.Run(ip, func(t *testing.T) {
			t.Parallel()
			if ip == "::1" {
				requireIPv6Loopback(t)
			}

			e := startE2E(t, sandbox.Options{})
			s := e.session(Options{})
			b := authtest.NewBrowser(demoLogin, demoPassword)
			b.Localhost = ip

			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			s.opener = b.Opener(ctx)
			if err := e.noteErr(s.Login(ctx, nil)); err != nil {
				_, berr := b.Last()
				t.Fatalf("login: %v (browser: %v)", err, e.noteErr(berr))
			}

			page, _ := b.Last()
			if page.Status != http.StatusOK || page.URL.Hostname() != RedirectHost ||
				!strings.Contains(page.Body, "You can close this tab") {
				t.Errorf("listener page %d at %s: %q", page.Status, page.URL.Host, page.Body)
			}
			if s.State() != StateLoggedIn {
				t.Error("not logged in")
			}

			// Both listeners are closed once Login has returned.
			for _, host := range []string{"127.0.0.1", "::1"} {
				addr := net.JoinHostPort(host, page.URL.Port())
				if c, err := net.Dial("tcp", addr); err == nil {
					c.Close()
					t.Errorf("%s still listens after the login", addr)
				}
			}
		})
	}
}

// TestLoginPortBusy: a redirect port taken by another program on either
// loopback address fails the login before the browser opens, with the
// *net.OpError that names the address (the user message is built from it).
func TestLoginPortBusy(t *testing.T) {
	t.Parallel()

	for _, ip := range []string{"127.0.0.1", "::1"} {
		t.Run(ip, func(t *testing.T) {
			t.Parallel()
			if ip == "::1" {
				requireIPv6Loopback(t)
			}

			f := newFakeProcore(t)
			opened := false
			s, _ := newUnitSession(t, f, nil, nil, Options{
				Opener: func(string) error { opened = true; return nil },
			})

			// occupy can only check that 127.0.0.1 is free at a ::1 port, not
			// keep it free: a parallel test may take it before Login listens.
			// Such a clash names 127.0.0.1; try another port then.
			var (
				other net.Listener
				port  int
				err   error
			)
			for range 5 {
				other = occupy(t, ip)
				port = other.Addr().(*net.TCPAddr).Port
				s.cfg.RedirectPort = port
				err = s.Login(t.Context(), nil)
				if ip == "127.0.0.1" || err == nil || !strings.Contains(err.Error(), "127.0.0.1:") {
					break
				}
			}

			var op *net.OpError
			if !errors.Is(err, ErrPortInUse) || !addrInUse(err) || !errors.As(err, &op) ||
				op.Addr == nil || op.Addr.String() != other.Addr().String() {
				t.Fatalf("err = %v, want EADDRINUSE naming %s", err, other.Addr())
			}
			if opened {
				t.Error("browser opened although the login cannot listen")
			}

			// The 127.0.0.1 half of a ::1 clash is not left listening.
			if ln, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
				ln.Close()
			} else if ip == "::1" {
				t.Errorf("127.0.0.1:%d left taken: %v", port, err)
			}
		})
	}
}

// occupy listens on ip at a port that is free on both loopback addresses,
// as another program would.
func occupy(t *testing.T, ip string) net.Listener {
	t.Helper()

	for range 10 {
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Fatal(err)
		}
		if ip == "127.0.0.1" {
			t.Cleanup(func() { ln.Close() })
			return ln
		}

		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		if v4, err := net.Listen("tcp4", "127.0.0.1:"+port); err == nil {
			v4.Close()
			t.Cleanup(func() { ln.Close() })
			return ln
		}
		ln.Close()
	}
	t.Fatal("no port free on 127.0.0.1 to go with one on ::1")

	return nil
}
