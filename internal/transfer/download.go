package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/procore"
)

// DownloadRequest names a file version and where it goes.
type DownloadRequest struct {
	// Version is the version to fetch; its URL and Size are used.
	Version procore.FileVersion
	// Path is the Procore path of the file below the download's base, one
	// name per segment (for example Node.Path, or SplitProcorePath of the
	// file's name_with_path). Each segment is made safe for the local disk.
	Path []string
	// DestDir is the local folder the path is placed below.
	DestDir string
}

// DownloadResult describes one downloaded file.
type DownloadResult struct {
	LocalPath string
	Size      int64
	SHA256    string
}

// ErrNoURL means a version has no download link.
var ErrNoURL = errors.New("transfer: file version has no download url")

// Download fetches a file version into DestDir/Path, creating folders as
// needed. The file is written to a temporary file beside its final place and
// renamed only when complete and of the version's size; nothing is left
// behind on failure or cancellation. p may be nil.
func (t *Transferer) Download(ctx context.Context, r DownloadRequest, p *Progress) (*DownloadResult, error) {
	if r.Version.URL == "" {
		return nil, ErrNoURL
	}

	if len(r.Path) == 0 {
		return nil, errors.New("transfer: download: empty path")
	}

	dest, err := filepath.Abs(r.DestDir)
	if err != nil {
		return nil, fmt.Errorf("transfer: download: %w", err)
	}

	local, err := SafePath(dest, r.Path...)
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

	res, err := t.c.DownloadFile(ctx, r.Version.URL, local, procore.DownloadOptions{Size: size, Progress: p.AddBytes})
	if err != nil {
		return nil, fmt.Errorf("transfer: download %s: %w", filepath.Base(local), err)
	}
	p.FileDone()

	t.log.Debug("transfer download done", zap.String("path", local), zap.Int64("size", res.Size))
	return &DownloadResult{LocalPath: local, Size: res.Size, SHA256: res.SHA256}, nil
}
