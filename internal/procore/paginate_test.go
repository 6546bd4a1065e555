package procore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func TestCompaniesAllFollowsLinks(t *testing.T) {
	t.Parallel()

	const total, per = 250, 100
	var requests int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		last := (total + per - 1) / per
		link := ""
		if page < last {
			link = fmt.Sprintf(`<%s/rest/v1.0/companies?page=%d&per_page=%d>; rel="next", `, "http://"+r.Host, page+1, per)
		}
		link += fmt.Sprintf(`<http://%s/rest/v1.0/companies?page=%d&per_page=%d>; rel="last"`, r.Host, last, per)
		w.Header().Set("Link", link)
		w.Header().Set("Total", strconv.Itoa(total))
		w.Header().Set("Per-Page", strconv.Itoa(per))

		var out []Company
		for i := (page-1)*per + 1; i <= min(page*per, total); i++ {
			out = append(out, Company{ID: int64(i) << 33, Name: fmt.Sprint("c", i)})
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"))
	var n int
	for co, err := range c.Companies.All(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}

		n++
		if co.ID != int64(n)<<33 {
			t.Fatalf("item %d has id %d", n, co.ID)
		}
	}

	if n != total || requests != 3 {
		t.Fatalf("got %d items in %d requests, want %d in 3", n, requests, total)
	}
}

func TestParseLinks(t *testing.T) {
	t.Parallel()

	h := http.Header{}
	h.Set("Link", `<https://api.procore.com/rest/v1.0/x?page=1&per_page=5>; rel="first", `+
		`<https://api.procore.com/rest/v1.0/x?page=3&per_page=5>; rel="next", `+
		`<https://api.procore.com/rest/v1.0/x?page=9&per_page=5>; rel="last"`)
	h.Set("Total", "44")
	h.Set("Per-Page", "5")
	r := newResponse(&http.Response{Header: h})
	if r.NextPage != 3 || r.LastPage != 9 || r.Total != 44 || r.PerPage != 5 {
		t.Fatalf("got %+v", r)
	}
}

func TestPacerSlowsDownBeforeTheLimit(t *testing.T) {
	t.Parallel()

	now := time.Now()
	h := http.Header{}
	h.Set("X-Rate-Limit-Limit", "100")
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Add(10*time.Second).Unix(), 10))

	p := newPacer()
	h.Set("X-Rate-Limit-Remaining", "80")
	p.update(h, 200, now)
	if got := p.currentInterval(); got != 0 {
		t.Fatalf("interval with plenty left = %s, want 0", got)
	}

	h.Set("X-Rate-Limit-Remaining", "9")
	p.update(h, 200, now)
	if got := p.currentInterval(); got < 500*time.Millisecond || got > 1100*time.Millisecond {
		t.Fatalf("interval with 9 left over ~10s = %s, want about 1s", got)
	}

	h.Set("X-Rate-Limit-Remaining", "0")
	p.update(h, 200, now)
	if !p.blockedUntil.After(now) {
		t.Fatal("no block with nothing left")
	}
}

// TestPacerFailsFastWhenTheWindowIsUsedUp: after a 429 whose window resets
// much later than the retry policy waits, the next calls return a
// rate-limit error at once (without a request) instead of hanging.
func TestPacerFailsFastWhenTheWindowIsUsedUp(t *testing.T) {
	t.Parallel()

	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		reset := time.Now().Add(time.Hour).Unix()
		w.Header().Set("X-Rate-Limit-Limit", "3600")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset, 10))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
	for i := range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		_, _, err := c.Me.Get(ctx)
		cancel()

		var rl *RateLimitError
		if !errors.As(err, &rl) || time.Until(rl.Reset) < 50*time.Minute {
			t.Fatalf("call %d: %v, want a rate-limit error until the reset", i, err)
		}
	}

	if calls.Load() != 1 {
		t.Errorf("%d requests, want 1", calls.Load())
	}
}

// TestRetryAfterWinsOverReset: a 429 with Retry-After and a far reset is
// retried after Retry-After, not held until the reset.
func TestRetryAfterWinsOverReset(t *testing.T) {
	t.Parallel()

	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.Header().Set("X-Rate-Limit-Limit", "3600")
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()

	if _, _, err := c.Me.Get(ctx); err != nil || calls.Load() != 2 {
		t.Fatalf("err %v after %d requests, want success after 2", err, calls.Load())
	}
}
