package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileStore keeps each record in its own JSON file with mode 0600. It is the
// fallback where no keyring service runs: the tokens are protected only by
// the file permissions.
type FileStore struct {
	dir string
	mu  sync.Mutex
}

// NewFileStore returns a store that keeps its files in dir. An empty dir
// means DefaultTokenDir.
func NewFileStore(dir string) (*FileStore, error) {
	if dir == "" {
		d, err := DefaultTokenDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}

	return &FileStore{dir: dir}, nil
}

// DefaultTokenDir returns <user config dir>/backsight/tokens.
func DefaultTokenDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("auth: token directory: %w", err)
	}

	return filepath.Join(base, "backsight", "tokens"), nil
}

// Dir returns the directory the store writes to.
func (s *FileStore) Dir() string { return s.dir }

// Load reads the record stored under key.
func (s *FileStore) Load(ctx context.Context, key string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	data, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("auth: load %s: %w", key, ErrNotStored)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: load token file: %w", err)
	}

	var rec Record
	if err := json.Unmarshal(data, &rec); err != nil {
		// The error text of encoding/json quotes no values, so no secret
		// leaks here.
		return nil, fmt.Errorf("auth: decode token file %s: %w", s.path(key), err)
	}

	return &rec, nil
}

// Save writes rec under key: to a temporary file in the same directory,
// synced and then renamed over the old file, so a crash leaves either the old
// or the new record, never a torn one.
func (s *FileStore) Save(ctx context.Context, key string, rec *Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("auth: encode token: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("auth: token directory: %w", err)
	}

	return writeFileAtomic(s.path(key), data)
}

// Delete removes the file of key.
func (s *FileStore) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	err := os.Remove(s.path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("auth: delete token file: %w", err)
	}

	return nil
}

func (s *FileStore) path(key string) string {
	return filepath.Join(s.dir, safeFileName(key)+".json")
}

// safeFileName turns key into a portable file name: letters, digits, '.',
// '-' and '_' stay, everything else becomes '_', and a short hash of the
// whole key keeps keys that differ only in replaced characters apart.
func safeFileName(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}

	name := strings.TrimLeft(b.String(), ".")
	if len(name) > 80 {
		name = name[:80]
	}

	sum := sha256.Sum256([]byte(key))

	return name + "-" + hex.EncodeToString(sum[:4])
}

func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".token-*.tmp")
	if err != nil {
		return fmt.Errorf("auth: write token file: %w", err)
	}

	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("auth: write token file: %w", err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("auth: write token file: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("auth: write token file: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("auth: write token file: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("auth: write token file: %w", err)
	}

	return nil
}
