package procore

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/redact"
)

// RetryPolicy decides which failed requests are sent again and how long to
// wait in between. It is the only place that knows about retries; the API
// calls never loop themselves.
//
// What is retried:
//   - 429 and 503 on any request: Procore rejected it before doing anything
//     (rate limit or load shedding), so even a create cannot be duplicated.
//     The wait honours Retry-After, else X-Rate-Limit-Reset.
//   - 500, 502 and 504, and transport failures (connection reset, dropped
//     body, timeout), only on idempotent requests: GET, HEAD, PUT, DELETE,
//     OPTIONS, and requests marked with [Idempotent]. A POST that creates a
//     folder, a file or a version may have been carried out before the
//     failure, so repeating it blindly could create a duplicate; the caller
//     checks what exists instead (internal/transfer does).
//   - A transport failure of any request whose connection was never made
//     (a dial error): the server provably never saw it.
//   - A storage upload answered 400 with the S3 error code RequestTimeout
//     (the store closed a socket that sat idle too long; nothing was
//     stored), like a 500.
//
// Never retried: other 4xx (401 is handled apart: the token is invalidated
// and the request sent once more), certificate errors, and anything after the
// context is done.
type RetryPolicy struct {
	// MaxAttempts is the number of tries including the first.
	MaxAttempts int
	// BaseDelay and MaxDelay bound the exponential backoff; each wait is a
	// random duration in [0, min(MaxDelay, BaseDelay·2^n)] (full jitter).
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After or rate-limit reset the client
	// waits for; a longer one is returned to the caller as the error.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy returns the policy used unless [WithRetryPolicy] says
// otherwise: 6 attempts, 250 ms to 20 s backoff, waits of up to 2 minutes.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   6,
		BaseDelay:     250 * time.Millisecond,
		MaxDelay:      20 * time.Second,
		MaxRetryAfter: 2 * time.Minute,
	}
}

type idempotentKey struct{}

// Idempotent marks req as safe to repeat after an ambiguous failure (for
// example a PATCH that sets the same state again, or a storage upload that
// overwrites the same object).
func Idempotent(req *http.Request) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), idempotentKey{}, true))
}

// isIdempotent reports whether req may be repeated after an ambiguous failure.
func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}

	marked, _ := req.Context().Value(idempotentKey{}).(bool)
	return marked
}

// Decide reports whether a failed attempt should be retried and how long to
// wait first. resp is the response (nil on a transport error), err the
// transport error, attempt the number of tries made so far (1 after the
// first).
func (p RetryPolicy) Decide(
	ctx context.Context, req *http.Request, resp *http.Response, err error, attempt int,
) (bool, time.Duration) {
	if ctx.Err() != nil || attempt >= p.MaxAttempts {
		return false, 0
	}

	if err != nil {
		if !retryableNetError(err) {
			return false, 0
		}

		if !isIdempotent(req) && !isDialError(err) {
			return false, 0
		}

		return true, p.backoff(attempt)
	}

	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		wait := retryAfter(resp.Header, time.Now())
		if wait > p.MaxRetryAfter {
			return false, 0
		}

		if wait == 0 {
			return true, p.backoff(attempt)
		}

		// A little jitter so that parallel workers do not return at once.
		return true, wait + rand.N(p.BaseDelay+1)
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return isIdempotent(req), p.backoff(attempt)
	case http.StatusBadRequest:
		retry := isStorage(req) && isIdempotent(req) && s3Code(resp) == "RequestTimeout"
		return retry, p.backoff(attempt)
	}

	return false, 0
}

// backoff is the full-jitter wait before try attempt+1.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	ceiling := p.MaxDelay
	if shift := attempt - 1; shift < 30 {
		if d := p.BaseDelay << shift; d > 0 && d < ceiling {
			ceiling = d
		}
	}

	if ceiling <= 0 {
		return 0
	}

	return rand.N(ceiling + 1)
}

// retryableNetError reports whether a transport error may go away on a retry.
func retryableNetError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}

	var (
		certErr   *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) {
		return false
	}

	return true
}

// isDialError reports whether the connection was never made.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}

	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// send runs req through the pacer, the token source and the retry policy.
// On success (2xx, or a 3xx left for the caller to follow) the caller owns
// resp.Body; on an HTTP failure the body has been
// read and closed and the error is an [*ErrorResponse] or [*RateLimitError].
func (c *Client) send(req *http.Request) (*Response, error) {
	ctx := req.Context()
	procoreHost := c.IsProcoreHost(req.URL) && !isStorage(req)
	reauthed := false
	acted := false // an earlier attempt may have been carried out

	for attempt := 1; ; attempt++ {
		if procoreHost {
			until, err := c.pacer.wait(ctx, c.retry.MaxRetryAfter)
			if errors.Is(err, errPaced) {
				return nil, c.pacedErr(req, until)
			}

			if err != nil {
				return nil, c.transportErr(req, err)
			}
		}

		r, tok, err := c.roundTrip(req, procoreHost)
		var te *tokenError
		if errors.As(err, &te) {
			// The token source decides about its own retries (and about
			// asking the user to sign in again).
			return nil, fmt.Errorf("procore: %s %s: token: %w", req.Method, redact.URLValue(req.URL), te)
		}

		if err != nil {
			retry, wait := c.retry.Decide(ctx, req, nil, err, attempt)
			if !retry || !canResend(req) {
				return nil, c.transportErr(req, err)
			}
			acted = acted || mayHaveActed(nil, err)

			c.logRetry(req, attempt, 0, wait, err)
			if err := sleepCtx(ctx, wait); err != nil {
				return nil, c.transportErr(req, err)
			}

			continue
		}

		if procoreHost {
			c.pacer.update(r.Header, r.StatusCode, time.Now())
		}

		if r.StatusCode == http.StatusUnauthorized && procoreHost && !reauthed && tok != "" &&
			canResend(req) {
			drain(r)
			c.tokens.Invalidate(tok)
			c.log.Debug("procore token rejected, retrying with a new one",
				zap.String("method", req.Method), zap.String("url", redact.URLValue(req.URL)))
			reauthed = true
			attempt--

			continue
		}

		resp := newResponse(r)
		if r.StatusCode >= 200 && r.StatusCode <= 399 {
			return resp, nil
		}

		retry, wait := c.retry.Decide(ctx, req, r, nil, attempt)
		if !retry || !canResend(req) {
			return resp, answerErr(r, tok, acted)
		}

		acted = acted || mayHaveActed(r, nil)
		drain(r)
		c.logRetry(req, attempt, r.StatusCode, wait, nil)
		if procoreHost && r.StatusCode == http.StatusTooManyRequests {
			c.pacer.block(time.Now().Add(wait))
		}

		if err := sleepCtx(ctx, wait); err != nil {
			return nil, c.transportErr(req, err)
		}
	}
}

