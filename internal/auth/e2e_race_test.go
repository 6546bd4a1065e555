package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/sandbox"
)

// refreshGate is a transport that holds the answer of every refresh: it
// passes the request on, so Procore has rotated the pair, then sends the new
// pair on received and waits for proceed before handing the answer back.
// With failRevoke, revocations fail without reaching Procore.
type refreshGate struct {
	base       http.RoundTripper
	received   chan [2]string // access, refresh
	proceed    chan struct{}
	failRevoke bool
}

func (g *refreshGate) RoundTrip(req *http.Request) (*http.Response, error) {
	if g.failRevoke && req.URL.Path == "/oauth/revoke" {
		return nil, errors.New("revoke refused by the test")
	}

	refresh := false
	if req.URL.Path == "/oauth/token" && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		refresh = form.Get("grant_type") == "refresh_token"
	}

	resp, err := g.base.RoundTrip(req)
	if err != nil || !refresh {
		return resp, err
	}

	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}

	var pair struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	_ = json.Unmarshal(body, &pair)
	g.received <- [2]string{pair.Access, pair.Refresh}

	select {
	case <-g.proceed:
		return resp, nil
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}

// TestE2EPairDroppedByRaceIsRevoked: a refresh is answered by Procore, but a
// logout (or a new login) replaces the session before the answer is
// installed. The pair received is dropped, and it is revoked: neither of its
// tokens works at Procore afterwards. A failed revocation is only logged.
func TestE2EPairDroppedByRaceIsRevoked(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, race string
		failRevoke bool
	}{
		{"logout", "logout", false},
		{"login", "login", false},
		{"login, revoke fails", "login", true},
	}
	for _, tt := range tests {
		race := tt.race
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			e := startE2E(t, sandbox.Options{})
			s := e.session(Options{})
			e.login(s)
			old := e.stored(s)

			g := &refreshGate{base: e.rec, received: make(chan [2]string, 1),
				proceed: make(chan struct{})}
			s.client = &http.Client{Transport: g, Timeout: 30 * time.Second}

			s.Invalidate(old.AccessToken)
			type result struct {
				tok string
				err error
			}
			done := make(chan result, 1)
			go func() {
				tok, err := s.Token(t.Context())
				done <- result{tok, err}
			}()

			// Procore has rotated the pair; the answer is held back while
			// the session is replaced.
			dropped := <-g.received
			if race == "logout" {
				if _, err := s.Logout(t.Context()); e.noteErr(err) != nil {
					t.Fatal(err)
				}
			} else {
				e.login(s)
			}
			g.failRevoke = tt.failRevoke
			close(g.proceed)
			got := <-done
			e.noteErr(got.err)

			if race == "logout" {
				if !errors.Is(got.err, ErrLoginRequired) || s.State() != StateLoggedOut {
					t.Errorf("Token err %v, state %v; want logged out", got.err, s.State())
				}
				if _, err := s.store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
					t.Errorf("a pair is stored after the logout: %v", err)
				}
			} else {
				cur := e.stored(s)
				if got.err != nil || got.tok != cur.AccessToken || got.tok == dropped[0] {
					t.Errorf("Token err %v; the new login's token: %v", got.err,
						got.tok == cur.AccessToken)
				}
				if st := e.me(cur.AccessToken); st != http.StatusOK {
					t.Errorf("/me with the new login's token: %d", st)
				}
			}

			if tt.failRevoke {
				if n := e.logs.FilterMessage("dropped token not revoked").Len(); n != 1 {
					t.Errorf("%d \"dropped token not revoked\" log entries, want 1", n)
				}
				return
			}
			if st := e.me(dropped[0]); st != http.StatusUnauthorized {
				t.Errorf("dropped access token answered %d, want 401", st)
			}
			if st := e.refreshWith(dropped[1]); st != http.StatusBadRequest &&
				st != http.StatusUnauthorized {
				t.Errorf("dropped refresh token answered %d, want 400 or 401", st)
			}
			if n := e.logs.FilterMessage("dropped token revoked").Len(); n != 1 {
				t.Errorf("%d \"dropped token revoked\" log entries, want 1", n)
			}
		})
	}
}
