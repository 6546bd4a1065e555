package procore

import (
	"context"
	"net/http"
)

// MeService reads the signed-in user.
type MeService struct{ client *Client }

// Get returns the user the token belongs to (GET /rest/v1.0/me).
func (s *MeService) Get(ctx context.Context) (*User, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, "/rest/v1.0/me", nil)
	if err != nil {
		return nil, nil, err
	}

	var u User
	resp, err := s.client.Do(req, &u)
	if err != nil {
		return nil, resp, err
	}

	return &u, resp, nil
}
