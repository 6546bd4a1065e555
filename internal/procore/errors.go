package procore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/backsight/backsight/internal/redact"
)

// maxErrorBody caps how much of an error response is read.
const maxErrorBody = 1 << 20

// Sentinel errors matched by [*ErrorResponse] and [*RateLimitError] through
// errors.Is.
var (
	// ErrNotFound: 404, the resource does not exist or the user cannot see it.
	ErrNotFound = errors.New("procore: not found")
	// ErrForbidden: 403, no permission (or expired storage instructions).
	ErrForbidden = errors.New("procore: forbidden")
	// ErrUnauthorized: 401, the token is missing, expired or revoked.
	ErrUnauthorized = errors.New("procore: unauthorized")
	// ErrNameTaken: a folder or file of that name already exists.
	ErrNameTaken = errors.New("procore: name taken")
	// ErrCheckedOut: 409 on a file update, usually a file checked out by
	// someone else.
	ErrCheckedOut = errors.New("procore: checked out")
	// ErrRateLimited: 429.
	ErrRateLimited = errors.New("procore: rate limited")
)

// ErrorResponse is a non-2xx answer from Procore or from the storage host.
// Its Error text never carries a token or a signed URL's query.
type ErrorResponse struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Method and URL name the request; URL is already redacted.
	Method string
	URL    string
	// Messages holds Procore's messages from the errors, message, error and
	// reason fields (or the start of a plain-text body).
	Messages []string
	// Storage is true when the answer came from the storage host.
	Storage bool
	// Response is the raw response; its body has been read and closed.
	Response *http.Response `json:"-"`

	// afterActed: an earlier attempt of the request got no answer (or a
	// 5xx) and may have been carried out.
	afterActed bool
}

// Error implements error.
func (e *ErrorResponse) Error() string {
	msg := strings.Join(e.Messages, "; ")
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}

	return fmt.Sprintf("procore: %s %s: %d %s", e.Method, e.URL, e.StatusCode, redact.String(msg))
}

// Is matches the sentinel errors of this package.
func (e *ErrorResponse) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrNameTaken:
		return e.nameTaken()
	case ErrCheckedOut:
		return e.StatusCode == http.StatusConflict && !e.nameTaken() && e.isFileWrite()
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}

	return false
}

// nameTaken reports a 400, 409 or 422 whose message says the name is in
// use, or a 409 (duplicate) answering the creation of a folder or a file.
// Procore does not document the status or the body, so the message decides
// unless the status alone is clear.
func (e *ErrorResponse) nameTaken() bool {
	switch e.StatusCode {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
	default:
		return false
	}

	for _, m := range e.Messages {
		l := strings.ToLower(m)
		for _, s := range takenPhrases {
			if strings.Contains(l, s) {
				return true
			}
		}
	}

	return e.StatusCode == http.StatusConflict && e.isCreate()
}

// takenPhrases are the words of the messages that say a name is in use.
var takenPhrases = []string{
	"taken", "already exist", "already in use", "duplicate", "must be unique", "not unique",
}

// isCreate reports whether the request created a folder or a file.
func (e *ErrorResponse) isCreate() bool {
	if e.Method != http.MethodPost {
		return false
	}

	u, err := url.Parse(e.URL)
	if err != nil {
		return false
	}

	return strings.HasSuffix(u.Path, "/folders") || strings.HasSuffix(u.Path, "/files")
}

// isFileWrite reports whether the request updated a file or made a version.
func (e *ErrorResponse) isFileWrite() bool {
	if e.Method == http.MethodGet {
		return false
	}

	return strings.Contains(e.URL, "/files") || strings.Contains(e.URL, "/file_versions")
}

// RateLimitError is a 429 answer. Reset is when the window resets (from
// X-Rate-Limit-Reset) and RetryAfter the wait Procore asked for (from
// Retry-After, or the time until Reset when it is absent).
type RateLimitError struct {
	ErrorResponse
	Limit      int
	Remaining  int
	Reset      time.Time
	RetryAfter time.Duration
}

