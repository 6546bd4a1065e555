package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateMessage is the documented 429 text (Procore's rate-limiting page).
const rateMessage = "You have surpassed the max number of requests for an hour. " +
	"Please wait until your limit resets."

// rateLimiter keeps a fixed spike window and a fixed hourly window per key (the
// access token, or the company for service tokens that send the header, or the
// client address when there is no token).
type rateLimiter struct {
	mu           sync.Mutex
	spike        int
	spikeWin     time.Duration
	hourly       int
	noRetryAfter bool
	keys         map[string]*rateWindows
}

type rateWindows struct {
	spikeStart, hourStart time.Time
	spikeN, hourN         int
}

func newRateLimiter(o Options) *rateLimiter {
	return &rateLimiter{
		spike: o.RateSpike, spikeWin: o.RateSpikeWindow, hourly: o.RateHourly,
		noRetryAfter: o.NoRetryAfter, keys: map[string]*rateWindows{},
	}
}

// admit counts the request and sets X-Rate-Limit-* headers; over the limit it
// answers 429 itself and returns false. Every admitted request counts,
// whatever its final status; refused ones do not.
func (l *rateLimiter) admit(w http.ResponseWriter, r *http.Request, key string, now time.Time) bool {
	if l.spike < 0 && l.hourly < 0 {
		return true
	}

	l.mu.Lock()
	win := l.keys[key]
	if win == nil {
		win = &rateWindows{spikeStart: now, hourStart: now}
		l.keys[key] = win
	}

	if now.Sub(win.spikeStart) >= l.spikeWin {
		win.spikeStart, win.spikeN = now, 0
	}

	if now.Sub(win.hourStart) >= time.Hour {
		win.hourStart, win.hourN = now, 0
	}

	spikeOver := l.spike >= 0 && win.spikeN >= l.spike
	hourOver := l.hourly >= 0 && win.hourN >= l.hourly
	if !spikeOver && !hourOver {
		win.spikeN++
		win.hourN++
	}

	limit, used, reset := l.report(win, hourOver)
	l.mu.Unlock()

	h := w.Header()
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(max(0, limit-used)))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))

	if !spikeOver && !hourOver {
		return true
	}

	if !l.noRetryAfter {
		secs := int(math.Ceil(reset.Sub(now).Seconds()))
		h.Set("Retry-After", strconv.Itoa(max(1, secs)))
	}

	writeRateLimited(w)

	return false
}

// report picks the window to show: the spike window, unless the hourly one is
// nearly used up (fewer requests left than the spike limit) or exhausted.
func (l *rateLimiter) report(win *rateWindows, hourOver bool) (int, int, time.Time) {
	useHour := l.spike < 0 || hourOver
	if l.hourly >= 0 && l.spike >= 0 && l.hourly-win.hourN < l.spike {
		useHour = true
	}

	if useHour && l.hourly >= 0 {
		return l.hourly, win.hourN, win.hourStart.Add(time.Hour)
	}

	return l.spike, win.spikeN, win.spikeStart.Add(l.spikeWin)
}

func writeRateLimited(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(rateMessage))
}
