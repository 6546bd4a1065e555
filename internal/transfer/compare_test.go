package transfer

import (
	"os"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/sandbox"
)

// storageGets counts the GETs the storage listener answered (downloads).
func storageGets(e *env) int64 {
	var n int64
	for ep, byStatus := range e.srv.Stats().Endpoints {
		if strings.HasPrefix(ep, "storage GET") {
			for _, c := range byStatus {
				n += c
			}
		}
	}

	return n
}

func TestUploadComparesWithLatestVersion(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		opts Options
		// second writes the file again before the second upload.
		second      func(t *testing.T, dir string)
		want        Outcome
		wantVersion int
		// compared: the second upload downloaded the latest version.
		compared bool
	}{
		{
			name:   "same bytes",
			second: func(*testing.T, string) {},
			want:   Unchanged, wantVersion: 1, compared: true,
		},
		{
			name:   "same size, other bytes",
			second: func(t *testing.T, dir string) { randomFile(t, dir, "Control.csv", 3000, 2) },
			want:   NewVersion, wantVersion: 2, compared: true,
		},
		{
			name:   "other size",
			second: func(t *testing.T, dir string) { randomFile(t, dir, "Control.csv", 3001, 1) },
			want:   NewVersion, wantVersion: 2,
		},
		{
			name:   "over the compare limit",
			opts:   Options{CompareMax: 2999},
			second: func(*testing.T, string) {},
			want:   NewVersion, wantVersion: 2,
		},
		{
			name:   "comparison turned off",
			opts:   Options{AlwaysNewVersion: true},
			second: func(*testing.T, string) {},
			want:   NewVersion, wantVersion: 2,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			e := newEnv(t, sandbox.Options{}, tt.opts)
			folder := e.folder("compare")
			dir := t.TempDir()

			path, _ := randomFile(t, dir, "Control.csv", 3000, 1)
			p1 := &Progress{}
			first, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p1)
			if err != nil {
				t.Fatal(err)
			}

			tt.second(t, dir)
			sum := fileSHA(t, path)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}

			before := storageGets(e)
			p := &Progress{}
			p.AddTotal(st.Size(), 1)
			res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p)
			if err != nil {
				t.Fatal(err)
			}

			if res.Outcome != tt.want || res.Version != tt.wantVersion || res.FileID != first.FileID ||
				res.SHA256 != sum || res.Size != st.Size() {
				t.Fatalf("second upload: %+v, want %v version %d", res, tt.want, tt.wantVersion)
			}

			if got := storageGets(e) - before; (got > 0) != tt.compared {
				t.Errorf("%d storage downloads, compared = %v", got, tt.compared)
			}

			// An upload counts the storage form's bytes too (as the first
			// one did), and none of a comparison that found other bytes; an
			// unchanged file counts exactly the compared bytes.
			want := p1.Snapshot().BytesDone + st.Size() - 3000
			if res.Outcome == Unchanged {
				want = st.Size()
			}

			snap := p.Snapshot()
			if snap.FilesDone != 1 || snap.BytesDone != want {
				t.Errorf("progress %+v, want %d bytes and 1 file", snap, want)
			}

			file, n := e.remoteFile(folder, "Control.csv")
			if n != 1 {
				t.Fatalf("%d files named Control.csv", n)
			}

			full, _, err := e.client.Files.Get(t.Context(), e.scope, file.ID, false)
			if err != nil {
				t.Fatal(err)
			}

			if got := len(full.FileVersions); got != tt.wantVersion {
				t.Errorf("procore holds %d versions, want %d", got, tt.wantVersion)
			}
		})
	}
}

// blobGets is the endpoint of storage downloads in the sandbox's stats.
const blobGets = "storage GET /s3/pro-core.com/blobs/{blob}"

// TestUploadComparisonResumes: the comparison download drops mid-body; it
// resumes with a Range request (206) like a download, finds the same bytes
// and nothing is uploaded.
func TestUploadComparisonResumes(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	folder := e.folder("compare-resumes")
	path, sum := randomFile(t, t.TempDir(), "Surface.xml", 700_000, 3)
	first, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, &Progress{})
	if err != nil {
		t.Fatal(err)
	}

	e.srv.ResetStats()
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Nth: 1, Drop: true, DropAfter: 300_001})
	p := &Progress{}
	res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p)
	if err != nil {
		t.Fatal(err)
	}

	if res.Outcome != Unchanged || res.Version != 1 || res.FileID != first.FileID || res.SHA256 != sum {
		t.Fatalf("upload after a dropped comparison: %+v, want unchanged version 1", res)
	}

	st := e.srv.Stats()
	dropped, ranged, whole := st.CountStatus(blobGets, 0), st.CountStatus(blobGets, 206),
		st.CountStatus(blobGets, 200)
	if dropped != 1 || ranged != 1 || whole != 0 {
		t.Errorf("storage GETs: %d dropped, %d ranged (206), %d whole (200); want 1, 1, 0",
			dropped, ranged, whole)
	}

	if n := st.Count("storage POST /s3/pro-core.com"); n != 0 {
		t.Errorf("%d storage uploads, want none", n)
	}

	if got := p.Snapshot().BytesDone; got != 700_000 {
		t.Errorf("progress counted %d bytes, want 700000 (each compared byte once)", got)
	}
}

func TestUploadComparisonFailureUploads(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	folder := e.folder("compare-fails")
	dir := t.TempDir()

	path, _ := randomFile(t, dir, "Control.csv", 3000, 1)
	p1 := &Progress{}
	if _, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p1); err != nil {
		t.Fatal(err)
	}

	// The comparison download drops after 1000 bytes and its resume keeps
	// failing with 500: the file is uploaded as before (at worst a version
	// too many), and the bytes read before the drop are not left in the
	// progress.
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Nth: 1, Drop: true, DropAfter: 1000})
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Status: 500})
	p := &Progress{}
	res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p)
	if err != nil {
		t.Fatal(err)
	}

	if res.Outcome != NewVersion || res.Version != 2 {
		t.Fatalf("upload after a failed comparison: %+v", res)
	}

	if got, want := p.Snapshot().BytesDone, p1.Snapshot().BytesDone; got != want {
		t.Errorf("progress counted %d bytes, want %d (those of the upload)", got, want)
	}
}
