package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/redact"
)

// compareStall ends a comparison whose download received nothing for this
// long; the file is then uploaded as before.
const compareStall = time.Minute

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

	remote, err := t.remoteSHA256(ctx, link, size, count)
	if err != nil || remote != digest {
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

// fileSHA256 returns the hex SHA-256 of the first size bytes of f.
func fileSHA256(f io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, size)); err != nil {
		return "", fmt.Errorf("transfer: upload: hash: %w", err)
	}

	return hex.EncodeToString(h.Sum(nil)), nil
}

// remoteSHA256 reads the file link through SHA-256 without saving it, and
// fails when it is not exactly size bytes. count gets each chunk read.
func (t *Transferer) remoteSHA256(ctx context.Context, link string, size int64, count func(int64)) (string, error) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()

	watchdog := time.AfterFunc(compareStall, cancel)
	defer watchdog.Stop()

	resp, err := t.c.OpenDownload(actx, link, 0)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("compare: status %d", resp.StatusCode)
	}

	h := sha256.New()
	buf := make([]byte, 256<<10)
	var n int64
	for {
		m, rerr := resp.Body.Read(buf)
		watchdog.Reset(compareStall)
		if m > 0 {
			n += int64(m)
			if n > size {
				return "", fmt.Errorf("compare: %w", procore.ErrSizeMismatch)
			}

			h.Write(buf[:m])
			count(int64(m))
		}

		if rerr == io.EOF {
			break
		}

		if rerr != nil {
			return "", fmt.Errorf("compare: read body: %w", rerr)
		}
	}

	if n != size {
		return "", fmt.Errorf("compare: %w", procore.ErrSizeMismatch)
	}

	return hex.EncodeToString(h.Sum(nil)), nil
}
