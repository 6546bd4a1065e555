package procore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingTokens hands out tok1, then tok2 after an Invalidate.
type countingTokens struct {
	mu          sync.Mutex
	current     string
	invalidated []string
}

func (c *countingTokens) Token(context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.current == "" {
		c.current = "tok1"
	}

	return c.current, nil
}

func (c *countingTokens) Invalidate(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()

	c.invalidated = append(c.invalidated, tok)
	c.current = "tok2"
}

func fastPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
		MaxRetryAfter: 2 * time.Second}
}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name      string
		method    string
		statuses  []int // answers in order; the last repeats
		header    map[string]string
		cancel    bool
		wantCalls int32
		wantErr   error // nil: success
		wantInval int
	}{
		{name: "200", method: "GET", statuses: []int{200}, wantCalls: 1},
		{name: "400", method: "GET", statuses: []int{400}, wantCalls: 1, wantErr: errAny},
		{name: "401 retried once with a new token", method: "GET", statuses: []int{401},
			wantCalls: 2, wantErr: ErrUnauthorized, wantInval: 1},
		{name: "401 then 200", method: "POST", statuses: []int{401, 200}, wantCalls: 2, wantInval: 1},
		{name: "404", method: "GET", statuses: []int{404}, wantCalls: 1, wantErr: ErrNotFound},
		{name: "409", method: "PATCH", statuses: []int{409}, wantCalls: 1, wantErr: errAny},
		{name: "429 then 200", method: "GET", statuses: []int{429, 200},
			header: map[string]string{"Retry-After": "0"}, wantCalls: 2},
		{name: "429 on create is retried", method: "POST", statuses: []int{429, 201},
			header: map[string]string{"Retry-After": "0"}, wantCalls: 2},
		{name: "429 forever", method: "GET", statuses: []int{429},
			header: map[string]string{"Retry-After": "0"}, wantCalls: 4, wantErr: ErrRateLimited},
		{name: "429 too long to wait", method: "GET", statuses: []int{429},
			header: map[string]string{"Retry-After": "3600"}, wantCalls: 1, wantErr: ErrRateLimited},
		{name: "500 on GET", method: "GET", statuses: []int{500, 500, 200}, wantCalls: 3},
		{name: "500 on create not repeated", method: "POST", statuses: []int{500}, wantCalls: 1, wantErr: errAny},
		{name: "502 on GET", method: "GET", statuses: []int{502}, wantCalls: 4, wantErr: errAny},
		{name: "503 on create retried", method: "POST", statuses: []int{503, 201},
			header: map[string]string{"Retry-After": "0"}, wantCalls: 2},
		{name: "504 on DELETE", method: "DELETE", statuses: []int{504, 200}, wantCalls: 2},
		{name: "cancelled context", method: "GET", statuses: []int{500}, cancel: true,
			wantCalls: 0, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1)) - 1
				status := tt.statuses[min(n, len(tt.statuses)-1)]
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"message":"answer"}`))
			}))
			defer srv.Close()

			ts := &countingTokens{}
			c, err := NewClient(srv.URL, ts, WithRetryPolicy(fastPolicy()))
			if err != nil {
				t.Fatal(err)
			}

			ctx, cancel := context.WithCancel(t.Context())
			if tt.cancel {
				cancel()
			}
			defer cancel()

			req, err := c.NewRequest(ctx, tt.method, "/rest/v1.0/x", map[string]string{"a": "b"})
			if err != nil {
				t.Fatal(err)
			}

			_, err = c.Do(req, nil)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Do: %v", err)
			case tt.wantErr == errAny && err == nil:
				t.Fatal("Do: want an error")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("Do: %v, want %v", err, tt.wantErr)
			}

			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}

			if len(ts.invalidated) != tt.wantInval {
				t.Errorf("invalidations = %v, want %d", ts.invalidated, tt.wantInval)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestRetryCancelStopsWaiting(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	p := fastPolicy()
	p.MaxRetryAfter = time.Hour
	c, err := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(p), WithPacing(false))
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()

	start := time.Now()
	_, _, err = c.Me.Get(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}

	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s: the wait did not stop with the context", d)
	}
}

func TestRetryTransportErrors(t *testing.T) {
	t.Parallel()

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()

			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					conn, _, err := w.(http.Hijacker).Hijack()
					if err == nil {
						_ = conn.Close() // drop without an answer
					}

					return
				}
				_, _ = w.Write([]byte(`{}`))
			}))
			defer srv.Close()

			c, err := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
			if err != nil {
				t.Fatal(err)
			}

			req, err := c.NewRequest(t.Context(), method, "/rest/v1.0/x", map[string]int{"a": 1})
			if err != nil {
				t.Fatal(err)
			}

			_, err = c.Do(req, nil)
			if method == http.MethodGet {
				if err != nil || calls.Load() != 2 {
					t.Fatalf("GET: err %v after %d calls, want success after 2", err, calls.Load())
				}

				return
			}

			var te *TransportError
			if !errors.As(err, &te) || calls.Load() != 1 {
				t.Fatalf("POST: err %v after %d calls, want a TransportError after 1", err, calls.Load())
			}
		})
	}
}

func TestRetryDialErrorRetriesCreate(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens: every dial fails

	p := fastPolicy()
	c, err := NewClient(url, StaticToken("t"), WithRetryPolicy(p))
	if err != nil {
		t.Fatal(err)
	}

	var dials atomic.Int32
	c.http.Transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}

	req, _ := c.NewRequest(t.Context(), http.MethodPost, "/rest/v1.0/folders", map[string]int{})
	_, err = c.Do(req, nil)
	if err == nil {
		t.Fatal("want an error")
	}

	if got := dials.Load(); got != int32(p.MaxAttempts) {
		t.Fatalf("dials = %d, want %d (a dial error is safe to retry)", got, p.MaxAttempts)
	}
}

type failingTokens struct{ calls atomic.Int32 }

var errSignIn = errors.New("sign in again")

func (f *failingTokens) Token(context.Context) (string, error) {
	f.calls.Add(1)
	return "", errSignIn
}

func (f *failingTokens) Invalidate(string) {}

func TestTokenSourceErrorIsNotRetried(t *testing.T) {
	t.Parallel()

	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()

	ts := &failingTokens{}
	c, _ := NewClient(srv.URL, ts, WithRetryPolicy(fastPolicy()))
	_, _, err := c.Me.Get(t.Context())
	if !errors.Is(err, errSignIn) || ts.calls.Load() != 1 || calls.Load() != 0 {
		t.Fatalf("err %v after %d token calls and %d requests", err, ts.calls.Load(), calls.Load())
	}
}

// TestDownloadTokenErrorIsNotResumed: a token source that fails (logged out)
// ends a download at once; resuming would only ask it again and again.
func TestDownloadTokenErrorIsNotResumed(t *testing.T) {
	t.Parallel()

	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()

	ts := &failingTokens{}
	c, _ := NewClient(srv.URL, ts, WithRetryPolicy(fastPolicy()))
	dir := t.TempDir()
	_, err := c.DownloadFile(t.Context(), srv.URL+"/fas/1", filepath.Join(dir, "f"), DownloadOptions{})
	if !errors.Is(err, errSignIn) || ts.calls.Load() != 1 || calls.Load() != 0 {
		t.Fatalf("err %v after %d token calls and %d requests", err, ts.calls.Load(), calls.Load())
	}

	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

// TestDeleteNotFoundAfterRetry: a DELETE answered 404 is done when an
// earlier attempt may have been carried out (500, 502, 504), and an error
// when none was (first attempt, or after a 503 that refused it).
func TestDeleteNotFoundAfterRetry(t *testing.T) {
	t.Parallel()

	tests := []struct {
		statuses []int
		wantErr  bool
	}{
		{[]int{404}, true},
		{[]int{502, 404}, false},
		{[]int{500, 404}, false},
		{[]int{504, 504, 404}, false},
		{[]int{503, 404}, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.statuses), func(t *testing.T) {
			t.Parallel()

			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1)) - 1
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(tt.statuses[min(n, len(tt.statuses)-1)])
			}))
			defer srv.Close()

			c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
			_, err := c.Files.Delete(t.Context(), ProjectScope(1), 5)
			if (err != nil) != tt.wantErr || int(calls.Load()) != len(tt.statuses) {
				t.Fatalf("err %v after %d calls, want error %v after %d", err, calls.Load(), tt.wantErr,
					len(tt.statuses))
			}
		})
	}
}
