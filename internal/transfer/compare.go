package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/redact"
)

// sameAsLatest compares the local file (its SHA-256 digest) with the latest version of the file
// whose name it takes, and returns an Unchanged result when both hold the
// same bytes. It returns nil (upload as before) when the name is free, the
// comparison is off, the sizes differ, the file is over CompareMax, the
// version has no link, or the comparison download fails; only a cancelled
// ctx is an error. The compared bytes are counted in p and taken back when
// the upload goes ahead, so the caller's total stays right.
func (t *Transferer) sameAsLatest(
	ctx context.Context, name string, size int64, digest string, existing byName, p *Progress,
) (*UploadResult, error) {
	file, ok := existing[name]
	if !ok || t.opts.AlwaysNewVersion || size > t.opts.CompareMax {
		return nil, nil
	}

	v := file.LatestVersion()
	if v == nil {
		return nil, nil
	}

	link := v.DownloadURL()
	if versionSize(file, v) != size || link == "" {
		return nil, nil
	}

	var counted int64
	count := func(n int64) {
		counted += n
		p.AddBytes(n)
	}

	// The version is read as a download is (resumed after a dropped
	// connection), through SHA-256 only.
	remote, err := t.c.HashDownload(ctx, link, procore.DownloadOptions{Size: size, Progress: count})
	if err != nil || remote.SHA256 != digest {
		p.AddBytes(-counted)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("transfer: upload %s: %w", name, ctx.Err())
		}

		if err != nil {
			t.log.Debug("transfer compare failed, uploading", zap.String("name", name),
				zap.String("error", redact.String(err.Error())))
		}

		return nil, nil
	}

	return &UploadResult{
		Outcome: Unchanged, FileID: file.ID, Version: max(v.Number, 1), Name: name, Size: size,
		SHA256: digest,
	}, nil
}

// fileSHA256 returns the hex SHA-256 of the first size bytes of f. It stops
// when ctx is done: the pass takes about a second per GiB, and the user may
// cancel while it is shown as preparing.
func fileSHA256(ctx context.Context, f io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, io.NewSectionReader(f, 0, size)}); err != nil {
		return "", fmt.Errorf("transfer: upload: hash: %w", err)
	}

	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader reads from r until ctx is done, then fails with ctx's error.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}

	return c.r.Read(p)
}
