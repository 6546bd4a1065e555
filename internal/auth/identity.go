package auth

import (
	"context"
	"fmt"

	"github.com/backsight/backsight/internal/procore"
)

// fetchIdentity asks GET /rest/v1.0/me, through the Procore client, who the
// token belongs to. It tries once: the login does not wait on a name that
// is only shown.
func (s *Session) fetchIdentity(ctx context.Context, accessToken string) (Identity, error) {
	c, err := procore.NewClient(s.cfg.Env.APIURL, procore.StaticToken(accessToken),
		procore.WithHTTPClient(s.client), procore.WithLogger(s.logger),
		procore.WithRetryPolicy(procore.RetryPolicy{MaxAttempts: 1}), procore.WithPacing(false))
	if err != nil {
		return Identity{}, fmt.Errorf("auth: me: %w", err)
	}

	u, _, err := c.Me.Get(ctx)
	if err != nil {
		return Identity{}, fmt.Errorf("auth: me: %w", err)
	}

	return Identity{ID: u.ID, Login: u.Login, Name: u.Name}, nil
}
