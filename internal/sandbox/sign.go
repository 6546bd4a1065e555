package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
)

// sign is an HMAC over a path and query, keyed by the server's secret, used
// for presigned storage URLs and opaque download links.
func (s *Server) sign(msg string) string {
	m := hmac.New(sha256.New, []byte(s.st.Secret))
	m.Write([]byte(msg))

	return hex.EncodeToString(m.Sum(nil))
}

// signedURL returns base+path with the query q and a signature parameter.
func (s *Server) signedURL(base, p string, q url.Values, sigKey string) string {
	q.Del(sigKey)
	q.Set(sigKey, s.sign(p+"?"+q.Encode()))

	return base + p + "?" + q.Encode()
}

// verify checks the signature parameter sigKey of a request URL.
func (s *Server) verify(u *url.URL, sigKey string) bool {
	q := u.Query()
	got := q.Get(sigKey)
	q.Del(sigKey)

	want := s.sign(u.Path + "?" + q.Encode())

	return hmac.Equal([]byte(got), []byte(want))
}
