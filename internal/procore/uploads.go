package procore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// ErrSourceChanged means the local file ended before the byte count the
// upload declared: it changed while being uploaded.
var ErrSourceChanged = fmt.Errorf("procore: source file changed size: %w", io.ErrUnexpectedEOF)

// UploadsService creates direct uploads (v1.1) and sends the bytes to
// Procore's storage.
//
// Creating an upload is marked idempotent: an upload that is never
// associated with a file is deleted by Procore after a week, so a repeated
// create costs nothing. Completing one is idempotent too (the same ETags set
// the same state).
type UploadsService struct{ client *Client }

// UploadRequest asks for upload instructions. Without Segments the answer
// is a single storage form POST; with Segments it is one presigned PUT per
// segment.
type UploadRequest struct {
	ResponseFilename    string          `json:"response_filename"`
	ResponseContentType string          `json:"response_content_type,omitempty"`
	Size                int64           `json:"size,omitempty"`
	Segments            []UploadSegment `json:"segments,omitempty"`
}

// Create asks for upload instructions (POST /rest/v1.1/.../uploads).
func (s *UploadsService) Create(ctx context.Context, scope Scope, r UploadRequest) (*Upload, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodPost, scope.nestedPath("v1.1", "uploads"), r)
	if err != nil {
		return nil, nil, err
	}

	return doUpload(s.client, Idempotent(req))
}

// Get shows an upload; for a segmented upload that is not complete it
// carries fresh segment URLs, which replace expired instructions.
func (s *UploadsService) Get(ctx context.Context, scope Scope, uuid string) (*Upload, *Response, error) {
	path := scope.nestedPath("v1.1", "uploads/"+pathEscape(uuid))
	req, err := s.client.NewRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, nil, err
	}

	return doUpload(s.client, req)
}

// Complete finishes a segmented upload with the storage ETags in segment
// order (PATCH .../uploads/{uuid}).
func (s *UploadsService) Complete(
	ctx context.Context, scope Scope, uuid string, etags []string,
) (*Upload, *Response, error) {
	type seg struct {
		ETag string `json:"etag"`
	}
	body := struct {
		Segments []seg `json:"segments"`
	}{Segments: make([]seg, len(etags))}
	for i, e := range etags {
		body.Segments[i].ETag = e
	}

	path := scope.nestedPath("v1.1", "uploads/"+pathEscape(uuid))
	req, err := s.client.NewRequest(ctx, http.MethodPatch, path, body)
	if err != nil {
		return nil, nil, err
	}

	return doUpload(s.client, Idempotent(req))
}

func doUpload(c *Client, req *http.Request) (*Upload, *Response, error) {
	var u Upload
	resp, err := c.Do(req, &u)
	if err != nil {
		return nil, resp, err
	}

	return &u, resp, nil
}

// PostToStorage sends size bytes of src as the file of a single
// (non-segmented) upload: a multipart form POST to up.URL carrying every
// field of up.Fields and a last part named "file". No Authorization header
// is sent. progress, when not nil, is called with the bytes sent (negative
// after a retry rewinds). The body is rebuilt from src for each retry.
func (s *UploadsService) PostToStorage(
	ctx context.Context, up *Upload, filename string, src io.ReaderAt, size int64, progress func(int64),
) error {
	prefix, suffix, contentType, err := storageForm(up.Fields, filename)
	if err != nil {
		return err
	}

	body := &rewindBody{progress: progress, open: func() io.Reader {
		return io.MultiReader(bytes.NewReader(prefix), newExactReader(src, 0, size), bytes.NewReader(suffix))
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, up.URL, nil)
	if err != nil {
		return fmt.Errorf("procore: storage post: %w", unwrapURLError(err))
	}
	body.attach(req, int64(len(prefix))+size+int64(len(suffix)))
	req.Header.Set("Content-Type", contentType)

	// The same form overwrites the same object: safe to repeat.
	_, err = s.client.storageDo(Idempotent(req), body)
	return err
}

// storageForm renders the multipart prefix (fields and the file part's
// header) and suffix (closing boundary) around the file bytes.
func storageForm(fields map[string]string, filename string) (prefix, suffix []byte, contentType string, err error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)

	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	// S3 wants "key" early and the file last; the rest in a stable order.
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "key") != (keys[j] == "key") {
			return keys[i] == "key"
		}

		return keys[i] < keys[j]
	})

	for _, k := range keys {
		if err := w.WriteField(k, fields[k]); err != nil {
			return nil, nil, "", fmt.Errorf("procore: storage form: %w", err)
		}
	}

	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, sanitizeHeaderValue(filename)))
	h.Set("Content-Type", "application/octet-stream")
	if _, err := w.CreatePart(h); err != nil {
		return nil, nil, "", fmt.Errorf("procore: storage form: %w", err)
	}

	prefix = bytes.Clone(buf.Bytes())
	if err := w.Close(); err != nil {
		return nil, nil, "", fmt.Errorf("procore: storage form: %w", err)
	}

	suffix = bytes.Clone(buf.Bytes()[len(prefix):])
	return prefix, suffix, w.FormDataContentType(), nil
}

