package sandbox

import (
	"bytes"
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
	"time"
)

// blobStore keeps file contents as files on disk: blobs/<id> for stored
// contents and parts/<uuid>/<n> for upload segments. Contents are streamed
// with fixed buffers. An in-memory sandbox (no DataDir) keeps contents of at
// most memLimit bytes in memory instead, because creating many small files is
// slow on some disks; anything larger still goes to disk.
type blobStore struct {
	dir      string
	memLimit int64
	mu       sync.Mutex
	mem      map[string]memBlob
	memUsed  int64
}

// memTotalLimit caps the contents an in-memory sandbox holds in memory; past
// it, contents go to disk whatever their size.
const memTotalLimit = 64 << 20

type memBlob struct {
	data []byte
	mod  time.Time
}

var blobIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

func newBlobStore(dir string, memLimit int64) (*blobStore, error) {
	for _, sub := range []string{"blobs", "parts"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("sandbox: blob dir: %w", err)
		}
	}

	return &blobStore{dir: dir, memLimit: memLimit, mem: map[string]memBlob{}}, nil
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

	if b.memLimit > 0 {
		head, err := io.ReadAll(io.LimitReader(r, b.memLimit+1))
		if err != nil {
			return "", hashes{}, fmt.Errorf("sandbox: read body: %w", err)
		}

		if int64(len(head)) <= b.memLimit && b.reserve(int64(len(head))) {
			h, err := b.putMem(id, head, limit)
			return id, h, err
		}

		r = io.MultiReader(bytes.NewReader(head), r)
	}

	h, err := writeFileHashed(b.path(id), r, limit)
	if err != nil {
		return "", h, err
	}

	return id, h, nil
}

// reserve counts n bytes against memTotalLimit; false when they do not fit.
func (b *blobStore) reserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()

	if b.memUsed+n > memTotalLimit {
		return false
	}

	b.memUsed += n

	return true
}

func (b *blobStore) putMem(id string, data []byte, limit int64) (hashes, error) {
	if limit >= 0 && int64(len(data)) > limit {
		b.mu.Lock()
		b.memUsed -= int64(len(data))
		b.mu.Unlock()

		return hashes{}, errTooLarge
	}

	sh, mh := sha256.Sum256(data), md5.Sum(data) //nolint:gosec // ETag.

	b.mu.Lock()
	b.mem[id] = memBlob{data: data, mod: time.Now()}
	b.mu.Unlock()

	return hashes{size: int64(len(data)), sha256: hex.EncodeToString(sh[:]), md5: hex.EncodeToString(mh[:])}, nil
}

// remove deletes a blob.
func (b *blobStore) remove(id string) {
	b.mu.Lock()
	m, ok := b.mem[id]
	delete(b.mem, id)
	b.memUsed -= int64(len(m.data))
	b.mu.Unlock()

	if !ok && blobIDRe.MatchString(id) {
		_ = os.Remove(b.path(id))
	}
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

// blobReader reads one blob; Close releases it.
type blobReader struct {
	io.ReadSeeker
	size  int64
	mod   time.Time
	close func() error
}

func (r *blobReader) Close() error { return r.close() }

func (b *blobStore) open(id string) (*blobReader, error) {
	b.mu.Lock()
	m, ok := b.mem[id]
	b.mu.Unlock()

	if ok {
		return &blobReader{ReadSeeker: bytes.NewReader(m.data), size: int64(len(m.data)), mod: m.mod,
			close: func() error { return nil }}, nil
	}

	if !blobIDRe.MatchString(id) {
		return nil, os.ErrNotExist
	}

	f, err := os.Open(b.path(id))
	if err != nil {
		return nil, err
	}

	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}

	return &blobReader{ReadSeeker: f, size: st.Size(), mod: st.ModTime(), close: f.Close}, nil
}
