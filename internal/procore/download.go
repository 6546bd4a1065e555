package procore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/redact"
)

// maxRedirects is how many redirects a download follows (Procore's own
// sample allows five).
const maxRedirects = 5

// ErrSizeMismatch means a download ended with another size than expected.
var ErrSizeMismatch = errors.New("procore: downloaded size does not match")

// OpenDownload starts a GET of a file link at byte offset (0: the whole
// file), following up to five redirects by hand. The bearer token goes only
// to Procore hosts (see [Client.IsProcoreHost]), never to the storage host a
// link redirects to. The caller closes the body. With offset > 0 the answer
// may be 206 or, when the server ignored the range, 200.
func (c *Client) OpenDownload(ctx context.Context, rawURL string, offset int64) (*Response, error) {
	u, err := c.BaseURL.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("procore: download: bad url %s", redact.URL(rawURL))
	}

	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("procore: download: %w", unwrapURLError(err))
		}

		if offset > 0 {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
		}

		// The stored bytes, never unpacked by the transport: it would
		// unpack a first request but not a ranged resume.
		req.Header.Set("Accept-Encoding", "identity")

		resp, err := c.send(req)
		if err != nil {
			return resp, err
		}

		if resp.StatusCode < 300 {
			return resp, nil
		}

		loc := resp.Header.Get("Location")
		drain(resp.Response)
		if loc == "" || hop >= maxRedirects {
			return nil, &ErrorResponse{
				StatusCode: resp.StatusCode,
				Method:     http.MethodGet,
				URL:        redact.URLValue(u),
				Messages:   []string{"too many redirects or no location"},
			}
		}

		next, err := u.Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("procore: download: bad redirect to %s", redact.URL(loc))
		}
		u = next
	}
}

// DownloadOptions tunes [Client.DownloadFile].
type DownloadOptions struct {
	// Size is the expected size in bytes; zero or negative skips the check.
	Size int64
	// Progress, when not nil, is called with each chunk of bytes written
	// (negative when a restart from zero drops bytes already counted).
	Progress func(int64)
	// MaxResumes is how many times a dropped body is resumed (default 8).
	MaxResumes int
	// StallTimeout ends an attempt that received nothing for this long, so
	// that it is resumed on a new connection (default 60 s).
	StallTimeout time.Duration
	// Hash asks for the SHA-256 of the downloaded bytes in
	// [DownloadResult.SHA256]. Procore publishes no checksum to compare it
	// with, and hashing costs about a second of CPU per GiB, so it is off
	// unless the caller shows or records the digest.
	Hash bool
}

// DownloadResult describes a finished download.
type DownloadResult struct {
	Path string
	Size int64
	// SHA256 is the hex digest of the file, empty unless
	// [DownloadOptions.Hash] asked for it.
	SHA256 string
}

// DownloadFile downloads the file link rawURL to path. It writes into a
// temporary file in path's directory (hashing too when opts.Hash is set: the
// hash follows the bytes as they are written, so a resumed download is
// hashed in one piece), resumes after a dropped
// connection with a Range request (starting over if the server ignores the
// range), checks the size, syncs and renames into place. On any failure,
// including a cancelled ctx, the temporary file is removed and path is left
// untouched.
func (c *Client) DownloadFile(
	ctx context.Context, rawURL, path string, opts DownloadOptions,
) (res *DownloadResult, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backsight-*.part")
	if err != nil {
		return nil, fmt.Errorf("procore: download: %w", err)
	}

	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()

	n, sum, err := c.download(ctx, rawURL, fileSink{tmp}, opts)
	if err != nil {
		return nil, err
	}

	if err := finish(tmp, path); err != nil {
		return nil, err
	}

	return &DownloadResult{Path: path, Size: n, SHA256: sum}, nil
}

// HashDownload reads the file link rawURL through SHA-256 without keeping
// the bytes, the way [Client.DownloadFile] reads it: resumed with a Range
// request after a dropped or stalled connection, started over when the
// server ignores the range, and checked against opts.Size. opts.Hash is
// implied; the result has no Path.
func (c *Client) HashDownload(ctx context.Context, rawURL string, opts DownloadOptions) (*DownloadResult, error) {
	opts.Hash = true
	n, sum, err := c.download(ctx, rawURL, discardSink{}, opts)
	if err != nil {
		return nil, err
	}

	return &DownloadResult{Size: n, SHA256: sum}, nil
}

