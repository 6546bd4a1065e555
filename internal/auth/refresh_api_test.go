package auth

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/procore"
)

// withAPI serves /rest/v1.0/x on f's server with the statuses in order (the
// last repeats) and counts the calls; every other path goes to f.
func withAPI(f *fakeProcore, statuses ...int) *atomic.Int32 {
	var calls atomic.Int32
	inner := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rest/v1.0/x" {
			inner.ServeHTTP(w, r)
			return
		}

		n := int(calls.Add(1)) - 1
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(statuses[min(n, len(statuses)-1)])
		_, _ = w.Write([]byte(`{"message":"answer"}`))
	})

	return &calls
}

// TestAPIFailuresAndRefresh runs the procore client with a real session:
// only a 401 refreshes, exactly once, followed by exactly one retry; a 401
// after that refresh is returned, and 403, 404, 429 and 5xx never refresh
// (the JS SDK refreshes after any failure and burns refresh tokens).
func TestAPIFailuresAndRefresh(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name      string
		statuses  []int
		wantErr   error // nil: success
		wantCalls int32
		wantRefr  int32
	}{
		{"401 then 200", []int{401, 200}, nil, 2, 1},
		{"401 twice", []int{401}, procore.ErrUnauthorized, 2, 1},
		{"403", []int{403}, procore.ErrForbidden, 1, 0},
		{"404", []int{404}, procore.ErrNotFound, 1, 0},
		{"429 forever", []int{429}, procore.ErrRateLimited, 3, 0},
		{"500 forever", []int{500}, errAnyAPI, 3, 0},
		{"503 then 200", []int{503, 200}, nil, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			f := newFakeProcore(t)
			calls := withAPI(f, tt.statuses...)
			a, r := f.issue()
			rec := &Record{AccessToken: a, RefreshToken: r, Expiry: time.Now().Add(time.Hour)}
			s, _ := newUnitSession(t, f, rec, nil, Options{})

			c, err := procore.NewClient(f.srv.URL, s, procore.WithRetryPolicy(procore.RetryPolicy{
				MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond,
				MaxRetryAfter: time.Second,
			}))
			if err != nil {
				t.Fatal(err)
			}

			req, err := c.NewRequest(t.Context(), http.MethodGet, "/rest/v1.0/x", nil)
			if err != nil {
				t.Fatal(err)
			}

			_, err = c.Do(req, nil)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Do: %v", err)
			case tt.wantErr == errAnyAPI && err == nil:
				t.Fatal("Do: want an error")
			case tt.wantErr != nil && tt.wantErr != errAnyAPI && !errors.Is(err, tt.wantErr):
				t.Fatalf("Do: %v, want %v", err, tt.wantErr)
			}

			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("%d API calls, want %d", got, tt.wantCalls)
			}

			if got := f.refreshN.Load(); got != tt.wantRefr {
				t.Errorf("%d refreshes, want %d", got, tt.wantRefr)
			}

			if s.State() != StateLoggedIn {
				t.Error("the session logged out")
			}
		})
	}
}

var errAnyAPI = errors.New("any error")

// TestLostRefreshAnswerEndsLoggedOut: Procore spends the refresh token but
// the answer never arrives. The call fails, and the session ends in the
// logged-out state after at most one more refresh request, without a loop;
// later calls send no refresh at all.
func TestLostRefreshAnswerEndsLoggedOut(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	calls := withAPI(f, 200)
	inner := f.srv.Config.Handler
	var lost atomic.Bool
	lost.Store(true)
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" && lost.Load() {
			// The token is spent, then the connection drops unanswered.
			inner.ServeHTTP(httptestDiscard{}, r)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		inner.ServeHTTP(w, r)
	})

	a, r := f.issue()
	rec := &Record{AccessToken: a, RefreshToken: r, Expiry: time.Now().Add(-time.Minute)}
	s, store := newUnitSession(t, f, rec, nil, Options{})
	s.rejectGrace = 0

	c, err := procore.NewClient(f.srv.URL, s)
	if err != nil {
		t.Fatal(err)
	}

	get := func() error {
		req, err := c.NewRequest(t.Context(), http.MethodGet, "/rest/v1.0/x", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Do(req, nil)
		return err
	}

	if err := get(); err == nil {
		t.Fatal("first call: want an error")
	}

	lost.Store(false)
	for i := range 5 {
		if err := get(); !errors.Is(err, ErrLoginRequired) {
			t.Fatalf("call %d: %v, want ErrLoginRequired", i+2, err)
		}
	}

	// The lost one, then one that Procore refuses: never a third.
	if got := f.refreshN.Load(); got != 2 {
		t.Errorf("%d refresh requests, want 2", got)
	}

	if calls.Load() != 0 {
		t.Errorf("%d API calls without a valid token", calls.Load())
	}

	if s.State() != StateLoggedOut {
		t.Error("not logged out")
	}

	if _, err := store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
		t.Errorf("dead pair still stored: %v", err)
	}
}

// httptestDiscard is a ResponseWriter that drops the answer.
type httptestDiscard struct{}

func (httptestDiscard) Header() http.Header         { return http.Header{} }
func (httptestDiscard) Write(b []byte) (int, error) { return len(b), nil }
func (httptestDiscard) WriteHeader(int)             {}

// TestRefreshedPairSavedBeforeUse: when the API first sees the new access
// token, the new pair is already in the store (the old refresh token is
// spent, so a crash after use but before the save would log the user out).
func TestRefreshedPairSavedBeforeUse(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	a, r := f.issue()
	rec := &Record{AccessToken: a, RefreshToken: r, Expiry: time.Now().Add(-time.Minute)}
	s, store := newUnitSession(t, f, rec, nil, Options{})

	var checked, unsaved atomic.Int32
	inner := f.srv.Config.Handler
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/rest/v1.0/x" {
			checked.Add(1)
			stored, err := store.Load(req.Context(), s.key)
			if err != nil || "Bearer "+stored.AccessToken != req.Header.Get("Authorization") {
				unsaved.Add(1)
			}
			return
		}
		inner.ServeHTTP(w, req)
	})

	c, err := procore.NewClient(f.srv.URL, s)
	if err != nil {
		t.Fatal(err)
	}

	req, err := c.NewRequest(t.Context(), http.MethodGet, "/rest/v1.0/x", nil)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}

	if checked.Load() != 1 || unsaved.Load() != 0 || f.refreshN.Load() != 1 {
		t.Errorf("%d calls, %d with a token not yet stored, %d refreshes", checked.Load(),
			unsaved.Load(), f.refreshN.Load())
	}
}
