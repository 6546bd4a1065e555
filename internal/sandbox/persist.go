package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
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

// saveDelay is how long the saver waits after a change before writing, so
// that bursts of changes cost one write.
const saveDelay = 50 * time.Millisecond

// saver persists the metadata some time after each change, until stop closes.
type saver struct {
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex // serialises writes
}

func newSaver() *saver {
	return &saver{kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

func (s *Server) runSaver() {
	defer close(s.saver.done)

	for {
		select {
		case <-s.saver.stop:
			return
		case <-s.saver.kick:
		}

		select {
		case <-s.saver.stop:
			return
		case <-time.After(saveDelay):
		}

		if err := s.save(); err != nil {
			s.log.Error("sandbox save failed", errField(err))
		}
	}
}

// save writes the metadata atomically (temp file, fsync, rename). It is a
// no-op for an in-memory sandbox.
func (s *Server) save() error {
	if s.opts.DataDir == "" || s.st == nil {
		return nil
	}

	s.saver.mu.Lock()
	defer s.saver.mu.Unlock()

	s.mu.Lock()
	b, err := json.Marshal(s.st)
	s.mu.Unlock()

	if err != nil {
		return fmt.Errorf("sandbox: encode metadata: %w", err)
	}

	return writeAtomic(filepath.Join(s.opts.DataDir, metaFile), b)
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

// commitLocked notes a change; the saver writes it shortly after. The caller
// holds s.mu.
func (s *Server) commitLocked() {
	if s.opts.DataDir == "" {
		return
	}

	select {
	case s.saver.kick <- struct{}{}:
	default:
	}
}
