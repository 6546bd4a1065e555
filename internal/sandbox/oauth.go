package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

const (
	oobURI      = "urn:ietf:wg:oauth:2.0:oob"
	codeTTL     = 10 * time.Minute
	consentTTL  = 10 * time.Minute
	maxFormSize = 1 << 20
)

// AddApp registers an OAuth app. Loopback redirect URIs (http://127.0.0.1,
// http://localhost, http://[::1], any port) match a request on any port; a
// registered loopback URI with path "" or "/" matches any path. Registering an
// existing client id replaces its secret and redirect URIs.
func (s *Server) AddApp(clientID, secret string, redirectURIs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	a := s.st.Apps[clientID]
	if a == nil {
		svc := &user{ID: s.st.nextID("user"), Login: clientID + "@dmsa.sandbox.test",
			Name: clientID + " (service account)", Service: true}
		s.st.Users[svc.ID] = svc
		a = &app{ClientID: clientID, ServiceUser: svc.ID}
		s.st.Apps[clientID] = a
	}

	a.Secret = secret
	a.RedirectURIs = append([]string(nil), redirectURIs...)
	s.commitLocked()
}

// IssueToken signs login in to clientID without the browser flow and returns a
// fresh access and refresh token pair.
func (s *Server) IssueToken(login, clientID string) (access, refresh string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.st.Apps[clientID] == nil {
		return "", "", fmt.Errorf("sandbox: issue token: unknown client %q", clientID)
	}

	u := s.userByLogin(login)
	if u == nil {
		return "", "", fmt.Errorf("sandbox: issue token: unknown user %q", login)
	}

	at := s.newTokensLocked(u.ID, clientID, false)
	s.commitLocked()

	return at.Token, at.Refresh, nil
}

func (s *Server) userByLogin(login string) *user {
	for _, u := range s.st.Users {
		if !u.Service && strings.EqualFold(u.Login, login) {
			return u
		}
	}

	return nil
}

func (s *Server) newTokensLocked(userID int64, clientID string, service bool) *accessToken {
	now := s.now()
	at := &accessToken{
		Token: randomHex(32), UserID: userID, ClientID: clientID, CreatedAt: now,
		ExpiresAt: now.Add(s.opts.TokenTTL), Service: service,
	}

	if !service {
		rt := &refreshToken{Token: randomHex(32), UserID: userID, ClientID: clientID, Access: at.Token}
		at.Refresh = rt.Token
		s.st.Refresh[rt.Token] = rt
	}

	s.st.Access[at.Token] = at

	return at
}

// redirectAllowed reports whether uri matches one of the app's registered URIs.
func redirectAllowed(a *app, uri string) bool {
	for _, reg := range a.RedirectURIs {
		if reg == uri {
			return true
		}

		if loopbackMatch(reg, uri) {
			return true
		}
	}

	return false
}

func loopbackMatch(reg, uri string) bool {
	ru, err1 := url.Parse(reg)
	u, err2 := url.Parse(uri)
	if err1 != nil || err2 != nil || ru.Scheme != "http" || u.Scheme != "http" {
		return false
	}

	if !isLoopbackHost(ru.Hostname()) || ru.Hostname() != u.Hostname() {
		return false
	}

	if u.User != nil || u.Fragment != "" {
		return false
	}

	return ru.Path == "" || ru.Path == "/" || ru.Path == u.Path
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}

	ip := net.ParseIP(h)

	return ip != nil && ip.IsLoopback()
}

// tokenParams reads the token and revoke endpoints' body: form, multipart or JSON.
func tokenParams(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))

	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxFormSize)).Decode(&m); err != nil {
			return nil, fmt.Errorf("decode json: %w", err)
		}

		v := url.Values{}
		for k, x := range m {
			if x != nil {
				v.Set(k, fmt.Sprint(x))
			}
		}

		return v, nil
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxFormSize); err != nil {
			return nil, fmt.Errorf("parse multipart: %w", err)
		}
	default:
		r.Body = http.MaxBytesReader(nil, r.Body, maxFormSize)
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("parse form: %w", err)
		}
	}

	v := url.Values{}
	for k, x := range r.Form {
		v[k] = x
	}

	return v, nil
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

const (
	descInvalidClient = "Client authentication failed due to unknown client, no client " +
		"authentication included, or unsupported authentication method."
	descInvalidGrant = "The provided authorization grant is invalid, expired, revoked, does not " +
		"match the redirection URI used in the authorization request, or was issued to another client."
	descInvalidRefresh = "The refresh token is invalid"
)

