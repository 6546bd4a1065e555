package procore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// flakyFileServer serves data, breaking the first answer after half of it.
// With honourRange false it ignores Range headers (answers 200 in full).
func flakyFileServer(t *testing.T, data []byte, honourRange bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()

	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		start := 0
		if rg := r.Header.Get("Range"); rg != "" && honourRange {
			start, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(rg, "bytes="), "-"))
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(data)-1, len(data)))
			w.Header().Set("Content-Length", strconv.Itoa(len(data)-start))
			w.WriteHeader(http.StatusPartialContent)
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		}

		if n == 1 {
			_, _ = w.Write(data[:len(data)/2])
			w.(http.Flusher).Flush()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}

			return
		}
		_, _ = w.Write(data[start:])
	}))
	t.Cleanup(srv.Close)

	return srv, &calls
}

// TestDownloadFileResumeAndRestart: the first answer breaks halfway; the
// download resumes with a Range request (or starts over when the server
// ignores it). With Hash the digest covers the whole file, the bytes written
// before the drop included; without it SHA256 stays empty.
func TestDownloadFileResumeAndRestart(t *testing.T) {
	t.Parallel()

	data := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // 3.2 MB
	sum := sha256.Sum256(data)
	for _, honour := range []bool{true, false} {
		for _, hash := range []bool{true, false} {
			t.Run(fmt.Sprintf("range=%v,hash=%v", honour, hash), func(t *testing.T) {
				t.Parallel()

				srv, calls := flakyFileServer(t, data, honour)
				c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))

				var progress atomic.Int64
				dest := filepath.Join(t.TempDir(), "f.bin")
				res, err := c.DownloadFile(t.Context(), srv.URL+"/file", dest, DownloadOptions{
					Size: int64(len(data)), Progress: func(n int64) { progress.Add(n) }, Hash: hash,
				})
				if err != nil {
					t.Fatal(err)
				}

				want := ""
				if hash {
					want = hex.EncodeToString(sum[:])
				}

				got, _ := os.ReadFile(dest)
				if !bytes.Equal(got, data) || res.SHA256 != want || calls.Load() != 2 {
					t.Fatalf("content ok %v, hash %q (want %q), %d calls", bytes.Equal(got, data),
						res.SHA256, want, calls.Load())
				}

				if progress.Load() != int64(len(data)) {
					t.Fatalf("progress %d, want %d", progress.Load(), len(data))
				}

				entries, _ := os.ReadDir(filepath.Dir(dest))
				if len(entries) != 1 {
					t.Fatalf("left in the folder: %v", entries)
				}
			})
		}
	}
}

// TestHashDownloadResumes: HashDownload reads through the same resumes as
// DownloadFile, so the digest covers the whole body; a body longer than the
// expected size ends at once and is not resumed.
func TestHashDownloadResumes(t *testing.T) {
	t.Parallel()

	data := bytes.Repeat([]byte("fedcba9876543210"), 100_000) // 1.6 MB
	sum := sha256.Sum256(data)
	for _, honour := range []bool{true, false} {
		t.Run(fmt.Sprintf("range=%v", honour), func(t *testing.T) {
			t.Parallel()

			srv, calls := flakyFileServer(t, data, honour)
			c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))

			var progress atomic.Int64
			res, err := c.HashDownload(t.Context(), srv.URL+"/file", DownloadOptions{
				Size: int64(len(data)), Progress: func(n int64) { progress.Add(n) },
			})
			if err != nil {
				t.Fatal(err)
			}

			if res.SHA256 != hex.EncodeToString(sum[:]) || res.Size != int64(len(data)) ||
				res.Path != "" || calls.Load() != 2 || progress.Load() != int64(len(data)) {
				t.Fatalf("%+v after %d calls, progress %d", res, calls.Load(), progress.Load())
			}

			calls.Store(1) // the next answer is whole
			_, err = c.HashDownload(t.Context(), srv.URL+"/file", DownloadOptions{Size: 1000})
			if !errors.Is(err, ErrSizeMismatch) || calls.Load() != 2 {
				t.Fatalf("longer body: %v after %d calls, want a size mismatch after 1", err, calls.Load()-1)
			}
		})
	}
}

