package procore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/redact"
)

// DefaultBaseURL is Procore's production API host.
const DefaultBaseURL = "https://api.procore.com"

// CompanyHeader is the header that names the company a request acts in.
const CompanyHeader = "Procore-Company-Id"

// TokenSource hands out access tokens.
type TokenSource interface {
	// Token returns a valid access token, refreshing when it is about to expire.
	Token(ctx context.Context) (string, error)
	// Invalidate tells the source that the API rejected token with 401; the next Token
	// call refreshes once (a concurrent caller that already refreshed is not refreshed again).
	Invalidate(token string)
}

// StaticToken returns a TokenSource that always hands out tok. Invalidate
// does nothing. It is meant for tests and scripts.
func StaticToken(tok string) TokenSource { return staticToken(tok) }

type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }
func (s staticToken) Invalidate(string)                     {}

// Client talks to one Procore API host. It is safe for concurrent use.
type Client struct {
	// BaseURL is the API host, for example https://api.procore.com.
	BaseURL *url.URL
	// CompanyID is sent as Procore-Company-Id when non-zero.
	CompanyID int64
	// UserAgent is sent on every request to a Procore host.
	UserAgent string

	http   *http.Client
	tokens TokenSource
	log    *zap.Logger
	retry  RetryPolicy
	pacer  *pacer
	hosts  map[string]bool

	// The services, one per API area.
	Me           *MeService
	Companies    *CompaniesService
	Projects     *ProjectsService
	Folders      *FoldersService
	Files        *FilesService
	FileVersions *FileVersionsService
	Documents    *DocumentsService
	Uploads      *UploadsService
}

// Option configures a Client in [NewClient].
type Option func(*Client) error

// WithHTTPClient uses hc for every request. The client's CheckRedirect is
// replaced on a copy so that redirects are followed by hand.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("procore: nil http client")
		}

		cp := *hc
		c.http = &cp
		return nil
	}
}

// WithCompanyID sets the default Procore-Company-Id.
func WithCompanyID(id int64) Option {
	return func(c *Client) error {
		c.CompanyID = id
		return nil
	}
}

// WithLogger logs requests at debug level and retries at debug or warn.
// A nil logger logs nothing.
func WithLogger(l *zap.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			l = zap.NewNop()
		}

		c.log = l
		return nil
	}
}

// WithRetryPolicy replaces [DefaultRetryPolicy].
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 1 {
			return errors.New("procore: retry policy needs at least one attempt")
		}

		c.retry = p
		return nil
	}
}

// WithProcoreHosts names extra hosts (host or host:port) that may receive the
// bearer token, such as a separate file-link host. The API host always may.
func WithProcoreHosts(hosts ...string) Option {
	return func(c *Client) error {
		for _, h := range hosts {
			c.hosts[canonicalHost(c.BaseURL.Scheme, h)] = true
		}

		return nil
	}
}

// WithPacing turns the rate-limit pacer on or off (on by default).
func WithPacing(on bool) Option {
	return func(c *Client) error {
		c.pacer.disabled = !on
		return nil
	}
}

// NewClient returns a client for the API host baseURL (DefaultBaseURL when
// empty) that takes tokens from ts.
func NewClient(baseURL string, ts TokenSource, opts ...Option) (*Client, error) {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}

	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("procore: bad base url %q", redact.URL(baseURL))
	}

	if ts == nil {
		return nil, errors.New("procore: nil token source")
	}

	c := &Client{
		BaseURL:   u,
		UserAgent: "backsight",
		http:      &http.Client{Transport: defaultTransport()},
		tokens:    ts,
		log:       zap.NewNop(),
		retry:     DefaultRetryPolicy(),
		pacer:     newPacer(),
		hosts:     map[string]bool{canonicalHost(u.Scheme, u.Host): true},
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}

	c.http.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	c.initServices()

	return c, nil
}

// defaultTransport is http.DefaultTransport with a bound on the wait for
// response headers, so that a silent server cannot hang a call forever.
// Bodies have no overall deadline: downloads watch for stalls themselves.
func defaultTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}

	t = t.Clone()
	t.ResponseHeaderTimeout = 2 * time.Minute
	t.MaxIdleConnsPerHost = 16

	return t
}

func (c *Client) initServices() {
	c.Me = &MeService{c}
	c.Companies = &CompaniesService{c}
	c.Projects = &ProjectsService{c}
	c.Folders = &FoldersService{c}
	c.Files = &FilesService{c}
	c.FileVersions = &FileVersionsService{c}
	c.Documents = &DocumentsService{c}
	c.Uploads = &UploadsService{c}
}

// WithCompany returns a copy of c that sends companyID as Procore-Company-Id.
// The copy shares the HTTP client, token source, logger and pacer.
func (c *Client) WithCompany(companyID int64) *Client {
	cp := *c
	cp.CompanyID = companyID
	cp.initServices()

	return &cp
}

// IsProcoreHost reports whether u points at a host that may receive the
// bearer token.
func (c *Client) IsProcoreHost(u *url.URL) bool {
	return u != nil && u.Scheme == c.BaseURL.Scheme && c.hosts[canonicalHost(u.Scheme, u.Host)]
}

// canonicalHost lower-cases host and drops the scheme's default port, so
// that api.procore.com:443 and api.procore.com are the same host.
func canonicalHost(scheme, host string) string {
	host = strings.ToLower(host)
	switch {
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		return strings.TrimSuffix(host, ":443")
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		return strings.TrimSuffix(host, ":80")
	}

	return host
}

