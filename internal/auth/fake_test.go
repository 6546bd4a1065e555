package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeProcore is a minimal token endpoint for unit tests: it rotates refresh
// tokens on every refresh and counts the requests. The end-to-end tests use
// the real sandbox instead.
type fakeProcore struct {
	srv *httptest.Server

	mu       sync.Mutex
	refresh  map[string]bool // live refresh tokens
	access   map[string]bool // live access tokens
	codes    map[string]bool
	expires  int
	refreshN atomic.Int32
	revokeN  atomic.Int32
}

func newFakeProcore(t *testing.T) *fakeProcore {
	t.Helper()

	f := &fakeProcore{
		refresh: map[string]bool{},
		access:  map[string]bool{},
		codes:   map[string]bool{},
		expires: 5400,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", f.token)
	mux.HandleFunc("POST /oauth/revoke", f.revoke)
	mux.HandleFunc("GET /rest/v1.0/me", f.me)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)

	return f
}

func (f *fakeProcore) env(t *testing.T) Environment {
	t.Helper()

	env, err := CustomEnvironment(f.srv.URL, f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}

	return env
}

// issue returns a fresh live pair.
func (f *fakeProcore) issue() (access, refresh string) {
	f.mu.Lock()
	defer f.mu.Unlock()

	access, refresh = randHex(), randHex()
	f.access[access] = true
	f.refresh[refresh] = true

	return access, refresh
}

func (f *fakeProcore) addCode() string {
	f.mu.Lock()
	defer f.mu.Unlock()

	c := randHex()
	f.codes[c] = true

	return c
}

func (f *fakeProcore) token(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_secret") != testSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}

	f.mu.Lock()
	var ok bool
	switch r.FormValue("grant_type") {
	case "refresh_token":
		f.refreshN.Add(1)
		rt := r.FormValue("refresh_token")
		ok = f.refresh[rt]
		delete(f.refresh, rt) // single use, even when the answer is lost
	case "authorization_code":
		c := r.FormValue("code")
		ok = f.codes[c]
		delete(f.codes, c)
	}
	expires := f.expires
	f.mu.Unlock()

	if !ok {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}

	access, refresh := f.issue()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": access, "refresh_token": refresh, "token_type": "bearer",
		"expires_in": expires, "created_at": 1,
	})
}

func (f *fakeProcore) revoke(w http.ResponseWriter, r *http.Request) {
	f.revokeN.Add(1)

	f.mu.Lock()
	delete(f.refresh, r.FormValue("token"))
	delete(f.access, r.FormValue("token"))
	f.mu.Unlock()

	w.WriteHeader(http.StatusOK)
}

func (f *fakeProcore) me(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	ok := f.access[bearer(r)]
	f.mu.Unlock()

	if !ok {
		http.Error(w, `{"message":"The access token is invalid"}`, http.StatusUnauthorized)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"id":7,"login":"surveyor@example.test","name":"Sam Surveyor"}`))
}

func bearer(r *http.Request) string {
	const p = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) > len(p) {
		return h[len(p):]
	}

	return ""
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"error": code, "error_description": "The provided authorization grant is invalid",
	})
}

func randHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)

	return hex.EncodeToString(b)
}

const (
	testClientID = "unit-client"
	testSecret   = "unit-secret-value"
)

// countingStore wraps a store and counts saves.
type countingStore struct {
	Store
	saves atomic.Int32
}

func (c *countingStore) Save(ctx context.Context, key string, rec *Record) error {
	c.saves.Add(1)
	return c.Store.Save(ctx, key, rec)
}
