package procore

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// hostRoute answers one request of a fakeHosts transport.
type hostRoute func(r *http.Request) *http.Response

// fakeHosts is a transport that serves named hosts without a network and
// records the Authorization header each request carried.
type fakeHosts struct {
	mu     sync.Mutex
	routes map[string]hostRoute // by scheme://host
	seen   []seenRequest
	fail   map[string]error // transport error by scheme://host
}

type seenRequest struct {
	url  string
	auth string
}

func (f *fakeHosts) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.URL.Scheme + "://" + r.URL.Host

	f.mu.Lock()
	f.seen = append(f.seen, seenRequest{url: r.URL.String(), auth: r.Header.Get("Authorization")})
	route, err := f.routes[key], f.fail[key]
	f.mu.Unlock()

	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}

	if err != nil {
		return nil, err
	}

	if route == nil {
		return answer(r, http.StatusNotFound, nil, "no such host in the test"), nil
	}

	return route(r), nil
}

func (f *fakeHosts) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()

	return append([]seenRequest(nil), f.seen...)
}

// answer builds a response to r.
func answer(r *http.Request, status int, h http.Header, body string) *http.Response {
	if h == nil {
		h = http.Header{}
	}

	return &http.Response{
		StatusCode:    status,
		Status:        http.StatusText(status),
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
		Proto:         "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
}

// redirectTo answers with status and a Location.
func redirectTo(status int, loc string) hostRoute {
	return func(r *http.Request) *http.Response {
		return answer(r, status, http.Header{"Location": {loc}}, "")
	}
}

// serveBytes answers 200 with body.
func serveBytes(body string) hostRoute {
	return func(r *http.Request) *http.Response { return answer(r, http.StatusOK, nil, body) }
}

// TestTokenOnlyToProcoreHosts follows redirect chains across hosts and checks
// which requests carried the bearer token: only the configured API host (and
// an extra configured host), never a storage host, a look-alike host, a host
// that merely shares a suffix, or the API host over plain http.
func TestTokenOnlyToProcoreHosts(t *testing.T) {
	t.Parallel()

	const (
		api     = "https://api.procore.com"
		files   = "https://files.procore.com" // configured with WithProcoreHosts
		s3      = "https://prostore.s3.amazonaws.com"
		suffix  = "https://evilapi.procore.com"
		dotted  = "https://api.procore.com.evil.test"
		subdom  = "https://storage.api.procore.com"
		plain   = "http://api.procore.com"
		defPort = "https://api.procore.com:443"
	)

	samePort := func(r *http.Request) *http.Response {
		if r.URL.Path == "/fas/1" {
			return answer(r, 302, http.Header{"Location": {defPort + "/fas/2"}}, "")
		}
		return answer(r, 200, nil, "data")
	}

	tests := []struct {
		name  string
		chain map[string]hostRoute
		start string
		// withToken lists the scheme://host values that must see the token;
		// every other request must carry none.
		withToken []string
	}{
		{
			name: "api to storage",
			chain: map[string]hostRoute{
				api: redirectTo(302, s3+"/blob?X-Amz-Signature=s3cr3t"),
				s3:  serveBytes("data"),
			},
			start: api + "/fas/1", withToken: []string{api},
		},
		{
			name: "api, storage, back to api, storage again",
			chain: map[string]hostRoute{
				api: func(r *http.Request) *http.Response {
					if r.URL.Path == "/fas/1" {
						return answer(r, 307, http.Header{"Location": {s3 + "/hop"}}, "")
					}
					return answer(r, 308, http.Header{"Location": {s3 + "/blob?sig=s3cr3t"}}, "")
				},
				s3: func(r *http.Request) *http.Response {
					if r.URL.Path == "/hop" {
						return answer(r, 303, http.Header{"Location": {api + "/fas/2"}}, "")
					}
					return answer(r, 200, nil, "data")
				},
			},
			start: api + "/fas/1", withToken: []string{api},
		},
		{
			name: "extra configured host, then storage",
			chain: map[string]hostRoute{
				files: redirectTo(301, s3+"/blob?sig=s3cr3t"),
				s3:    serveBytes("data"),
			},
			start: files + "/v4/d/1", withToken: []string{files},
		},
		{
			name: "look-alike hosts never get the token",
			chain: map[string]hostRoute{
				api:    redirectTo(302, suffix+"/a"),
				suffix: redirectTo(302, dotted+"/b"),
				dotted: redirectTo(302, subdom+"/c"),
				subdom: redirectTo(302, plain+"/d"),
				plain:  serveBytes("data"),
			},
			start: api + "/fas/1", withToken: []string{api},
		},
		{
			name:  "explicit default port is the same host",
			chain: map[string]hostRoute{api: samePort, defPort: samePort},
			start: api + "/fas/1", withToken: []string{api},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			fh := &fakeHosts{routes: tt.chain}

			c, err := NewClient(api, StaticToken("tok-SECRET"), WithProcoreHosts("files.procore.com"),
				WithHTTPClient(&http.Client{Transport: fh}), WithRetryPolicy(fastPolicy()))
			if err != nil {
				t.Fatal(err)
			}

			if _, err := c.DownloadFile(t.Context(), tt.start, filepath.Join(t.TempDir(), "f"),
				DownloadOptions{Size: 4}); err != nil {
				t.Fatalf("download: %v", err)
			}

			for _, s := range fh.requests() {
				u, _ := url.Parse(s.url)
				host := u.Scheme + "://" + u.Hostname()
				want := ""
				for _, h := range tt.withToken {
					if h == host {
						want = "Bearer tok-SECRET"
					}
				}

				if s.auth != want {
					t.Errorf("%s carried %q, want %q", s.url, s.auth, want)
				}
			}
		})
	}
}

