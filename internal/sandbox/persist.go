package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const metaFile = "sandbox.json"

// loadState reads DataDir's metadata. found is false for an empty or absent
// DataDir, which then starts from a fresh state.
func loadState(dir string) (*state, bool, error) {
	if dir == "" {
		return newState(), false, nil
	}

	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), false, nil
	}

	if err != nil {
		return nil, false, fmt.Errorf("sandbox: read metadata: %w", err)
	}

	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, false, fmt.Errorf("sandbox: parse metadata: %w", err)
	}

	st.fixup()

	return st, true, nil
}

// saveLocked writes the metadata atomically (temp file, fsync, rename). It is
// a no-op for an in-memory sandbox. The caller holds s.mu.
func (s *Server) saveLocked() error {
	dir := s.opts.DataDir
	if dir == "" || s.st == nil {
		return nil
	}

	b, err := json.Marshal(s.st)
	if err != nil {
		return fmt.Errorf("sandbox: encode metadata: %w", err)
	}

	return writeAtomic(filepath.Join(dir, metaFile), b)
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("sandbox: save metadata: %w", err)
	}

	defer func() { _ = os.Remove(tmp.Name()) }()

	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("sandbox: save metadata: %w", err)
	}

	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("sandbox: save metadata: %w", err)
	}

	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sandbox: save metadata: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("sandbox: save metadata: %w", err)
	}

	return nil
}

// commit saves after a mutation; a failure is logged, not returned to the
// client, because the in-memory change has already happened.
func (s *Server) commitLocked() {
	if err := s.saveLocked(); err != nil {
		s.log.Error("sandbox save failed", errField(err))
	}
}
