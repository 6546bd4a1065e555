package auth

import (
	"errors"
	"testing"
	"time"
)

func TestLogoutRevokesAndForgets(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	a, r := f.issue()
	rec := &Record{AccessToken: a, RefreshToken: r, Expiry: time.Now().Add(time.Hour)}
	var states []State
	s, store := newUnitSession(t, f, rec, nil, Options{OnStateChange: func(st State) {
		states = append(states, st)
	}})

	res, err := s.Logout(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !res.WasLoggedIn || !res.Revoked || res.RevokeErr != nil {
		t.Errorf("result = %+v, want revoked", res)
	}
	if got := f.revokeN.Load(); got != 2 {
		t.Errorf("%d revoke requests, want 2 (refresh and access token)", got)
	}

	f.mu.Lock()
	live := f.refresh[r] || f.access[a]
	f.mu.Unlock()
	if live {
		t.Error("a token is still live at the server")
	}

	if _, err := store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
		t.Errorf("token still stored: %v", err)
	}
	if _, err := s.Token(t.Context()); !errors.Is(err, ErrLoginRequired) {
		t.Errorf("Token after logout: %v", err)
	}
	if len(states) != 1 || states[0] != StateLoggedOut {
		t.Errorf("states = %v", states)
	}
	if s.WhoAmI() != (Identity{}) {
		t.Errorf("WhoAmI after logout = %+v", s.WhoAmI())
	}

	res, err = s.Logout(t.Context())
	if err != nil || res.WasLoggedIn {
		t.Errorf("second logout = %+v, %v", res, err)
	}
}

func TestLogoutWithoutNetworkForgetsLocally(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	a, r := f.issue()
	rec := &Record{AccessToken: a, RefreshToken: r, Expiry: time.Now().Add(time.Hour)}
	s, store := newUnitSession(t, f, rec, nil, Options{})
	f.srv.Close()

	res, err := s.Logout(t.Context())
	if err != nil {
		t.Fatalf("logout failed: %v", err)
	}
	if !res.WasLoggedIn || res.Revoked || res.RevokeErr == nil {
		t.Errorf("result = %+v, want not revoked with a reason", res)
	}
	if res.Message() == (LogoutResult{WasLoggedIn: true, Revoked: true}).Message() {
		t.Errorf("message %q does not say Procore was not reached", res.Message())
	}
	if _, err := store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
		t.Errorf("token still stored: %v", err)
	}
	if s.State() != StateLoggedOut {
		t.Error("still logged in")
	}
}
