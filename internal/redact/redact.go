// Package redact removes secrets from text before it reaches a log, an error
// message or a test's output.
//
// Secrets are OAuth access and refresh tokens, authorisation codes, PKCE
// verifiers, client secrets, Authorization headers and the query strings of
// signed (presigned) storage URLs. Every log call site and error type that
// could carry one passes the value through this package.
package redact

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces a secret value.
const Mask = "REDACTED"

// secretParams are query, form and JSON keys whose values are secrets.
var secretParams = map[string]bool{
	"access_token":         true,
	"refresh_token":        true,
	"token":                true,
	"code":                 true,
	"code_verifier":        true,
	"client_secret":        true,
	"password":             true,
	"id_token":             true,
	"sig":                  true,
	"signature":            true,
	"x-amz-signature":      true,
	"x-amz-credential":     true,
	"x-amz-security-token": true,
	"policy":               true,
	"awsaccesskeyid":       true,
	"key-pair-id":          true,
	"expires":              true,
	"x-goog-signature":     true,
	"x-goog-credential":    true,
}

// signedMarkers are query keys whose presence marks a URL as signed; the whole
// query of such a URL is dropped.
var signedMarkers = []string{
	"sig", "signature", "x-amz-signature", "x-amz-credential", "x-goog-signature",
	"awsaccesskeyid", "policy", "token",
}

// secretHeaders are header names whose values are secrets.
var secretHeaders = map[string]bool{
	"Authorization":        true,
	"Proxy-Authorization":  true,
	"Cookie":               true,
	"Set-Cookie":           true,
	"X-Amz-Security-Token": true,
	"X-Auth-Token":         true,
}

// IsSecretParam reports whether a query, form or JSON key holds a secret.
func IsSecretParam(key string) bool {
	return secretParams[strings.ToLower(key)]
}

// URL returns u with secret query values masked. A signed URL (one that
// carries a signature or credential parameter) loses its whole query, since
// every part of a presigned query may grant access. Userinfo is masked too.
// Text that does not parse as a URL goes through [String] instead.
func URL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return String(u)
	}

	return URLValue(parsed)
}

// URLValue is [URL] for a parsed URL. It never modifies u.
func URLValue(u *url.URL) string {
	if u == nil {
		return ""
	}

	c := *u
	if c.User != nil {
		c.User = url.User(Mask)
	}

	q := c.Query()
	if len(q) == 0 {
		return c.String()
	}

	for _, m := range signedMarkers {
		for k := range q {
			if strings.EqualFold(k, m) {
				c.RawQuery = Mask
				return c.String()
			}
		}
	}

	changed := false
	for k := range q {
		if IsSecretParam(k) {
			q.Set(k, Mask)
			changed = true
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}

	return c.String()
}

// Header returns a copy of h with secret header values masked.
func Header(h http.Header) http.Header {
	out := h.Clone()
	for k := range out {
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = []string{Mask}
		}
	}

	return out
}

// Patterns that find secrets in free text: bearer credentials, key=value
// pairs in queries and forms, JSON members, and whole URLs.
var (
	bearerRe = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)
	pairRe   = regexp.MustCompile(
		`(?i)\b(access_token|refresh_token|token|code|code_verifier|client_secret|password|` +
			`id_token|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|` +
			`policy)=([^&\s"']+)`)
	jsonRe = regexp.MustCompile(
		`(?i)"(access_token|refresh_token|token|code|code_verifier|client_secret|password|` +
			`id_token)"\s*:\s*"[^"]*"`)
	urlRe = regexp.MustCompile(`https?://[^\s"'<>]+`)
)

// String masks secrets found in free text: bearer credentials, secret
// key=value pairs, secret JSON members and the queries of signed URLs.
func String(s string) string {
	s = urlRe.ReplaceAllStringFunc(s, func(u string) string {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.RawQuery == "" && parsed.User == nil) {
			return u
		}

		return URLValue(parsed)
	})
	s = bearerRe.ReplaceAllString(s, "$1 "+Mask)
	s = pairRe.ReplaceAllString(s, "$1="+Mask)
	s = jsonRe.ReplaceAllStringFunc(s, func(m string) string {
		key := m[:strings.Index(m[1:], `"`)+2]
		return key + `:"` + Mask + `"`
	})

	return s
}

// Secrets masks every occurrence of the given literal secrets in s, then
// applies [String]. Empty secrets are ignored. Use it when the secret values
// are known, for example in an error that might echo a request body.
func Secrets(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}

	return String(s)
}
