package authtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/backsight/backsight/internal/redact"
)

// maxSteps bounds the pages a login may take.
const maxSteps = 10

// maxPage caps the bytes read of one page.
const maxPage = 1 << 20

var (
	denyRe    = regexp.MustCompile(`(?i)\b(deny|denied|cancel|reject|decline|refuse|no)\b`)
	approveRe = regexp.MustCompile(`(?i)(allow|approve|authori[sz]e|accept|grant|sign|log\s*in|continue|yes)`)
	loginRe   = regexp.MustCompile(`(?i)(login|user|email|e-mail|account)`)
)

// Page is the last page a browser landed on.
type Page struct {
	// URL is the page's final URL, after redirects.
	URL *url.URL
	// Status is the HTTP status of the page.
	Status int
	// Body is the page's HTML.
	Body string
}

// Browser plays a user in a browser: it keeps cookies, fills in the login
// form with Login and Password and answers the consent step.
type Browser struct {
	// Login and Password are typed into the login form.
	Login, Password string
	// Deny presses the deny button of the consent step instead of
	// approving.
	Deny bool
	// Localhost, when not empty, is the IP address the browser connects to
	// for the host name localhost, as a browser does that resolves localhost
	// to that address first ("::1" or "127.0.0.1"). Empty leaves the choice
	// to the system resolver. Set it before the first request.
	Localhost string
	// Client makes the requests; NewBrowser gives it a cookie jar and a
	// transport that honours Localhost.
	Client *http.Client

	mu      sync.Mutex
	last    Page
	lastErr error
}

// NewBrowser returns a browser that logs in as login with password.
func NewBrowser(login, password string) *Browser {
	jar, _ := cookiejar.New(nil) // never fails without options

	b := &Browser{Login: login, Password: password}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = b.dial
	b.Client = &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second}

	return b
}

// dial connects to addr, or to Localhost when addr names the host localhost.
func (b *Browser) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && b.Localhost != "" && strings.EqualFold(host, "localhost") {
		addr = net.JoinHostPort(b.Localhost, port)
	}

	var d net.Dialer

	return d.DialContext(ctx, network, addr)
}

// Open goes to authURL and fills in every form on the way until it reaches a
// page without a form: the app's listener page, the out-of-band code page or
// an error page. It returns that page; the error is for a failed request, a
// status of 400 or more, or a login form shown a second time (a wrong
// password).
func (b *Browser) Open(ctx context.Context, authURL string) (Page, error) {
	page, err := b.run(ctx, authURL)

	b.mu.Lock()
	b.last, b.lastErr = page, err
	b.mu.Unlock()

	return page, err
}

// Opener returns a function to use as auth.Opener. It runs [Browser.Open]
// synchronously; its result is available from [Browser.Last].
func (b *Browser) Opener(ctx context.Context) func(string) error {
	return func(authURL string) error {
		_, err := b.Open(ctx, authURL)
		return err
	}
}

// Last returns the page and error of the latest Open.
func (b *Browser) Last() (Page, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.last, b.lastErr
}

// OOBCode opens authURL and returns the text of the element with id="code"
// on the page it ends on, the out-of-band code page.
func (b *Browser) OOBCode(ctx context.Context, authURL string) (string, error) {
	page, err := b.Open(ctx, authURL)
	if err != nil {
		return "", err
	}

	el, ok := FindByID(page.Body, "code")
	if !ok || el.Text == "" {
		return "", fmt.Errorf("%w (id=\"code\") at %s", ErrNoCode, redact.URLValue(page.URL))
	}

	return el.Text, nil
}

func (b *Browser) run(ctx context.Context, authURL string) (Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return Page{}, fmt.Errorf("authtest: %w", err)
	}

	sentPassword := false
	for range maxSteps {
		page, err := b.do(req)
		if err != nil {
			return page, err
		}
		if page.Status >= 400 {
			return page, fmt.Errorf("authtest: %s answered %d: %s",
				redact.URLValue(page.URL), page.Status, snippet(page.Body))
		}

		forms := ParseForms(page.Body)
		if len(forms) == 0 {
			return page, nil
		}

		form := forms[0]
		hasPassword := form.has("password")
		if hasPassword && sentPassword {
			return page, fmt.Errorf("authtest: login form shown again: %s", snippet(page.Body))
		}
		sentPassword = sentPassword || hasPassword

		req, err = b.submit(ctx, page.URL, form)
		if err != nil {
			return page, err
		}
	}

	return Page{}, fmt.Errorf("authtest: no final page after %d steps", maxSteps)
}

func (b *Browser) do(req *http.Request) (Page, error) {
	resp, err := b.Client.Do(req)
	if err != nil {
		// The failed URL may be a redirect that carries the code.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redact.URL(ue.URL)
		}

		return Page{}, fmt.Errorf("authtest: %s %s: %w", req.Method, redact.URLValue(req.URL), err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	page := Page{URL: resp.Request.URL, Status: resp.StatusCode, Body: string(body)}
	if err != nil {
		return page, fmt.Errorf("authtest: read %s: %w", redact.URLValue(page.URL), err)
	}

	return page, nil
}

// submit builds the request that submitting form on the page at base sends.
func (b *Browser) submit(ctx context.Context, base *url.URL, form Form) (*http.Request, error) {
	values := url.Values{}
	for _, in := range form.Inputs {
		if in.Name == "" {
			continue
		}

		switch {
		case in.Type == "password":
			values.Add(in.Name, b.Password)
		case in.Type == "email" || in.Type == "text" && loginRe.MatchString(in.Name+" "+in.ID):
			values.Add(in.Name, b.Login)
		case in.Type == "checkbox" || in.Type == "radio":
			if in.Checked {
				values.Add(in.Name, valueOr(in.Value, "on"))
			}
		default:
			values.Add(in.Name, in.Value)
		}
	}

	if btn, ok := b.pick(form.Buttons); ok && btn.Name != "" {
		values.Add(btn.Name, btn.Value)
	}

	action, err := base.Parse(form.Action)
	if err != nil {
		return nil, fmt.Errorf("authtest: form action: %w", err)
	}

	if form.Method == http.MethodGet {
		action.RawQuery = values.Encode()
		return http.NewRequestWithContext(ctx, http.MethodGet, action.String(), nil)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, action.String(),
		strings.NewReader(values.Encode()))
	if err != nil {
		return nil, fmt.Errorf("authtest: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	return req, nil
}

// pick chooses the button to press: the deny button when b.Deny, else an
// approving one, else the first that does not deny.
func (b *Browser) pick(buttons []Input) (Input, bool) {
	label := func(in Input) string { return in.Name + " " + in.Value + " " + in.Text + " " + in.ID }

	if b.Deny {
		for _, btn := range buttons {
			if denyRe.MatchString(label(btn)) {
				return btn, true
			}
		}
	}
	for _, btn := range buttons {
		if approveRe.MatchString(label(btn)) && !denyRe.MatchString(label(btn)) {
			return btn, true
		}
	}
	for _, btn := range buttons {
		if !denyRe.MatchString(label(btn)) {
			return btn, true
		}
	}

	return Input{}, false
}

func (f Form) has(typ string) bool {
	for _, in := range f.Inputs {
		if in.Type == typ {
			return true
		}
	}

	return false
}

func valueOr(v, def string) string {
	if v == "" {
		return def
	}

	return v
}

// snippet returns the start of a page's text, redacted, for error messages.
func snippet(body string) string {
	text := cleanText(body)
	if len(text) > 200 {
		text = text[:200] + "…"
	}

	return redact.String(text)
}

// ErrNoCode is returned when an out-of-band page has no code.
var ErrNoCode = errors.New("authtest: no code on the page")
