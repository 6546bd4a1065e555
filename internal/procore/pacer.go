package procore

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// pacer spreads requests over the rate-limit window that Procore reports on
// every response, so that a bulk job slows down before it is answered 429.
//
// While more than a third of the window's budget is left, requests go out at
// full speed. Below that, each request waits its share of the time left:
// (reset - now) / (remaining + 1). After a 429 everyone waits for the reset.
type pacer struct {
	mu           sync.Mutex
	disabled     bool
	next         time.Time
	interval     time.Duration
	blockedUntil time.Time
}

func newPacer() *pacer { return &pacer{} }

// errPaced means a request would have to wait longer than the caller allows
// for the rate-limit window to reset.
var errPaced = errors.New("procore: rate limit window not reset yet")

// wait blocks until the caller may send its request, or ctx is done. When
// the wait would be longer than limit (an hourly window used up), it returns
// errPaced at once with the time the wait would end, so that a caller is told
// instead of left hanging.
func (p *pacer) wait(ctx context.Context, limit time.Duration) (time.Time, error) {
	if p.disabled {
		return time.Time{}, ctx.Err()
	}

	p.mu.Lock()
	now := time.Now()
	start := now
	if p.next.After(start) {
		start = p.next
	}

	if p.blockedUntil.After(start) {
		start = p.blockedUntil
	}

	if limit > 0 && start.Sub(now) > limit {
		p.mu.Unlock()
		return start, errPaced
	}
	p.next = start.Add(p.interval)
	p.mu.Unlock()

	return time.Time{}, sleepCtx(ctx, start.Sub(now))
}

// update reads the rate-limit headers of a response received at now.
func (p *pacer) update(h http.Header, status int, now time.Time) {
	rate := parseRate(h, now)
	if rate.Remaining < 0 || rate.Reset.IsZero() {
		return
	}

	// X-Rate-Limit-Reset has whole seconds: the window may end up to a
	// second later than it says.
	reset := rate.Reset.Add(time.Second)

	p.mu.Lock()
	defer p.mu.Unlock()

	window := reset.Sub(now)
	switch {
	case window <= 0:
		p.interval = 0
	case status == http.StatusTooManyRequests && h.Get("Retry-After") != "":
		// Retry-After wins over the reset (the retry policy blocks the
		// pacer for that long); Procore's documents disagree on which a 429
		// carries, and the reset may be that of the hourly window.
	case rate.Remaining == 0 || status == http.StatusTooManyRequests:
		if reset.After(p.blockedUntil) {
			p.blockedUntil = reset
		}
	case rate.Limit > 0 && rate.Remaining > rate.Limit/3:
		p.interval = 0
	case rate.Limit <= 0 && rate.Remaining > 50:
		p.interval = 0
	default:
		p.interval = window / time.Duration(rate.Remaining+1)
	}
}

// block holds every request until t (after a 429).
func (p *pacer) block(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()

	if t.After(p.blockedUntil) {
		p.blockedUntil = t
	}
}

// interval returns the current spacing between requests (for tests).
func (p *pacer) currentInterval() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()

	return p.interval
}
