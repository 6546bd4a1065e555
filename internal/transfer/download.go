package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/backsight/backsight/internal/procore"
)

// DownloadRequest names a file version and where it goes.
type DownloadRequest struct {
	// Version is the version to fetch; its URL (else its ProstoreFile's URL)
	// and Size are used.
	Version procore.FileVersion
	// Path is the Procore path of the file below the download's base, one
	// name per segment (for example Node.Path, or SplitProcorePath of the
	// file's name_with_path). Each segment is made safe for the local disk.
	Path []string
	// DestDir is the local folder the path is placed below.
	DestDir string
	// LocalName, when set, names the local file in place of the last
	// segment of Path (it is made safe too). [DistinctLocalNames] sets it
	// when two requests of one batch would write the same local file.
	LocalName string
	// Hash asks for the file's SHA-256 in [DownloadResult.SHA256] (see
	// [procore.DownloadOptions.Hash]); it costs CPU and checks nothing, as
	// Procore publishes no checksum, so only ask when the digest is shown or
	// recorded.
	Hash bool
}

// DownloadResult describes one downloaded file.
type DownloadResult struct {
	// LocalPath is the file written: DestDir and the safe form of Path,
	// with LocalName in place of the last segment when set. Report this
	// path, not one made from the Procore name.
	LocalPath string
	// Renamed is true when LocalName gave the file another name than the
	// safe form of its Procore name (another file of the batch had that).
	Renamed bool
	// Size is the number of bytes written.
	Size int64
	// SHA256 is the hex digest of the file, empty unless
	// [DownloadRequest.Hash] asked for it.
	SHA256 string
}

// ErrNoURL means a version has no download link.
var ErrNoURL = errors.New("transfer: file version has no download url")

var errEmptyPath = errors.New("transfer: download: empty path")

// Download fetches a file version into DestDir/Path (LocalName in place of
// the last segment when set), creating folders as needed. The file is
// written to a temporary file beside its final place and renamed only when
// complete and of the version's size; nothing is left behind on failure or
// cancellation. Bytes and the finished file are
// counted in p; totals are the caller's to set with [Progress.AddTotal]
// (DownloadAll sets them). p may be nil.
func (t *Transferer) Download(ctx context.Context, r DownloadRequest, p *Progress) (*DownloadResult, error) {
	return t.download(ctx, r, p)
}

// DownloadAll downloads several versions, Options.FileWorkers at a time,
// after adding all their sizes to p's totals. Requests that would write the
// same local file are given distinct names first (see
// [DistinctLocalNames]); [DownloadResult.LocalPath] tells where each file
// went. The first failure cancels the rest. Results are in the order of
// reqs (nil for downloads that did not finish). The folders it made and
// left empty are removed.
func (t *Transferer) DownloadAll(ctx context.Context, reqs []DownloadRequest, p *Progress) ([]*DownloadResult, error) {
	reqs = DistinctLocalNames(reqs)
	made := NewFolders(reqs)

	var total int64
	for _, r := range reqs {
		total += r.Version.Size
	}
	p.AddTotal(total, int64(len(reqs)))

	out := make([]*DownloadResult, len(reqs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.FileWorkers)
	for i, r := range reqs {
		g.Go(func() error {
			res, err := t.download(gctx, r, p)
			out[i] = res

			return err
		})
	}

	err := g.Wait()
	// A failed or cancelled batch leaves no empty folders of its own.
	RemoveEmptyFolders(made)

	return out, err
}

func (t *Transferer) download(ctx context.Context, r DownloadRequest, p *Progress) (*DownloadResult, error) {
	link := r.Version.DownloadURL()
	if link == "" {
		return nil, ErrNoURL
	}

	local, err := localPath(r)
	if err != nil {
		return nil, err
	}

	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		return nil, fmt.Errorf("transfer: download: %w", err)
	}

	p.SetCurrent(r.Path[len(r.Path)-1])
	size := r.Version.Size
	if size <= 0 {
		size = -1 // unknown: Procore sent no size
	}

	res, err := t.c.DownloadFile(ctx, link, local, procore.DownloadOptions{
		Size: size, Progress: p.AddBytes, Hash: r.Hash,
	})
	if err != nil {
		return nil, fmt.Errorf("transfer: download %s: %w", filepath.Base(local), err)
	}
	p.FileDone()

	t.log.Debug("transfer download done", zap.String("path", local), zap.Int64("size", res.Size))
	last := r.Path[len(r.Path)-1]
	renamed := r.LocalName != "" && SafeName(r.LocalName) != SafeName(last)

	return &DownloadResult{LocalPath: local, Renamed: renamed, Size: res.Size, SHA256: res.SHA256}, nil
}