// download reads the body of rawURL into out, with the resumes and checks
// of opts, and returns the byte count and (with opts.Hash) the hex digest.
func (c *Client) download(ctx context.Context, rawURL string, out sink, opts DownloadOptions) (int64, string, error) {
	if opts.MaxResumes == 0 {
		opts.MaxResumes = 8
	}

	if opts.StallTimeout <= 0 {
		opts.StallTimeout = time.Minute
	}

	d := &downloader{
		c: c, url: rawURL, out: out, size: opts.Size, progress: opts.Progress, stall: opts.StallTimeout,
	}
	d.newPool(opts.Hash)
	if opts.Hash {
		d.startHasher()
		defer d.stopHasher()
	}

	if err := d.run(ctx, opts.MaxResumes); err != nil {
		return 0, "", err
	}

	sum := d.stopHasher()

	if opts.Size > 0 && d.n != opts.Size {
		return 0, "", fmt.Errorf("%w: got %d bytes, want %d", ErrSizeMismatch, d.n, opts.Size)
	}

	return d.n, sum, nil
}

// sink takes the body bytes of a download in order. reset drops all of them:
// the server ignored a Range request and sends the whole body again.
type sink interface {
	io.Writer
	reset() error
}

// fileSink writes a download into a file.
type fileSink struct{ f *os.File }

func (s fileSink) Write(p []byte) (int, error) { return s.f.Write(p) }

func (s fileSink) reset() error {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("procore: download: %w", err)
	}

	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("procore: download: %w", err)
	}

	return nil
}

// discardSink drops the bytes of a download that is only hashed.
type discardSink struct{}

func (discardSink) Write(p []byte) (int, error) { return len(p), nil }

func (discardSink) reset() error { return nil }

// finish syncs, closes and renames the temporary file into place.
func finish(tmp *os.File, path string) error {
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("procore: download: %w", err)
	}

	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("procore: download: sync: %w", err)
	}

	if err := tmp.Close(); err != nil {
		return fmt.Errorf("procore: download: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("procore: download: %w", err)
	}

	return nil
}

// downloadBuffers is how many read buffers circulate between the reading
// loop and the hashing goroutine.
const downloadBuffers = 4

// downloader holds the state of one download across resumes. The SHA-256,
// when asked for, runs in its own goroutine, overlapping the network and disk
// work; read buffers go back and forth through pool. Without it (hashIn nil)
// the reading loop reuses one buffer.
type downloader struct {
	c        *Client
	url      string
	out      sink
	n        int64
	size     int64 // expected; > 0 ends a longer body early
	progress func(int64)
	stall    time.Duration

	h      hash.Hash
	pool   chan []byte
	hashIn chan []byte
	hashed chan struct{}
}

// newPool makes the read buffers: several when a hasher shares them, else
// one.
func (d *downloader) newPool(hashing bool) {
	n := 1
	if hashing {
		n = downloadBuffers
	}

	d.pool = make(chan []byte, n)
	for range n {
		d.pool <- make([]byte, 256<<10)
	}
}

// startHasher starts a hashing goroutine with a fresh hash.
func (d *downloader) startHasher() {
	d.h = sha256.New()
	d.hashIn = make(chan []byte, downloadBuffers)
	d.hashed = make(chan struct{})
	go func(h hash.Hash, in <-chan []byte, done chan<- struct{}) {
		defer close(done)

		for b := range in {
			h.Write(b)
			d.pool <- b[:cap(b)]
		}
	}(d.h, d.hashIn, d.hashed)
}

// stopHasher waits for the hashing goroutine and returns the hex digest.
// Calling it again does nothing.
func (d *downloader) stopHasher() string {
	if d.hashIn == nil {
		return ""
	}

	close(d.hashIn)
	<-d.hashed
	d.hashIn = nil

	return hex.EncodeToString(d.h.Sum(nil))
}