// TestNoSecretsInErrorsOrLogs runs failing requests whose URLs carry a signed
// query and whose answers echo the token, and checks every error string and
// log entry.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	t.Parallel()

	const (
		api   = "https://api.procore.com"
		s3    = "https://prostore.s3.amazonaws.com"
		token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzUxMiJ9.eyJzdWIiOjF9.c2lnbmF0dXJl"
		sig   = "s3cr3tSIG"
	)
	signed := s3 + "/blob?X-Amz-Credential=AKIA%2Fx&X-Amz-Signature=" + sig

	tests := []struct {
		name   string
		routes map[string]hostRoute
		fail   map[string]error
		run    func(c *Client) error
	}{
		{
			name: "url.Error from the transport on a signed storage url",
			routes: map[string]hostRoute{
				api: redirectTo(302, s3+"/hop?sig="+sig),
				s3:  redirectTo(307, signed),
			},
			fail: map[string]error{},
			run: func(c *Client) error {
				_, err := c.OpenDownload(t.Context(), api+"/fas/1", 0)
				return err
			},
		},
		{
			name: "redirect chain ending in a storage error that echoes the url",
			routes: map[string]hostRoute{
				api: redirectTo(302, signed),
				s3: func(r *http.Request) *http.Response {
					return answer(r, 403, nil, "<Error><Code>AccessDenied</Code><Message>"+
						r.URL.String()+"</Message></Error>")
				},
			},
			run: func(c *Client) error {
				_, err := c.DownloadFile(t.Context(), api+"/fas/1", filepath.Join(t.TempDir(), "f"),
					DownloadOptions{})
				return err
			},
		},
		{
			name: "api error that echoes the token",
			routes: map[string]hostRoute{
				api: func(r *http.Request) *http.Response {
					return answer(r, 400, nil, `{"message":"bad token `+token+` for `+signed+`"}`)
				},
			},
			run: func(c *Client) error {
				_, _, err := c.Me.Get(t.Context())
				return err
			},
		},
		{
			name: "storage put with a malformed signed url",
			run: func(c *Client) error {
				seg := UploadSegment{Size: 1, URL: s3 + "/part\x01?X-Amz-Signature=" + sig}
				_, err := c.Uploads.PutSegment(t.Context(), seg, strings.NewReader("x"), 0, nil)
				return err
			},
		},
		{
			name: "storage post with a malformed signed url",
			run: func(c *Client) error {
				up := &Upload{URL: s3 + "/\x7f?X-Amz-Signature=" + sig}
				return c.Uploads.PostToStorage(t.Context(), up, "f", strings.NewReader("x"), 1, nil)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			fh := &fakeHosts{routes: tt.routes, fail: tt.fail}
			if tt.fail != nil {
				// A *url.Error whose inner text also names the signed URL.
				fh.fail = map[string]error{s3: &url.Error{Op: "Get", URL: signed,
					Err: errors.New("read " + signed + ": connection reset by peer")}}
				fh.routes = map[string]hostRoute{api: tt.routes[api]}
			}

			core, logs := observer.New(zapcore.DebugLevel)
			c, err := NewClient(api, StaticToken(token), WithHTTPClient(&http.Client{Transport: fh}),
				WithRetryPolicy(fastPolicy()), WithLogger(zap.New(core)))
			if err != nil {
				t.Fatal(err)
			}

			err = tt.run(c)
			if err == nil {
				t.Fatal("want an error")
			}

			texts := []string{err.Error()}
			for _, e := range logs.All() {
				texts = append(texts, e.Message)
				for k, v := range e.ContextMap() {
					texts = append(texts, k+"="+toString(v))
				}
			}

			for _, text := range texts {
				if strings.Contains(text, token) || strings.Contains(text, sig) ||
					strings.Contains(text, "AKIA") {
					t.Errorf("secret in %q", text)
				}
			}
		})
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case error:
		return v.Error()
	default:
		return ""
	}
}

// TestStorageRequestsNeverCarryToken sends a storage POST and PUT to URLs on
// hosts that may receive the token for downloads (a Procore file host): the
// storage requests still carry no Authorization header.
func TestStorageRequestsNeverCarryToken(t *testing.T) {
	t.Parallel()

	const files = "https://storage.procore.com"
	fh := &fakeHosts{routes: map[string]hostRoute{files: func(r *http.Request) *http.Response {
		return answer(r, http.StatusNoContent, http.Header{"Etag": {`"e1"`}}, "")
	}}}
	c, err := NewClient("https://api.procore.com", StaticToken("tok-SECRET"),
		WithProcoreHosts("storage.procore.com"), WithHTTPClient(&http.Client{Transport: fh}))
	if err != nil {
		t.Fatal(err)
	}

	up := &Upload{URL: files + "/post", Fields: map[string]string{"key": "k"}}
	if err := c.Uploads.PostToStorage(t.Context(), up, "f", strings.NewReader("x"), 1, nil); err != nil {
		t.Fatalf("post: %v", err)
	}

	seg := UploadSegment{Size: 1, URL: files + "/part?sig=s"}
	if _, err := c.Uploads.PutSegment(t.Context(), seg, strings.NewReader("x"), 0, nil); err != nil {
		t.Fatalf("put: %v", err)
	}

	for _, s := range fh.requests() {
		if s.auth != "" {
			t.Errorf("%s carried %q", s.url, s.auth)
		}
	}
}
