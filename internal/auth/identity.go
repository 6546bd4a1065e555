package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// maxMeBody caps the /me answer that is read.
const maxMeBody = 1 << 20

// fetchIdentity asks GET /rest/v1.0/me who the token belongs to.
func (s *Session) fetchIdentity(ctx context.Context, accessToken string) (Identity, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		s.cfg.Env.apiEndpoint("/rest/v1.0/me"), nil)
	if err != nil {
		return Identity{}, fmt.Errorf("auth: me: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")

	resp, err := s.client.Do(req)
	if err != nil {
		return Identity{}, fmt.Errorf("auth: me: %w", err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxMeBody))
		return Identity{}, fmt.Errorf("auth: me: HTTP %d", resp.StatusCode)
	}

	var id Identity
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMeBody)).Decode(&id); err != nil {
		return Identity{}, fmt.Errorf("auth: me: decode: %w", err)
	}

	return id, nil
}
