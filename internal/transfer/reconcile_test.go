package transfer

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/backsight/backsight/internal/procore"
)

// TestReconcileWithNullSizes: the answer to a file create is lost, and the
// listing that follows shows the new file with null sizes (Procore documents
// no field as required). The upload is recognised from what is known, and
// no duplicate file or version is made.
func TestReconcileWithNullSizes(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		file string
	}{
		{"version size null, file size known",
			`{"id":9,"name":"a.dxf","size":5,"file_versions":[{"id":1,"number":1,"size":null}]}`},
		{"no versions listed, file size known",
			`{"id":9,"name":"a.dxf","size":5,"file_versions":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var creates, versions atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == http.MethodPost && r.URL.Path == "/rest/v1.0/files":
					creates.Add(1)
					conn, _, err := w.(http.Hijacker).Hijack() // made, answer lost
					if err == nil {
						_ = conn.Close()
					}
				case r.Method == http.MethodPost:
					versions.Add(1)
					w.WriteHeader(http.StatusCreated)
					_, _ = w.Write([]byte(`{"id":2,"number":2}`))
				default:
					_, _ = w.Write([]byte(`{"id":1,"name":"root","files":[` + tt.file + `]}`))
				}
			}))
			defer srv.Close()

			c, _ := procore.NewClient(srv.URL, procore.StaticToken("t"))
			tr := New(c, Options{})
			res, err := tr.associate(t.Context(), procore.ProjectScope(1), 0, "a.dxf", "uuid", 5, byName{})
			if err != nil {
				t.Fatal(err)
			}

			if res.Outcome != Created || res.FileID != 9 || res.Version != 1 {
				t.Errorf("result %+v", res)
			}

			if creates.Load() != 1 || versions.Load() != 0 {
				t.Errorf("%d creates and %d versions, want 1 and 0", creates.Load(), versions.Load())
			}
		})
	}
}

// TestMakeFolderWithoutID: a folder create answered without an id (empty
// body, or null) fails, instead of giving 0, the root folder, as the place
// for the files.
func TestMakeFolderWithoutID(t *testing.T) {
	t.Parallel()

	for _, body := range []string{``, `{}`, `{"id":null,"name":"x"}`, `null`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(body))
		}))

		c, _ := procore.NewClient(srv.URL, procore.StaticToken("t"))
		id, err := New(c, Options{}).makeFolder(t.Context(), procore.ProjectScope(1), 5, "x")
		srv.Close()

		if err == nil {
			t.Errorf("body %q: folder id %d, want an error", body, id)
		}
	}
}

// TestUploadWithoutUUID: upload instructions without a uuid (null) fail the
// upload; attaching "no upload" would make a file without content.
func TestUploadWithoutUUID(t *testing.T) {
	t.Parallel()

	var fileCreates atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/rest/v1.1/projects/1/uploads":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"uuid":null,"url":"` + srv.URL + `/storage","fields":{"key":"k"}}`))
		case r.URL.Path == "/storage":
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodPost:
			fileCreates.Add(1)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":9,"name":"a.txt"}`))
		default:
			_, _ = w.Write([]byte(`{"id":1,"files":[]}`))
		}
	}))
	defer srv.Close()

	path := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(path, []byte("content"), 0o600); err != nil {
		t.Fatal(err)
	}

	c, _ := procore.NewClient(srv.URL, procore.StaticToken("t"))
	if _, err := New(c, Options{}).UploadFile(t.Context(), procore.ProjectScope(1), 0, path, nil); err == nil {
		t.Error("want an error")
	}

	if fileCreates.Load() != 0 {
		t.Errorf("%d files made", fileCreates.Load())
	}
}

// TestDownloadFallsBackToProstoreURL: a version whose url is null is
// fetched through prostore_file.url.
func TestDownloadFallsBackToProstoreURL(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/prostore/1" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte("content"))
	}))
	defer srv.Close()

	c, _ := procore.NewClient(srv.URL, procore.StaticToken("t"))
	v := procore.FileVersion{Size: 7, ProstoreFile: &procore.ProstoreRef{URL: srv.URL + "/prostore/1"}}
	res, err := New(c, Options{}).Download(t.Context(),
		DownloadRequest{Version: v, Path: []string{"a.txt"}, DestDir: t.TempDir()}, nil)
	if err != nil || res.Size != 7 {
		t.Fatalf("download: %v", err)
	}

	if _, err := New(c, Options{}).Download(t.Context(), DownloadRequest{
		Version: procore.FileVersion{}, Path: []string{"b.txt"}, DestDir: t.TempDir(),
	}, nil); !errors.Is(err, ErrNoURL) {
		t.Errorf("no link at all: %v", err)
	}
}
