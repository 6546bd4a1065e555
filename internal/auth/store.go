package auth

import (
	"context"
	"errors"
	"time"
)

// ErrNotStored is returned by [Store.Load] when no token is stored under the
// key.
var ErrNotStored = errors.New("auth: no stored token")

// Record is what a [Store] keeps for one environment and client ID: the
// token pair and the identity of the user it belongs to.
type Record struct {
	// AccessToken is the bearer token for API calls.
	AccessToken string `json:"access_token"`
	// RefreshToken is the single-use token that gets the next pair.
	RefreshToken string `json:"refresh_token"`
	// TokenType is the token type Procore sent, normally "bearer".
	TokenType string `json:"token_type,omitempty"`
	// Expiry is when the access token expires; zero means unknown.
	Expiry time.Time `json:"expiry,omitzero"`
	// Obtained is when the pair was received; with Expiry it gives the
	// token's lifetime.
	Obtained time.Time `json:"obtained,omitzero"`
	// Identity is the user the token belongs to, from /rest/v1.0/me.
	Identity Identity `json:"identity"`
}

// Identity is the signed-in Procore user, remembered for display.
type Identity struct {
	// ID is the Procore user ID, 0 when unknown.
	ID int64 `json:"id,omitempty"`
	// Login is the user's login, an e-mail address.
	Login string `json:"login,omitempty"`
	// Name is the user's display name; Procore often leaves it empty.
	Name string `json:"name,omitempty"`
}

// Display returns the name to show for the user: the name when known, else
// the login.
func (i Identity) Display() string {
	if i.Name != "" {
		return i.Name
	}

	return i.Login
}

// Store keeps token records, one per key (see [StoreKey]). Implementations
// are safe for concurrent use.
type Store interface {
	// Load returns the record stored under key, or an error wrapping
	// ErrNotStored when there is none.
	Load(ctx context.Context, key string) (*Record, error)
	// Save stores rec under key, replacing any earlier record atomically.
	Save(ctx context.Context, key string, rec *Record) error
	// Delete removes the record under key; deleting a missing record is
	// not an error.
	Delete(ctx context.Context, key string) error
}

// StoreKey returns the key under which the tokens of clientID in env are
// stored: "<environment>:<client ID>".
func StoreKey(env Environment, clientID string) string {
	return env.key() + ":" + clientID
}
