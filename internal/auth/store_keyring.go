package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
	"go.uber.org/zap"
)

// KeyringService is the service name of Backsight's keyring entries.
const KeyringService = "backsight"

// NoKeyringWarning is the user-facing warning shown when tokens are kept in
// a file because no keyring service is available.
const NoKeyringWarning = "The Procore token is stored without a keyring, " +
	"in a file readable only by you."

// KeyringStore keeps records in the operating system's keyring (macOS
// Keychain, Windows Credential Manager, the Secret Service on Linux), one
// entry per key: service "backsight", user = the key, secret = the record as
// JSON.
type KeyringStore struct{}

// NewKeyringStore returns a store backed by the system keyring. It does not
// check that a keyring service is running; [OpenStore] does.
func NewKeyringStore() *KeyringStore { return &KeyringStore{} }

// Load reads the record stored under key.
func (KeyringStore) Load(ctx context.Context, key string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	secret, err := keyring.Get(KeyringService, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, fmt.Errorf("auth: load %s: %w", key, ErrNotStored)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: keyring get: %w", err)
	}

	var rec Record
	if err := json.Unmarshal([]byte(secret), &rec); err != nil {
		return nil, fmt.Errorf("auth: decode keyring entry %s: %w", key, err)
	}

	return &rec, nil
}

// Save stores rec under key, replacing the earlier entry.
func (KeyringStore) Save(ctx context.Context, key string, rec *Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("auth: encode token: %w", err)
	}
	// TODO(auth): Windows Credential Manager takes at most 2560 bytes
	// (keyring.ErrSetDataTooBig); Procore's opaque tokens fit easily, but very
	// long JWT access tokens would not. Split the entry if that is ever seen.
	if err := keyring.Set(KeyringService, key, string(data)); err != nil {
		return fmt.Errorf("auth: keyring set: %w", err)
	}

	return nil
}

// Delete removes the entry of key.
func (KeyringStore) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	err := keyring.Delete(KeyringService, key)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("auth: keyring delete: %w", err)
	}

	return nil
}

// probeKey is the keyring user that OpenStore writes to test the keyring.
const probeKey = "probe"

// probeTimeout bounds the keyring probe: on Linux, reaching a D-Bus session
// that is not there can take a while.
const probeTimeout = 5 * time.Second

// OpenStore returns the keyring store when a keyring service answers, and
// otherwise a [FileStore] in dir (empty means [DefaultTokenDir]) together
// with [NoKeyringWarning], which the caller shows to the user. The fallback is
// also logged at Warn. A nil logger logs nothing.
func OpenStore(ctx context.Context, dir string, logger *zap.Logger) (Store, string, error) {
	if logger == nil {
		logger = zap.NewNop()
	}

	err := probeKeyring(ctx)
	if err == nil {
		return NewKeyringStore(), "", nil
	}
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}

	fs, ferr := NewFileStore(dir)
	if ferr != nil {
		return nil, "", ferr
	}

	logger.Warn("token stored without a keyring",
		zap.String("dir", fs.Dir()), zap.String("keyring_error", err.Error()))

	return fs, NoKeyringWarning, nil
}

// probeKeyring writes, reads back and deletes a probe entry.
func probeKeyring(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		const value = "backsight keyring probe"
		if err := keyring.Set(KeyringService, probeKey, value); err != nil {
			done <- err
			return
		}

		got, err := keyring.Get(KeyringService, probeKey)
		_ = keyring.Delete(KeyringService, probeKey)
		if err == nil && got != value {
			err = errors.New("keyring returned a different value")
		}
		done <- err
	}()

	timer := time.NewTimer(probeTimeout)
	defer timer.Stop()

	select {
	case err := <-done:
		return err
	case <-timer.C:
		return errors.New("keyring did not answer in time")
	case <-ctx.Done():
		return ctx.Err()
	}
}
