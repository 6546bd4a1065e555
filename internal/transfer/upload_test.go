package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

func TestUploadCreatesThenAddsVersion(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	folder := e.folder("upload-version")
	dir := t.TempDir()

	path, sum1 := randomFile(t, dir, "Control.csv", 3000, 1)
	res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, nil)
	if err != nil {
		t.Fatal(err)
	}

	if res.Outcome != Created || res.Version != 1 || res.SHA256 != sum1 {
		t.Fatalf("first upload: %+v", res)
	}

	_, sum2 := randomFile(t, dir, "Control.csv", 4000, 2)
	res2, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, nil)
	if err != nil {
		t.Fatal(err)
	}

	if res2.Outcome != NewVersion || res2.Version != 2 || res2.FileID != res.FileID {
		t.Fatalf("second upload: %+v", res2)
	}

	file, n := e.remoteFile(folder, "Control.csv")
	if n != 1 {
		t.Fatalf("%d files named Control.csv", n)
	}

	out := t.TempDir()
	dl, err := e.downloadLatest(t.Context(), file, out)
	if err != nil {
		t.Fatal(err)
	}

	if fileSHA(t, dl.LocalPath) != sum2 {
		t.Fatal("downloaded bytes differ from the second upload")
	}
}

func TestUploadSegmentedWithExpiredInstructions(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{SinglePartMax: MinSegmentSize, SegmentSize: MinSegmentSize})
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultSegmentPut, Nth: 2, ExpireUpload: true})
	folder := e.folder("segmented")

	path, sum := randomFile(t, t.TempDir(), "surface.xml", 3*MinSegmentSize+1234, 3)
	p := &Progress{}
	res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p)
	if err != nil {
		t.Fatal(err)
	}

	if res.Outcome != Created || res.SHA256 != sum {
		t.Fatalf("upload: %+v", res)
	}

	if got := p.Snapshot().BytesDone; got != res.Size {
		t.Errorf("progress counted %d bytes, want %d", got, res.Size)
	}

	if n := e.srv.Stats().Count("GET /rest/v1.1/projects/{project_id}/uploads/{uuid}"); n == 0 {
		t.Error("expired instructions were not fetched again")
	}

	file, _ := e.remoteFile(folder, "surface.xml")
	dl, err := e.downloadLatest(t.Context(), file, t.TempDir())
	if err != nil || fileSHA(t, dl.LocalPath) != sum {
		t.Fatalf("download: %v, %+v", err, dl)
	}
}

func TestUploadRefusesEmptyFile(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	path := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	_, err := e.tr.UploadFile(t.Context(), e.scope, e.folder("empty"), path, nil)
	if !errors.Is(err, ErrEmptyFile) {
		t.Fatalf("err = %v, want ErrEmptyFile", err)
	}
}

