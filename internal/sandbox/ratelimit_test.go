package sandbox

import (
	"strconv"
	"testing"
	"time"
)

func TestRateLimitSpike(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now, RateSpike: 3, RateHourly: 100})
	c := demoClient(t, srv, DemoSurveyor)

	// Failed requests count too.
	for i, path := range []string{"/rest/v1.0/me", "/rest/v1.0/folders/1?project_id=316469", "/rest/v1.0/me"} {
		resp := c.req("GET", path, nil, "")
		_ = resp.Body.Close()

		if resp.Header.Get("X-Rate-Limit-Limit") != "3" ||
			resp.Header.Get("X-Rate-Limit-Remaining") != strconv.Itoa(2-i) ||
			resp.Header.Get("X-Rate-Limit-Reset") == "" {
			t.Fatalf("request %d headers: %v", i, resp.Header)
		}
	}

	resp := c.req("GET", "/rest/v1.0/me", nil, "")
	body := bodyStringT(t, resp)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "10" || body != rateMessage ||
		resp.Header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Fatalf("429: %d %v %q", resp.StatusCode, resp.Header, body)
	}

	clk.Add(10 * time.Second)
	c.call("GET", "/rest/v1.0/me", nil, 200)
}

func TestRateLimitHourlyNoRetryAfter(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now, RateSpike: 5, RateHourly: 6, NoRetryAfter: true})
	c := demoClient(t, srv, DemoSurveyor)

	for i := 0; i < 6; i++ {
		c.call("GET", "/rest/v1.0/me", nil, 200)
		clk.Add(11 * time.Second)
	}

	resp := c.req("GET", "/rest/v1.0/me", nil, "")
	_ = resp.Body.Close()

	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-Rate-Limit-Limit") != "6" {
		t.Fatalf("hourly 429: %d %v", resp.StatusCode, resp.Header)
	}
}
