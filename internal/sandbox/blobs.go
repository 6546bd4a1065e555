package sandbox

import (
	"crypto/md5" //nolint:gosec // S3 ETags are MD5 by definition.
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// blobStore keeps file contents as files on disk: blobs/<id> for stored
// contents and parts/<uuid>/<n> for upload segments. Contents are streamed,
// never held whole in memory.
type blobStore struct {
	dir string
}

var blobIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

func newBlobStore(dir string) (*blobStore, error) {
	for _, sub := range []string{"blobs", "parts"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("sandbox: blob dir: %w", err)
		}
	}

	return &blobStore{dir: dir}, nil
}

func (b *blobStore) path(id string) string { return filepath.Join(b.dir, "blobs", id) }

func (b *blobStore) partPath(uuid string, n int) string {
	return filepath.Join(b.dir, "parts", uuid, fmt.Sprint(n))
}

// hashes are computed while a blob is written.
type hashes struct {
	size   int64
	sha256 string
	md5    string
}

// put streams r into a new blob, at most limit bytes when limit >= 0 (one more
// byte is an error). It returns the new id and the sizes and hashes.
func (b *blobStore) put(r io.Reader, limit int64) (string, hashes, error) {
	id := randomHex(16)

	h, err := writeFileHashed(b.path(id), r, limit)
	if err != nil {
		return "", h, err
	}

	return id, h, nil
}

// errTooLarge says a stream was longer than its declared size.
var errTooLarge = fmt.Errorf("sandbox: body larger than declared")

func writeFileHashed(path string, r io.Reader, limit int64) (hashes, error) {
	f, err := os.Create(path)
	if err != nil {
		return hashes{}, fmt.Errorf("sandbox: create blob: %w", err)
	}

	sh, mh := sha256.New(), md5.New() //nolint:gosec // ETag.

	src := r
	if limit >= 0 {
		src = io.LimitReader(r, limit+1)
	}

	n, err := copyBuf(io.MultiWriter(f, sh, mh), src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}

	if err == nil && limit >= 0 && n > limit {
		err = errTooLarge
	}

	if err != nil {
		_ = os.Remove(path)
		return hashes{}, err
	}

	return hashes{size: n, sha256: hexSum(sh), md5: hexSum(mh)}, nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

func copyBuf(dst io.Writer, src io.Reader) (int64, error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)

	return io.CopyBuffer(dst, src, *bp)
}

// concat joins upload parts into a new blob and removes the parts.
func (b *blobStore) concat(uuid string, parts int) (string, int64, error) {
	id := randomHex(16)

	out, err := os.Create(b.path(id))
	if err != nil {
		return "", 0, fmt.Errorf("sandbox: create blob: %w", err)
	}

	var total int64
	for i := 1; i <= parts; i++ {
		n, err := appendFile(out, b.partPath(uuid, i))
		if err != nil {
			_ = out.Close()
			_ = os.Remove(b.path(id))
			return "", 0, err
		}

		total += n
	}

	if err := out.Close(); err != nil {
		_ = os.Remove(b.path(id))
		return "", 0, fmt.Errorf("sandbox: write blob: %w", err)
	}

	_ = os.RemoveAll(filepath.Join(b.dir, "parts", uuid))

	return id, total, nil
}

func appendFile(out io.Writer, path string) (int64, error) {
	in, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("sandbox: open part: %w", err)
	}

	defer func() { _ = in.Close() }()

	n, err := copyBuf(out, in)
	if err != nil {
		return n, fmt.Errorf("sandbox: copy part: %w", err)
	}

	return n, nil
}

func (b *blobStore) open(id string) (*os.File, error) {
	if !blobIDRe.MatchString(id) {
		return nil, os.ErrNotExist
	}

	return os.Open(b.path(id))
}