// NewRequest builds a request for path, relative to BaseURL (an absolute URL
// is used as is). A non-nil body is encoded as JSON, unless it is a
// [*Form], which is sent as multipart/form-data. The body is buffered so that
// the request can be retried.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	u, err := c.BaseURL.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("procore: bad path: %w", unwrapURLError(err))
	}

	var (
		buf         []byte
		contentType string
	)
	switch b := body.(type) {
	case nil:
	case *Form:
		buf, contentType, err = b.encode()
		if err != nil {
			return nil, err
		}
	default:
		buf, err = json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("procore: encode body: %w", err)
		}
		contentType = "application/json"
	}

	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("procore: new request: %w", unwrapURLError(err))
	}

	if buf != nil {
		setBody(req, buf)
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")

	return req, nil
}

// setBody makes buf the rewindable body of req.
func setBody(req *http.Request, buf []byte) {
	req.Body = io.NopCloser(bytes.NewReader(buf))
	req.ContentLength = int64(len(buf))
	req.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf)), nil
	}
}

// Rate is the rate-limit state reported by the last response.
type Rate struct {
	Limit     int
	Remaining int
	Reset     time.Time
}

// parseRate reads the X-Rate-Limit-* headers of a response received at now;
// missing headers give -1 counts. Reset is on the local clock: Procore's is
// read from the Date header, so that a skewed local clock neither hangs
// requests nor sends them early.
func parseRate(h http.Header, now time.Time) Rate {
	r := Rate{Limit: -1, Remaining: -1}
	if v, err := strconv.Atoi(h.Get("X-Rate-Limit-Limit")); err == nil {
		r.Limit = v
	}

	if v, err := strconv.Atoi(h.Get("X-Rate-Limit-Remaining")); err == nil {
		r.Remaining = v
	}

	if v, err := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64); err == nil && v > 0 {
		r.Reset = time.Unix(v, 0).Add(-clockSkew(h, now))
	}

	return r
}

// clockSkew is how far the server's clock (its Date header) is ahead of now.
// Date has whole seconds, so a difference under two seconds counts as none.
func clockSkew(h http.Header, now time.Time) time.Duration {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return 0
	}

	skew := date.Sub(now)
	if skew > -2*time.Second && skew < 2*time.Second {
		return 0
	}

	return skew
}

// Response wraps an http.Response with Procore's pagination and rate-limit
// headers. Page numbers are zero when the header does not name them.
type Response struct {
	*http.Response

	NextPage int
	LastPage int
	Total    int
	PerPage  int
	Rate     Rate
}

func newResponse(r *http.Response) *Response {
	resp := &Response{Response: r, Rate: parseRate(r.Header, time.Now())}
	resp.Total, _ = strconv.Atoi(r.Header.Get("Total"))
	resp.PerPage, _ = strconv.Atoi(r.Header.Get("Per-Page"))
	resp.parseLinks()

	return resp
}

// parseLinks reads the next and last page numbers from the Link header
// (<url>; rel="next", <url>; rel="last"). Each URL is taken from between
// its angle brackets, so a comma inside it does no harm; rel may be quoted
// or not and may name several relations.
func (r *Response) parseLinks() {
	rest := strings.Join(r.Header.Values("Link"), ",")
	for {
		start := strings.IndexByte(rest, '<')
		if start < 0 {
			return
		}

		end := strings.IndexByte(rest[start:], '>')
		if end < 0 {
			return
		}

		raw := rest[start+1 : start+end]
		rest = rest[start+end+1:]

		params := rest
		if i := strings.IndexByte(rest, '<'); i >= 0 {
			params = rest[:i]
		}
		r.applyLink(raw, params)
	}
}

// applyLink records the page of one link under the relations it names.
func (r *Response) applyLink(raw, params string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}

	page, err := strconv.Atoi(u.Query().Get("page"))
	if err != nil {
		return
	}

	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
			continue
		}

		for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `",`)) {
			switch strings.ToLower(rel) {
			case "next":
				r.NextPage = page
			case "last":
				r.LastPage = page
			}
		}
	}
}

// Do sends req through the pacer and the retry policy, and decodes a 2xx
// JSON body into v (when v is an io.Writer the body is copied into it). The
// body is closed. Non-2xx answers come back as [*ErrorResponse] or
// [*RateLimitError] together with the Response.
//
// The bearer token is attached only when req goes to a Procore host, and
// Procore-Company-Id when the client has a company.
func (c *Client) Do(req *http.Request, v any) (*Response, error) {
	resp, err := c.send(req)
	if err != nil {
		return resp, err
	}

	if resp.StatusCode >= 300 {
		return resp, CheckResponse(resp.Response)
	}
	defer resp.Body.Close()

	switch dst := v.(type) {
	case nil:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	case io.Writer:
		if _, err := io.Copy(dst, resp.Body); err != nil {
			return resp, fmt.Errorf("procore: read body: %w", c.ctxErr(req.Context(), err))
		}
	default:
		if err := json.NewDecoder(resp.Body).Decode(dst); err != nil && !errors.Is(err, io.EOF) {
			return resp, fmt.Errorf("procore: decode %s %s: %w", req.Method,
				redact.URLValue(req.URL), c.ctxErr(req.Context(), err))
		}

		// The decoder stops at the end of the value; reading on to the end
		// of the body lets the connection be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	}

	return resp, nil
}

// ctxErr prefers the context's error over a transport error it caused.
func (c *Client) ctxErr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}

	return err
}
