package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

// revokeTimeout bounds the revocation requests of a logout, so a logout
// without network does not hang.
const revokeTimeout = 15 * time.Second

// LogoutResult tells what a logout did at Procore. The local part (forgetting
// the session and deleting the stored pair) has always happened when Logout
// returns no error.
type LogoutResult struct {
	// WasLoggedIn is false when there was no token to revoke.
	WasLoggedIn bool
	// Revoked is true when Procore confirmed the revocation.
	Revoked bool
	// RevokeErr says why Procore was not reached or refused; nil when
	// Revoked or when there was nothing to revoke.
	RevokeErr error
}

// Message returns a sentence for the user.
func (r LogoutResult) Message() string {
	switch {
	case !r.WasLoggedIn:
		return "You were not logged in to Procore."
	case r.Revoked:
		return "You are logged out of Procore."
	}

	return "You are logged out on this computer, but Procore could not be reached " +
		"to cancel the sign-in there."
}

// Logout forgets the session, deletes the stored token pair and then revokes
// it at Procore. Not reaching Procore is reported in the result, not as an
// error: the error is only for a stored pair that could not be deleted.
func (s *Session) Logout(ctx context.Context) (LogoutResult, error) {
	s.mu.Lock()
	rec := s.rec
	s.rec = nil
	s.stale = false
	s.gen++
	s.mu.Unlock()

	inMemory := rec != nil
	if rec == nil {
		// A stored record may be left by a failed earlier delete.
		if stored, err := s.store.Load(ctx, s.key); err == nil {
			rec = stored
		}
	}

	res := LogoutResult{WasLoggedIn: rec != nil}
	if inMemory {
		s.notify(StateLoggedOut)
	}

	delErr := s.store.Delete(ctx, s.key)

	if rec != nil {
		res.RevokeErr = s.revoke(ctx, rec)
		res.Revoked = res.RevokeErr == nil
	}

	s.logger.Info("signed out", zap.Bool("revoked", res.Revoked),
		zap.NamedError("revoke_error", res.RevokeErr))

	if delErr != nil {
		return res, delErr
	}

	return res, nil
}

// droppedRevokeTimeout bounds the revocation of a pair that a refresh
// received after a logout or login had replaced the session's pair.
const droppedRevokeTimeout = 5 * time.Second

// revokeDropped revokes a pair that nobody will use, so that it does not
// stay valid at Procore. It is best effort: a failure is only logged. The
// refreshing goroutine calls it after the refresh, so the callers waiting for
// that refresh wait for it too, at most droppedRevokeTimeout.
func (s *Session) revokeDropped(ctx context.Context, rec *Record) {
	ctx, cancel := context.WithTimeout(ctx, droppedRevokeTimeout)
	defer cancel()

	if err := s.revoke(ctx, rec); err != nil {
		s.logger.Warn("dropped token not revoked", zap.Error(err))
		return
	}

	s.logger.Debug("dropped token revoked")
}

// revoke revokes the refresh token and then the access token. Procore says
// that revoking either kills both, and has announced that revocation may
// later apply to refresh tokens only, so both are sent.
func (s *Session) revoke(ctx context.Context, rec *Record) error {
	ctx, cancel := context.WithTimeout(ctx, revokeTimeout)
	defer cancel()

	var errs []error
	for _, tok := range []string{rec.RefreshToken, rec.AccessToken} {
		if tok == "" {
			continue
		}
		if err := s.revokeOne(ctx, tok); err != nil {
			errs = append(errs, err)
		}
	}

	return errors.Join(errs...)
}

func (s *Session) revokeOne(ctx context.Context, token string) error {
	form := url.Values{
		"token":     {token},
		"client_id": {s.cfg.ClientID},
	}
	if s.cfg.ClientSecret != "" {
		form.Set("client_secret", s.cfg.ClientSecret)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		s.cfg.Env.loginEndpoint("/oauth/revoke"), strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("auth: revoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	resp, err := s.client.Do(req)
	if err != nil {
		// A transport error names the URL, which carries no secret.
		return fmt.Errorf("auth: revoke: %w", err)
	}
	defer resp.Body.Close()

	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxRevokeBody))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("auth: revoke: HTTP %d", resp.StatusCode)
	}

	return nil
}

// maxRevokeBody caps the revoke answer that is read.
const maxRevokeBody = 1 << 20