// run copies the body into the file, resuming after a dropped connection.
func (d *downloader) run(ctx context.Context, maxResumes int) error {
	for resumes := 0; ; resumes++ {
		err := d.once(ctx)
		if err == nil {
			return nil
		}

		if ctx.Err() != nil {
			return ctx.Err()
		}

		// An HTTP answer, or a token source that failed (it retries on its
		// own and may be logged out), is not a dropped connection.
		// Nor is a failed write to the local file: its offset may have moved
		// past d.n, so resuming would leave shifted bytes behind. Nor is a
		// body longer than expected.
		var (
			er *ErrorResponse
			te *tokenError
			we *writeError
		)
		if errors.As(err, &er) || errors.As(err, &te) || errors.As(err, &we) ||
			errors.Is(err, ErrSizeMismatch) || resumes >= maxResumes {
			return err
		}

		d.c.log.Debug("procore download resumes",
			zap.Int64("offset", d.n), zap.Int("resume", resumes+1),
			zap.String("error", redact.String(err.Error())))
		if err := sleepCtx(ctx, d.c.retry.backoff(resumes+1)); err != nil {
			return err
		}
	}
}

// once opens the link at the current offset and copies until the end or a
// failure.
func (d *downloader) once(ctx context.Context) error {
	// A watchdog cancels the attempt when the body stalls; the outer ctx
	// stays alive, so run resumes.
	actx, cancel := context.WithCancel(ctx)
	defer cancel()

	watchdog := time.AfterFunc(d.stall, cancel)
	defer watchdog.Stop()

	resp, err := d.c.OpenDownload(actx, d.url, d.n)
	if err != nil && d.n > 0 && pastTheEnd(err, d.n) {
		return nil
	}

	if err != nil {
		return err
	}
	defer resp.Body.Close()

	if d.n > 0 && !rangeMatches(resp.Response, d.n) {
		if err := d.restart(); err != nil {
			return err
		}

		if resp.StatusCode != http.StatusOK {
			return errors.New("procore: download: unexpected content-range")
		}
	}

	for {
		buf := <-d.pool
		nr, rerr := fill(resp.Body, buf, func() { watchdog.Reset(d.stall) })
		if nr > 0 {
			if _, err := d.out.Write(buf[:nr]); err != nil {
				d.pool <- buf
				return &writeError{err}
			}

			if d.hashIn != nil {
				d.hashIn <- buf[:nr]
			} else {
				d.pool <- buf
			}
			d.n += int64(nr)
			if d.progress != nil {
				d.progress(int64(nr))
			}

			if d.size > 0 && d.n > d.size {
				return fmt.Errorf("%w: more than %d bytes", ErrSizeMismatch, d.size)
			}
		} else {
			d.pool <- buf
		}

		if rerr == io.EOF {
			return nil
		}

		if rerr != nil {
			return fmt.Errorf("procore: download: read body: %w", rerr)
		}
	}
}

// fill reads into buf until it is full or the body fails or ends, so that
// the file gets few large writes; tick is called after each read.
func fill(r io.Reader, buf []byte, tick func()) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		tick()
		n += m
		if err != nil {
			return n, err
		}
	}

	return n, nil
}

// restart drops what was written: the server ignored the Range header.
func (d *downloader) restart() error {
	if err := d.out.reset(); err != nil {
		return err
	}

	if d.progress != nil {
		d.progress(-d.n)
	}
	if d.hashIn != nil {
		d.stopHasher()
		d.startHasher()
	}
	d.n = 0

	return nil
}

// pastTheEnd reports a 416 whose Content-Range says the object has exactly n
// bytes: the resume asked for the range after the last byte, because the
// connection dropped after that byte but before the body's end.
func pastTheEnd(err error, n int64) bool {
	var er *ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != http.StatusRequestedRangeNotSatisfiable || er.Response == nil {
		return false
	}

	return er.Response.Header.Get("Content-Range") == "bytes */"+strconv.FormatInt(n, 10)
}

// rangeMatches reports a 206 whose Content-Range starts at offset.
func rangeMatches(r *http.Response, offset int64) bool {
	if r.StatusCode != http.StatusPartialContent {
		return false
	}

	cr := r.Header.Get("Content-Range") // bytes START-END/TOTAL
	spec, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return false
	}

	start, _, ok := strings.Cut(spec, "-")
	if !ok {
		return false
	}

	n, err := strconv.ParseInt(strings.TrimSpace(start), 10, 64)
	return err == nil && n == offset
}

// writeError is a failure to write the local file. It ends the download
// instead of resuming it.
type writeError struct{ err error }

func (e *writeError) Error() string { return "procore: download: write: " + e.err.Error() }

func (e *writeError) Unwrap() error { return e.err }
