package project

import (
	"context"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/survey"
)

// TestOpenWhileImporting: a second handle opens the project and reads it
// while the first holds the write lock in the middle of an import (the
// CLI's "import ... & project info"). Open used to run the schema
// transaction on every call and failed with "database is locked".
func TestOpenWhileImporting(t *testing.T) {
	p := newProject(t)
	if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts("1", "2")},
		SourceInfo{Name: "first.csv", Format: "csv"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := p.ImportStream(t.Context(), SourceInfo{Name: "big.csv", Format: "csv"}, ImportOptions{},
			func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
				for _, pt := range pts("10", "11", "12") {
					if err := emit(pt); err != nil {
						return nil, err
					}
				}

				close(inside) // the import's transaction now holds the write lock
				<-release

				return nil, nil
			})
		done <- err
	}()
	<-inside

	// Well under busy_timeout: the second handle must not wait for the lock.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()

	q, err := Open(ctx, p.Dir())
	if err != nil {
		close(release)
		t.Fatalf("open while importing: %v", err)
	}

	srcs, err := q.Sources(ctx)
	n, cerr := q.PointCount(ctx, Selection{})
	q.Close()
	close(release)
	if err != nil || cerr != nil {
		t.Fatalf("read while importing: %v, %v", err, cerr)
	}

	if len(srcs) != 1 || n != 2 {
		t.Errorf("second handle sees %d sources and %d points, want the committed 1 and 2", len(srcs), n)
	}

	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}

	if n, _ := p.PointCount(t.Context(), Selection{}); n != 5 {
		t.Errorf("after the import: %d points, want 5", n)
	}
}