func TestDownloadFileSizeMismatchLeavesNothing(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("short"))
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"))
	dir := t.TempDir()
	_, err := c.DownloadFile(t.Context(), srv.URL+"/f", filepath.Join(dir, "f"), DownloadOptions{Size: 99})
	if err == nil || !strings.Contains(err.Error(), "size") {
		t.Fatalf("err = %v, want a size mismatch", err)
	}

	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestDownloadRedirectDropsToken(t *testing.T) {
	t.Parallel()

	var storageAuth atomic.Value
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		storageAuth.Store(r.Header.Get("Authorization"))
		_, _ = w.Write([]byte("content"))
	}))
	defer storage.Close()

	var apiAuth atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiAuth.Store(r.Header.Get("Authorization"))
		http.Redirect(w, r, storage.URL+"/blob?X-Amz-Signature=s3cr3t", http.StatusFound)
	}))
	defer api.Close()

	c, _ := NewClient(api.URL, StaticToken("bearer-secret"))
	if _, err := c.DownloadFile(t.Context(), api.URL+"/fas/1", filepath.Join(t.TempDir(), "f"), DownloadOptions{}); err != nil {
		t.Fatal(err)
	}

	if apiAuth.Load() != "Bearer bearer-secret" || storageAuth.Load() != "" {
		t.Fatalf("api saw %q, storage saw %q", apiAuth.Load(), storageAuth.Load())
	}
}

func TestDownloadStopsAfterFiveRedirects(t *testing.T) {
	t.Parallel()

	var hops atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"))
	_, err := c.DownloadFile(t.Context(), srv.URL+"/start", filepath.Join(t.TempDir(), "f"), DownloadOptions{})
	if err == nil || hops.Load() != 6 {
		t.Fatalf("err %v after %d requests, want an error after 6", err, hops.Load())
	}
}

// TestDownloadDropAfterTheLastByte: a body without a length (chunked) drops
// after its last byte but before its end; the resume asks for the range
// after the end and gets 416 with "bytes */size". The file is complete.
func TestDownloadDropAfterTheLastByte(t *testing.T) {
	t.Parallel()

	data := bytes.Repeat([]byte("0123456789"), 5000)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) > 1 {
			http.ServeContent(w, r, "f", time.Time{}, bytes.NewReader(data))
			return
		}

		_, _ = w.Write(data) // no Content-Length: chunked
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack() // no final chunk
		if err == nil {
			_ = conn.Close()
		}
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
	for _, size := range []int64{int64(len(data)), -1} {
		path := filepath.Join(t.TempDir(), "f")
		calls.Store(0)
		res, err := c.DownloadFile(t.Context(), srv.URL+"/f", path, DownloadOptions{Size: size})
		if err != nil || res.Size != int64(len(data)) || calls.Load() != 2 {
			t.Fatalf("size %d: %v after %d requests", size, err, calls.Load())
		}
	}
}

// TestDownloadWriteErrorIsNotResumed: a failed write to the local file ends
// the download at once. The file's offset may have moved on, so a resume
// from the counted bytes could leave shifted data behind.
func TestDownloadWriteErrorIsNotResumed(t *testing.T) {
	t.Parallel()

	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = w.Write(bytes.Repeat([]byte("x"), 1000))
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))

	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	readOnly, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()

	d := &downloader{c: c, url: srv.URL + "/fas/1", out: fileSink{readOnly}, stall: time.Minute}
	d.newPool(false)

	err = d.run(t.Context(), 8)
	var we *writeError
	if !errors.As(err, &we) || calls.Load() != 1 {
		t.Fatalf("err %v after %d requests, want a write error after 1", err, calls.Load())
	}
}
