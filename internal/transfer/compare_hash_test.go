package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// cancelingReaderAt is a file of zeros that cancels a context on its first
// read, as a user pressing Cancel while the file is hashed.
type cancelingReaderAt struct {
	cancel context.CancelFunc
	reads  int
}

func (r *cancelingReaderAt) ReadAt(p []byte, _ int64) (int, error) {
	r.reads++
	if r.cancel != nil {
		r.cancel()
	}
	clear(p)

	return len(p), nil
}

// TestFileSHA256StopsWhenCancelled: the hashing pass before an upload
// (shown as preparing) ends at the next read once ctx is cancelled, instead
// of reading the rest of the file; without a cancel it hashes every byte.
func TestFileSHA256StopsWhenCancelled(t *testing.T) {
	t.Parallel()

	const size = 64 << 20

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r := &cancelingReaderAt{cancel: cancel}
	if _, err := fileSHA256(ctx, r, size); !errors.Is(err, context.Canceled) || r.reads != 1 {
		t.Fatalf("cancelled hash: %v after %d reads, want context.Canceled after 1", err, r.reads)
	}

	r = &cancelingReaderAt{}
	got, err := fileSHA256(t.Context(), r, 1000)
	want := sha256.Sum256(make([]byte, 1000))
	if err != nil || got != hex.EncodeToString(want[:]) {
		t.Fatalf("hash of 1000 zero bytes: %s, %v", got, err)
	}
}
