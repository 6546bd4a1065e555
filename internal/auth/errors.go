package auth

import (
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/backsight/backsight/internal/redact"
)

// ErrLoginRequired is returned by [Session.Token] (and every other call that
// needs a token) while the session is logged out: nobody has logged in yet,
// the user logged out, or Procore rejected the refresh token. Its text is
// meant for the user as it is.
//
//lint:ignore ST1005 the message is shown to the user unchanged
var ErrLoginRequired = errors.New("You are not logged in to Procore, or your login has " +
	"ended. Log in and try again.")

// ErrStateMismatch is returned by a login whose redirect carried a state
// that this login did not send: the redirect did not come from our request.
var ErrStateMismatch = errors.New("auth: login redirect has the wrong state")

// ErrPortInUse is wrapped by a login whose redirect port is taken by another
// program, on 127.0.0.1 or on ::1 (on any system: Windows reports a taken
// port with its own error number). The error also wraps the *net.OpError
// that names the address.
var ErrPortInUse = errors.New("auth: listen for the login redirect: port in use")

// TokenError is an error answer from Procore's token endpoint. It keeps only
// the HTTP status and the RFC 6749 error code and description (redacted),
// never the request or the response body.
type TokenError struct {
	// Op is what was asked of the endpoint: "exchange code" or "refresh".
	Op string
	// StatusCode is the HTTP status of the answer, 0 when unknown.
	StatusCode int
	// Code is RFC 6749's "error", such as "invalid_grant"; it may be empty.
	Code string
	// Description is RFC 6749's "error_description", redacted.
	Description string
}

// Error returns a short description without secrets.
func (e *TokenError) Error() string {
	msg := fmt.Sprintf("auth: %s: token endpoint answered %d", e.Op, e.StatusCode)
	if e.StatusCode > 0 {
		msg += " " + http.StatusText(e.StatusCode)
	}
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}

	return msg
}

// Rejected reports whether Procore refused the grant itself (an unknown,
// used, expired or revoked code or refresh token) rather than failing.
func (e *TokenError) Rejected() bool {
	switch e.Code {
	case "invalid_grant", "invalid_token", "unauthorized_client", "invalid_client":
		return true
	}

	return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnauthorized
}

// AuthorizeError is an error the authorise step sent back on the redirect,
// such as "access_denied" when the user declined.
type AuthorizeError struct {
	// Code is RFC 6749's "error".
	Code string
	// Description is RFC 6749's "error_description", redacted.
	Description string
}

// Error returns a short description.
func (e *AuthorizeError) Error() string {
	if e.Description == "" {
		return "auth: authorise: " + e.Code
	}

	return "auth: authorise: " + e.Code + ": " + e.Description
}

// tokenErr turns an error from golang.org/x/oauth2 into one that is safe to
// log: a *oauth2.RetrieveError (which carries the response body) becomes a
// *TokenError, and any other error is wrapped with its text redacted of the
// given secrets.
func tokenErr(op string, err error, secrets ...string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te := &TokenError{
			Op:          op,
			Code:        redact.Secrets(re.ErrorCode, secrets...),
			Description: redact.Secrets(re.ErrorDescription, secrets...),
		}
		if re.Response != nil {
			te.StatusCode = re.Response.StatusCode
		}

		return te
	}

	return &safeError{
		msg: "auth: " + op + ": " + redact.Secrets(err.Error(), secrets...),
		err: err,
	}
}

// safeError carries a redacted message. Unwrap still reaches the cause for
// errors.Is checks such as context.DeadlineExceeded; the causes wrapped here
// are transport errors, which do not hold token-endpoint bodies.
type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }
