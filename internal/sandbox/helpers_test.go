package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock lets tests move time forward.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()

	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func startSandbox(t testing.TB, o Options) *Server {
	t.Helper()

	if o.RateSpike == 0 {
		o.RateSpike = -1
	}

	if o.RateHourly == 0 {
		o.RateHourly = -1
	}

	srv, err := Start(t.Context(), o)
	if err != nil {
		t.Fatalf("start: %v", err)
	}

	t.Cleanup(func() { _ = srv.Close() })

	return srv
}

// noRedirect is an HTTP client that shows redirects instead of following them.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

// apiClient calls the sandbox as one user of the demo company.
type apiClient struct {
	t       testing.TB
	srv     *Server
	token   string
	company int64
}

func demoClient(t testing.TB, srv *Server, login string) *apiClient {
	t.Helper()

	at, _, err := srv.IssueToken(login, DemoClientID)
	if err != nil {
		t.Fatal(err)
	}

	return &apiClient{t: t, srv: srv, token: at, company: DemoCompanyID}
}

func (c *apiClient) req(method, path string, body io.Reader, ct string) *http.Response {
	c.t.Helper()

	u := path
	if !strings.HasPrefix(path, "http") {
		u = c.srv.URL() + path
	}

	r, err := http.NewRequestWithContext(c.t.Context(), method, u, body)
	if err != nil {
		c.t.Fatal(err)
	}

	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}

	if c.token != "" {
		r.Header.Set("Authorization", "Bearer "+c.token)
	}

	if c.company != 0 {
		r.Header.Set("Procore-Company-Id", itoa(c.company))
	}

	resp, err := noRedirect.Do(r)
	if err != nil {
		c.t.Fatal(err)
	}

	return resp
}

// call sends body as JSON (when not nil), checks the status and decodes the
// answer into a generic value.
func (c *apiClient) call(method, path string, body any, want int) any {
	c.t.Helper()

	var rd io.Reader
	ct := ""
	if body != nil {
		b, _ := json.Marshal(body)
		rd, ct = bytes.NewReader(b), "application/json"
	}

	return decode(c.t, c.req(method, path, rd, ct), want)
}

func decode(t testing.TB, resp *http.Response, want int) any {
	t.Helper()

	defer func() { _ = resp.Body.Close() }()

	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path,
			resp.StatusCode, want, b)
	}

	var v any
	if len(b) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("decode: %v: %s", err, b)
		}
	}

	return v
}

// multipartBody builds a multipart form; a field named "*[data]" is a file.
func multipartBody(fields map[string]string, dataKey string, data []byte, filename string) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}

	if dataKey != "" {
		fw, _ := mw.CreateFormFile(dataKey, filename)
		_, _ = fw.Write(data)
	}

	_ = mw.Close()

	return &buf, mw.FormDataContentType()
}

func obj(v any) map[string]any { return v.(map[string]any) }

func arr(v any) []any { return v.([]any) }

func num(v any) int64 { return int64(v.(float64)) }

func pq(projectID int64) string { return "project_id=" + itoa(projectID) }

// download follows a version url by hand: bearer to the API host, nothing to
// the storage host.
func (c *apiClient) download(u string, rng string) (*http.Response, []byte) {
	c.t.Helper()

	resp := c.req(http.MethodGet, u, nil, "")
	_ = resp.Body.Close()

	if resp.StatusCode != http.StatusFound {
		c.t.Fatalf("download: status %d, want 302", resp.StatusCode)
	}

	r, _ := http.NewRequestWithContext(c.t.Context(), http.MethodGet, resp.Header.Get("Location"), nil)
	if rng != "" {
		r.Header.Set("Range", rng)
	}

	sresp, err := noRedirect.Do(r)
	if err != nil {
		c.t.Fatal(err)
	}

	defer func() { _ = sresp.Body.Close() }()

	b, _ := io.ReadAll(sresp.Body)

	return sresp, b
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}

	return v
}

func bodyStringT(t testing.TB, resp *http.Response) string {
	t.Helper()

	defer func() { _ = resp.Body.Close() }()

	b, _ := io.ReadAll(resp.Body)

	return string(b)
}