// PutSegment sends seg.Size bytes of src from offset off to the segment's
// presigned URL with exactly the headers Procore gave, and returns the ETag.
// No Authorization header is sent. Expired instructions give an error that
// matches [ErrForbidden]; fetch fresh ones with [UploadsService.Get].
func (s *UploadsService) PutSegment(
	ctx context.Context, seg UploadSegment, src io.ReaderAt, off int64, progress func(int64),
) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, seg.URL, nil)
	if err != nil {
		return "", fmt.Errorf("procore: storage put: %w", unwrapURLError(err))
	}

	for k, v := range seg.Headers {
		if strings.EqualFold(k, "Content-Length") {
			continue
		}

		req.Header.Set(k, v)
	}

	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/octet-stream")
	}

	body := &rewindBody{progress: progress, open: func() io.Reader {
		return newExactReader(src, off, seg.Size)
	}}
	body.attach(req, seg.Size)

	resp, err := s.client.storageDo(req, body)
	if err != nil {
		return "", err
	}

	etag := resp.Header.Get("ETag")
	if etag == "" {
		return "", errors.New("procore: storage put: no etag in answer")
	}

	return etag, nil
}

// storageDo sends a request to the storage host and marks its errors as
// storage errors. A source that changed size is never retried.
func (c *Client) storageDo(req *http.Request, body *rewindBody) (*Response, error) {
	// Storage takes its credentials from the signed URL or form; a bearer
	// token would be refused there, and must not leak, even when the
	// storage host is also a file-link host that may receive it.
	req = req.WithContext(context.WithValue(req.Context(), storageKey{}, true))

	resp, err := c.Do(req, nil)
	if err != nil {
		// Bytes of a refused body were not transferred.
		body.abandon()
	}

	if body.failed.Load() {
		return resp, ErrSourceChanged
	}

	var er *ErrorResponse
	if errors.As(err, &er) {
		er.Storage = true
	}

	return resp, err
}

type storageKey struct{}

// isStorage reports whether req was marked as a storage upload.
func isStorage(req *http.Request) bool {
	marked, _ := req.Context().Value(storageKey{}).(bool)
	return marked
}

// rewindBody produces a fresh request body for each attempt and keeps the
// progress callback honest: bytes of an abandoned attempt are taken back,
// and bytes the transport still reads from it afterwards are not counted.
type rewindBody struct {
	open     func() io.Reader
	progress func(int64)
	current  atomic.Pointer[attempt]
	failed   atomic.Bool
}

// attempt counts the bytes read from one attempt's body.
type attempt struct {
	mu   sync.Mutex
	n    int64
	dead bool
}

func (b *rewindBody) attach(req *http.Request, length int64) {
	req.ContentLength = length
	req.GetBody = func() (io.ReadCloser, error) {
		if b.failed.Load() {
			return nil, ErrSourceChanged
		}

		b.abandon()
		a := &attempt{}
		b.current.Store(a)

		return io.NopCloser(&countingReader{r: b.open(), body: b, a: a}), nil
	}
	req.Body, _ = req.GetBody()
}

// abandon takes back the bytes of the current attempt.
func (b *rewindBody) abandon() {
	a := b.current.Load()
	if a == nil {
		return
	}

	a.mu.Lock()
	defer a.mu.Unlock()

	if !a.dead && a.n != 0 && b.progress != nil {
		b.progress(-a.n)
	}
	a.dead, a.n = true, 0
}

type countingReader struct {
	r    io.Reader
	body *rewindBody
	a    *attempt
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.a.mu.Lock()
		if !c.a.dead {
			c.a.n += int64(n)
			if c.body.progress != nil {
				c.body.progress(int64(n))
			}
		}
		c.a.mu.Unlock()
	}

	if errors.Is(err, ErrSourceChanged) {
		c.body.failed.Store(true)
	}

	return n, err
}

// exactReader reads exactly n bytes of src from off and reports
// ErrSourceChanged when the source ends early.
type exactReader struct {
	sr   *io.SectionReader
	left int64
}

func newExactReader(src io.ReaderAt, off, n int64) *exactReader {
	return &exactReader{sr: io.NewSectionReader(src, off, n), left: n}
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}

	n, err := e.sr.Read(p)
	e.left -= int64(n)
	if errors.Is(err, io.EOF) && e.left > 0 {
		return n, ErrSourceChanged
	}

	if e.left == 0 && err == nil {
		err = io.EOF
	}

	return n, err
}

// sanitizeHeaderValue drops characters that would break a header line.
func sanitizeHeaderValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}

		return r
	}, s)
}

// pathEscape escapes one path segment.
func pathEscape(s string) string {
	return url.PathEscape(s)
}