func TestUploadFolder(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	parent := e.folder("folder-upload")

	local := filepath.Join(t.TempDir(), "Site A")
	if err := os.MkdirAll(filepath.Join(local, "Control", "Deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, s1 := randomFile(t, local, "a.csv", 100, 1)
	_, s2 := randomFile(t, filepath.Join(local, "Control"), "b.gsi", 2000, 2)
	_, s3 := randomFile(t, filepath.Join(local, "Control", "Deep"), "c.xml", 30000, 3)
	_ = os.WriteFile(filepath.Join(local, "zero.txt"), nil, 0o644)

	res, err := e.tr.UploadFolder(t.Context(), e.scope, parent, local, nil)
	if err != nil {
		t.Fatal(err)
	}

	if res.Folders != 3 || len(res.Files) != 3 || len(res.Skipped) != 1 {
		t.Fatalf("result: %+v", res)
	}

	tree, err := e.tr.ListTree(t.Context(), e.scope, parent)
	if err != nil {
		t.Fatal(err)
	}

	want := map[string]string{"Site A/a.csv": s1, "Site A/Control/b.gsi": s2, "Site A/Control/Deep/c.xml": s3}
	var reqs []DownloadRequest
	out := t.TempDir()
	tree.Root.Walk(func(n *Node) {
		if !n.IsFolder {
			reqs = append(reqs, DownloadRequest{Version: *n.Version, Path: n.Path, DestDir: out, Hash: true})
		}
	})

	p := &Progress{}
	got, err := e.tr.DownloadAll(t.Context(), reqs, p)
	if err != nil {
		t.Fatal(err)
	}

	for i, dl := range got {
		key := filepath.ToSlash(filepath.Join(reqs[i].Path...))
		if want[key] != dl.SHA256 || fileSHA(t, filepath.Join(out, filepath.FromSlash(key))) != want[key] {
			t.Errorf("%s: sha %s, want %s", key, dl.SHA256, want[key])
		}
		delete(want, key)
	}

	if s := p.Snapshot(); s.BytesDone != s.BytesTotal || s.FilesDone != 3 || s.FilesTotal != 3 {
		t.Errorf("progress %+v", s)
	}

	if len(want) != 0 {
		t.Errorf("missing after upload: %v", want)
	}

	_, err = e.tr.UploadFolder(t.Context(), e.scope, parent, local, nil)
	var fe *FolderExistsError
	if !errors.Is(err, ErrFolderExists) || !errors.As(err, &fe) || fe.Name != "Site A" {
		t.Fatalf("second upload: %v, want ErrFolderExists", err)
	}
}

func TestUploadSourceShrinks(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	path, _ := randomFile(t, t.TempDir(), "grow.bin", 10000, 9)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	// Send 10,000 declared bytes from a source that only has 5,000.
	up, _, err := e.client.Uploads.Create(t.Context(), e.scope, procore.UploadRequest{ResponseFilename: "x"})
	if err != nil {
		t.Fatal(err)
	}

	if err := os.Truncate(path, 5000); err != nil {
		t.Fatal(err)
	}

	err = e.client.Uploads.PostToStorage(t.Context(), up, "x", f, 10000, nil)
	if !errors.Is(err, procore.ErrSourceChanged) {
		t.Fatalf("err = %v, want ErrSourceChanged", err)
	}
}

func TestUploadNameTakenInAnotherCase(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	folder := e.folder("case")
	e.addRemote("case", "plan.DXF", 100, 1)

	path, _ := randomFile(t, t.TempDir(), "plan.dxf", 200, 2)
	res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, nil)
	if err == nil {
		// Procore may compare names with case: then this is a new file.
		if res.Outcome != Created {
			t.Fatalf("result %+v", res)
		}

		return
	}

	if !errors.Is(err, procore.ErrNameTaken) {
		t.Fatalf("err = %v, want ErrNameTaken", err)
	}

	if _, n := e.remoteFile(folder, "plan.dxf"); n != 1 {
		t.Fatalf("%d files named plan.dxf in any case", n)
	}
}

// TestUploadStorage400 answers the first storage upload request with 400:
// S3's RequestTimeout (an idle socket; nothing stored) is sent again like a
// 5xx and the upload succeeds, with the progress counting each byte once;
// any other 400 ends the upload (a second try would have gone through).
func TestUploadStorage400(t *testing.T) {
	t.Parallel()

	const (
		putParts = "storage PUT /s3/pro-core.com/uploads/{uuid}/parts/{n}"
		formPost = "storage POST /s3/pro-core.com"
	)
	tests := []struct {
		name     string
		endpoint string // fault endpoint
		stats    string // stats endpoint
		size     int64
		code     string // S3 error code; "" answers the sandbox's JSON error
		wantOK   bool
	}{
		{"segment timeout", sandbox.FaultSegmentPut, putParts, MinSegmentSize + 4321, "RequestTimeout", true},
		{"form timeout", sandbox.FaultFormPost, formPost, 70_000, "RequestTimeout", true},
		{"segment bad digest", sandbox.FaultSegmentPut, putParts, MinSegmentSize + 4321, "BadDigest", false},
		{"form plain 400", sandbox.FaultFormPost, formPost, 70_000, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			e := newEnv(t, sandbox.Options{}, Options{SinglePartMax: MinSegmentSize, SegmentSize: MinSegmentSize})
			e.srv.AddFault(sandbox.FaultRule{Endpoint: tt.endpoint, Nth: 1, Status: 400, S3Code: tt.code})
			folder := e.folder("storage-400")
			path, sum := randomFile(t, t.TempDir(), "scan.las", tt.size, 4)

			p := &Progress{}
			res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p)
			stats := e.srv.Stats()
			refused := stats.CountStatus(tt.stats, 400)
			if !tt.wantOK {
				// Only the first request fails: a retry would have succeeded.
				// No request is sent twice: at most one per segment (the
				// other segment of a two-segment file may be cut off when
				// the upload stops, which the sandbox answers with a 400 of
				// its own, so the 400s are not counted here).
				segments := (tt.size + MinSegmentSize - 1) / MinSegmentSize
				if tt.endpoint == sandbox.FaultFormPost {
					segments = 1
				}
				if sent := stats.Count(tt.stats); err == nil || refused == 0 || sent > segments {
					t.Fatalf("err %v after %d requests (%d refused), want an error and "+
						"at most %d requests", err, sent, refused, segments)
				}

				return
			}

			if err != nil {
				t.Fatal(err)
			}

			if res.Outcome != Created || res.SHA256 != sum || refused != 1 {
				t.Fatalf("upload: %+v after %d refusals", res, refused)
			}

			if got := p.Snapshot().BytesDone; got < tt.size || got > tt.size+2000 {
				t.Errorf("progress counted %d bytes for a %d-byte file", got, tt.size)
			}

			file, _ := e.remoteFile(folder, "scan.las")
			dl, err := e.downloadLatest(t.Context(), file, t.TempDir())
			if err != nil || fileSHA(t, dl.LocalPath) != sum {
				t.Fatalf("download: %v, %+v", err, dl)
			}
		})
	}
}

// TestUploadReportsPreparing: while a segmented upload hashes the file
// before sending it, the progress says it is preparing; once the upload is
// done nothing is. The hook looks at the progress each time a hashing pass
// starts, so no polling has to catch the pass.
func TestUploadReportsPreparing(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{SinglePartMax: MinSegmentSize, SegmentSize: MinSegmentSize})
	folder := e.folder("preparing")
	path, _ := randomFile(t, t.TempDir(), "scan.las", 4*MinSegmentSize+99, 6)

	p := &Progress{}
	var (
		mu   sync.Mutex
		seen []Snapshot
	)
	p.preparingHook = func() {
		mu.Lock()
		defer mu.Unlock()

		seen = append(seen, p.Snapshot())
	}

	if _, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()

	if len(seen) == 0 {
		t.Fatal("the hashing pass was never reported as preparing")
	}

	for i, s := range seen {
		if s.Preparing != 1 || s.BytesDone != 0 {
			t.Errorf("hashing pass %d: preparing %d, %d bytes sent; want 1 and 0", i+1, s.Preparing, s.BytesDone)
		}
	}

	if n := p.Snapshot().Preparing; n != 0 {
		t.Errorf("preparing %d after the upload, want 0", n)
	}
}