// roundTrip sends one attempt of req with a fresh body and the right headers.
// It returns the token it attached, if any.
func (c *Client) roundTrip(req *http.Request, procoreHost bool) (*http.Response, string, error) {
	ctx := req.Context()
	r := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, "", err
		}

		r.Body = body
	}

	var tok string
	r.Header.Del("Authorization")
	if procoreHost {
		var err error
		tok, err = c.tokens.Token(ctx)
		if err != nil {
			return nil, "", &tokenError{err}
		}

		r.Header.Set("Authorization", "Bearer "+tok)
		if c.CompanyID != 0 && r.Header.Get(CompanyHeader) == "" {
			r.Header.Set(CompanyHeader, fmt.Sprint(c.CompanyID))
		}

		if c.UserAgent != "" {
			r.Header.Set("User-Agent", c.UserAgent)
		}
	}

	start := time.Now()
	resp, err := c.http.Do(r)
	if err != nil {
		return nil, tok, err
	}

	c.log.Debug("procore request",
		zap.String("method", req.Method),
		zap.String("url", redact.URLValue(req.URL)),
		zap.Int("status", resp.StatusCode),
		zap.Duration("took", time.Since(start)))

	return resp, tok, nil
}

// pacedErr is the rate-limit error of a request not sent because the
// rate-limit window resets later than the retry policy waits.
func (c *Client) pacedErr(req *http.Request, until time.Time) error {
	return &RateLimitError{
		ErrorResponse: ErrorResponse{
			StatusCode: http.StatusTooManyRequests,
			Method:     req.Method,
			URL:        redact.URLValue(req.URL),
			Messages:   []string{"not sent: the rate limit is used up until the window resets"},
		},
		Limit:      -1,
		Remaining:  0,
		Reset:      until,
		RetryAfter: time.Until(until),
	}
}

// mayHaveActed reports a failed attempt that the server may have carried
// out: no answer although the connection was made (the answer was lost),
// or a 500, 502 or 504. A 429 or 503 refuses the request before acting.
func mayHaveActed(r *http.Response, err error) bool {
	if err != nil {
		return !isDialError(err)
	}

	switch r.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true
	}

	return false
}

// answerErr is the error of the final failed answer r (see
// [CheckResponse]), without the token tok, and marked when an earlier
// attempt may have been carried out.
func answerErr(r *http.Response, tok string, acted bool) error {
	err := withoutToken(CheckResponse(r), tok)

	var er *ErrorResponse
	if acted && errors.As(err, &er) {
		er.afterActed = true
	}

	return err
}

// withoutToken masks tok in the messages of an API error, so that a server
// that echoes the credential it was sent cannot put it into an error string.
func withoutToken(err error, tok string) error {
	var er *ErrorResponse
	if tok == "" || !errors.As(err, &er) {
		return err
	}

	for i, m := range er.Messages {
		er.Messages[i] = redact.Secrets(m, tok)
	}

	return err
}

// tokenError is a failure of the token source, never retried here.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }

// Unwrap returns the token source's error.
func (e *tokenError) Unwrap() error { return e.err }

// canResend reports whether req's body can be produced again.
func canResend(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// drain discards a little of the body so the connection can be reused.
func drain(r *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	_ = r.Body.Close()
}

func (c *Client) logRetry(req *http.Request, attempt, status int, wait time.Duration, err error) {
	fields := []zap.Field{
		zap.String("method", req.Method),
		zap.String("url", redact.URLValue(req.URL)),
		zap.Int("attempt", attempt),
		zap.Duration("wait", wait),
	}
	if status != 0 {
		fields = append(fields, zap.Int("status", status))
	}

	if err != nil {
		fields = append(fields, zap.String("error", redact.String(unwrapURLError(err).Error())))
	}

	c.log.Debug("procore retry", fields...)
}

// TransportError is a request that got no HTTP answer. Its text names the
// request with a redacted URL.
type TransportError struct {
	Method string
	URL    string
	Err    error
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("procore: %s %s: %s", e.Method, e.URL, redact.String(e.Err.Error()))
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// transportErr wraps a transport error without the *url.Error text, which
// would print the unredacted URL. A context error is returned as the cause.
func (c *Client) transportErr(req *http.Request, err error) error {
	if ctxErr := req.Context().Err(); ctxErr != nil {
		err = ctxErr
	}

	return &TransportError{Method: req.Method, URL: redact.URLValue(req.URL), Err: unwrapURLError(err)}
}

// unwrapURLError strips *url.Error, whose message repeats the full URL.
func unwrapURLError(err error) error {
	for {
		ue, ok := err.(*url.Error)
		if !ok {
			return err
		}

		err = ue.Err
	}
}
