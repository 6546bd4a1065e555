package transfer

import (
	"context"
	"sync"

	"github.com/backsight/backsight/internal/procore"
)

// instructions holds the current segment URLs of an upload; workers that
// hit expired ones refresh them once for everybody.
type instructions struct {
	mu  sync.Mutex
	up  *procore.Upload
	gen int
}

// segment returns segment i and the generation of the instructions.
func (in *instructions) segment(i int) (procore.UploadSegment, int) {
	in.mu.Lock()
	defer in.mu.Unlock()

	return in.up.Segments[i], in.gen
}

// refresh fetches fresh instructions unless another worker already did
// since generation gen.
func (in *instructions) refresh(ctx context.Context, c *procore.Client, scope procore.Scope, gen int) error {
	in.mu.Lock()
	defer in.mu.Unlock()

	if in.gen != gen {
		return nil
	}

	fresh, _, err := c.Uploads.Get(ctx, scope, in.up.UUID)
	if err != nil {
		return err
	}

	if len(fresh.Segments) == len(in.up.Segments) {
		for i := range fresh.Segments {
			if fresh.Segments[i].URL != "" {
				in.up.Segments[i].URL = fresh.Segments[i].URL
				in.up.Segments[i].Headers = fresh.Segments[i].Headers
			}
		}
	}
	in.gen++

	return nil
}