// Error implements error.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s (retry after %s)", e.ErrorResponse.Error(), e.RetryAfter.Round(time.Second))
}

// Is matches ErrRateLimited.
func (e *RateLimitError) Is(target error) bool {
	return target == ErrRateLimited
}

// Unwrap exposes the embedded ErrorResponse to errors.As.
func (e *RateLimitError) Unwrap() error { return &e.ErrorResponse }

// CheckResponse returns nil for a 2xx response and otherwise an
// [*ErrorResponse] or [*RateLimitError]. It reads (at most 1 MiB of) the body
// of a failed response and closes it.
func CheckResponse(r *http.Response) error {
	if r.StatusCode >= 200 && r.StatusCode <= 299 {
		return nil
	}

	data, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	_ = r.Body.Close()

	er := ErrorResponse{
		StatusCode: r.StatusCode,
		Response:   r,
		Messages:   parseMessages(data),
	}
	if r.Request != nil {
		er.Method = r.Request.Method
		er.URL = redact.URLValue(r.Request.URL)
	}

	if r.StatusCode == http.StatusTooManyRequests {
		rate := parseRate(r.Header, time.Now())
		return &RateLimitError{
			ErrorResponse: er,
			Limit:         rate.Limit,
			Remaining:     rate.Remaining,
			Reset:         rate.Reset,
			RetryAfter:    retryAfter(r.Header, time.Now()),
		}
	}

	return &er
}

// parseMessages pulls human messages out of the error body shapes Procore
// uses: {"errors": ...}, {"message": ...}, {"error": ...}, {"reason": ...}, or
// plain text.
func parseMessages(data []byte) []string {
	text := strings.TrimSpace(string(data))
	if text == "" {
		return nil
	}

	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		if strings.HasPrefix(text, "<") {
			return xmlMessages(text)
		}

		if len(text) > 200 {
			text = text[:200]
		}

		return []string{text}
	}

	var out []string
	for _, key := range []string{"errors", "message", "error", "error_description", "reason"} {
		out = appendMessages(out, "", body[key])
	}

	return out
}

// s3Error finds the code and message of an S3-style XML error body.
var s3Error = regexp.MustCompile(`<(Code|Message)>([^<]{1,200})</`)

// xmlMessages reads a storage XML error; an HTML page gives nothing.
func xmlMessages(text string) []string {
	var out []string
	for _, m := range s3Error.FindAllStringSubmatch(text, 2) {
		out = append(out, m[2])
	}

	return out
}

// s3Code returns the Code of an S3-style XML error body ("" for another
// body). It reads the body and puts its bytes back, so that [CheckResponse]
// can still read it.
func s3Code(r *http.Response) string {
	data, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(data))

	for _, m := range s3Error.FindAllSubmatch(data, 2) {
		if string(m[1]) == "Code" {
			return string(m[2])
		}
	}

	return ""
}

// appendMessages flattens a message value (string, list or field map).
func appendMessages(out []string, prefix string, v any) []string {
	switch v := v.(type) {
	case string:
		if v != "" {
			out = append(out, prefix+v)
		}
	case []any:
		for _, item := range v {
			out = appendMessages(out, prefix, item)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)

		for _, k := range keys {
			p := k + " "
			if k == "base" || k == "message" {
				p = ""
			}
			out = appendMessages(out, prefix+p, v[k])
		}
	}

	return out
}

// retryAfter is the wait a 429 or 503 asks for: Retry-After (seconds or an
// HTTP date), else the time until X-Rate-Limit-Reset, else zero.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
			// A day stands for any longer (or infinite) wait.
			return time.Duration(min(secs, 86400) * float64(time.Second))
		}

		if t, err := http.ParseTime(v); err == nil {
			return max(t.Add(-clockSkew(h, now)).Sub(now), 0)
		}
	}

	if reset := parseRate(h, now).Reset; !reset.IsZero() {
		return max(reset.Sub(now), 0)
	}

	return 0
}