// clientAuth checks client_id and client_secret from the body or HTTP Basic.
func (s *Server) clientAuth(r *http.Request, v url.Values) (*app, bool) {
	id, secret := v.Get("client_id"), v.Get("client_secret")
	if bu, bp, ok := r.BasicAuth(); ok {
		id, secret = bu, bp
	}

	a := s.st.Apps[id]
	if a == nil || subtle.ConstantTimeCompare([]byte(a.Secret), []byte(secret)) != 1 {
		return nil, false
	}

	return a, true
}

// handleToken serves POST /oauth/token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request, _ *call) {
	v, err := tokenParams(r)
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body could not be read.")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	grant := v.Get("grant_type")
	if grant == "refresh_token" {
		// Any use kills the presented refresh token, whatever happens next.
		rt := s.st.Refresh[v.Get("refresh_token")]
		delete(s.st.Refresh, v.Get("refresh_token"))
		s.commitLocked()
		s.refreshGrant(w, r, v, rt)

		return
	}

	a, ok := s.clientAuth(r, v)
	if !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_client", descInvalidClient)
		return
	}

	switch grant {
	case "authorization_code":
		s.codeGrant(w, v, a)
	case "client_credentials":
		at := s.newTokensLocked(a.ServiceUser, a.ClientID, true)
		s.commitLocked()
		writeToken(w, at)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type",
			"The authorization grant type is not supported by the authorization server.")
	}
}

func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request, v url.Values, rt *refreshToken) {
	a, ok := s.clientAuth(r, v)
	if !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_client", descInvalidClient)
		return
	}

	if rt == nil || rt.ClientID != a.ClientID || s.st.Users[rt.UserID] == nil {
		oauthError(w, http.StatusBadRequest, "invalid_grant", descInvalidRefresh)
		return
	}

	at := s.newTokensLocked(rt.UserID, a.ClientID, false)
	s.commitLocked()
	s.log.Info("sandbox token refreshed", zap.Int64("user_id", rt.UserID))
	writeToken(w, at)
}

func (s *Server) codeGrant(w http.ResponseWriter, v url.Values, a *app) {
	code := s.st.codes[v.Get("code")]
	delete(s.st.codes, v.Get("code"))

	if code == nil || code.ClientID != a.ClientID || !s.now().Before(code.ExpiresAt) ||
		code.RedirectURI != v.Get("redirect_uri") {
		oauthError(w, http.StatusBadRequest, "invalid_grant", descInvalidGrant)
		return
	}

	if code.Challenge != "" && !pkceOK(code, v.Get("code_verifier")) {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "The code_verifier does not match.")
		return
	}

	at := s.newTokensLocked(code.UserID, a.ClientID, false)
	s.commitLocked()
	s.log.Info("sandbox user signed in", zap.Int64("user_id", code.UserID))
	writeToken(w, at)
}

func pkceOK(c *authCode, verifier string) bool {
	if verifier == "" {
		return false
	}

	want := verifier
	if c.ChallengeMeth == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}

	return subtle.ConstantTimeCompare([]byte(want), []byte(c.Challenge)) == 1
}

func writeToken(w http.ResponseWriter, at *accessToken) {
	body := map[string]any{
		"access_token": at.Token,
		"token_type":   "bearer",
		"expires_in":   int64(at.ExpiresAt.Sub(at.CreatedAt) / time.Second),
		"created_at":   at.CreatedAt.Unix(),
	}
	if at.Refresh != "" {
		body["refresh_token"] = at.Refresh
	}

	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

// handleTokenInfo serves GET /oauth/token/info.
func (s *Server) handleTokenInfo(w http.ResponseWriter, r *http.Request, c *call) {
	left := int64(c.tok.ExpiresAt.Sub(s.now()) / time.Second)
	writeJSON(w, http.StatusOK, map[string]any{
		"resource_owner_id":  c.tok.UserID,
		"scopes":             []string{},
		"expires_in_seconds": left,
		"application":        map[string]string{"uid": c.tok.ClientID},
		"created_at":         c.tok.CreatedAt.Unix(),
	})
}

// handleRevoke serves POST /oauth/revoke: always 200; kills the token given
// (access or refresh) and its partner.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request, _ *call) {
	v, err := tokenParams(r)
	if err == nil {
		s.revoke(v.Get("token"))
	}

	writeJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) revoke(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if at := s.st.Access[tok]; at != nil {
		delete(s.st.Refresh, at.Refresh)
		delete(s.st.Access, tok)
	}

	if rt := s.st.Refresh[tok]; rt != nil {
		delete(s.st.Access, rt.Access)
		delete(s.st.Refresh, tok)
	}

	s.commitLocked()
}
