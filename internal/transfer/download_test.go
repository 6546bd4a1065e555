package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// addRemote stores random bytes as a project file through the sandbox's
// helper and returns the file and its SHA-256.
func (e *env) addRemote(folderPath, name string, size int64, seed uint64) (procore.File, string) {
	e.t.Helper()

	path, sum := randomFile(e.t, e.t.TempDir(), "src", size, seed)
	data, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}

	id, err := e.srv.AddFile(sandbox.DemoProjectID, folderPath, name, bytes.NewReader(data), 0)
	if err != nil {
		e.t.Fatal(err)
	}

	f, _, err := e.client.Files.Get(e.t.Context(), e.scope, id, false)
	if err != nil {
		e.t.Fatal(err)
	}

	return *f, sum
}

// TestDownloadResumesAfterDrop: the first answer drops after 1 MiB and the
// download resumes with a Range request. With Hash the reported digest
// covers the whole file, the bytes written before the drop included;
// without it the digest is empty.
func TestDownloadResumesAfterDrop(t *testing.T) {
	t.Parallel()

	for _, hash := range []bool{false, true} {
		t.Run(fmt.Sprintf("hash=%v", hash), func(t *testing.T) {
			t.Parallel()

			e := newEnv(t, sandbox.Options{}, Options{})
			file, sum := e.addRemote("resume", "cloud.las", 3<<20+17, 5)
			e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Nth: 1, Drop: true, DropAfter: 1 << 20})

			dir := t.TempDir()
			p := &Progress{}
			dl, err := e.tr.Download(t.Context(), DownloadRequest{
				Version: *file.LatestVersion(), Path: []string{"resume", "cloud.las"}, DestDir: dir,
				Hash: hash,
			}, p)
			if err != nil {
				t.Fatal(err)
			}

			want := ""
			if hash {
				want = sum
			}

			if dl.SHA256 != want || fileSHA(t, dl.LocalPath) != sum || p.Snapshot().BytesDone != dl.Size {
				t.Fatalf("download %+v (want hash %q), progress %d", dl, want, p.Snapshot().BytesDone)
			}

			var ranged int64
			for ep, byStatus := range e.srv.Stats().Endpoints {
				if len(ep) > 7 && ep[:7] == "storage" {
					ranged += byStatus[206]
				}
			}

			if ranged == 0 {
				t.Error("the download started over instead of resuming with a Range request")
			}

			noTempFiles(t, dir)
		})
	}
}

func TestDownloadTokenStaysOffStorage(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	file, sum := e.addRemote("token", "plan.dxf", 200_000, 6)

	dl, err := e.downloadLatest(t.Context(), file, t.TempDir())
	if err != nil || fileSHA(t, dl.LocalPath) != sum {
		t.Fatalf("download: %v", err)
	}

	storage, _ := url.Parse(e.srv.StorageURL())
	api, _ := url.Parse(e.srv.URL())
	all, withAuth := e.spy.counts(storage.Host)
	if all == 0 || withAuth != 0 {
		t.Fatalf("storage host: %d requests, %d with Authorization", all, withAuth)
	}

	if all, withAuth := e.spy.counts(api.Host); withAuth != all {
		t.Fatalf("API host: %d requests, only %d with Authorization", all, withAuth)
	}
}

func TestDownloadCancelLeavesNothing(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	file, _ := e.addRemote("cancel", "big.bin", 4<<20, 7)
	// The first attempt breaks after 1 MiB; the resume hangs for 10 s, and
	// the test cancels while it waits, with 1 MiB in the temporary file.
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Nth: 1, Drop: true, DropAfter: 1 << 20})
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Nth: 2, Latency: 10 * time.Second})

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	p := &Progress{}
	stop := p.Report(1e6, func(s Snapshot) {
		if s.BytesDone >= 1<<20 {
			cancel()
		}
	})
	_, err := e.tr.Download(ctx, DownloadRequest{Version: *file.LatestVersion(), Path: []string{"big.bin"}, DestDir: dir}, p)
	stop()
	cancel()

	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}

	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestDownloadUnsafeNames(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	file, sum := e.addRemote("names", `CON?.txt`, 1000, 8)
	dest := t.TempDir()

	dl, err := e.tr.Download(t.Context(), DownloadRequest{
		Version: *file.LatestVersion(), Path: []string{"..", "..", "a:b", file.Name}, DestDir: dest,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}

	rel, _ := filepath.Rel(dest, dl.LocalPath)
	if want := filepath.Join("_", "_", "a_b", "CON_.txt"); rel != want {
		t.Fatalf("landed at %q, want %q", rel, want)
	}

	if fileSHA(t, dl.LocalPath) != sum {
		t.Fatal("content differs")
	}
}

// TestDownloadAllDistinctNames: Procore names that become one local name
// (made safe, or compared without case as Windows and macOS do) land in
// files of their own, each with its own bytes; the name that needed no
// change keeps its path. A second download of the same files gives the
// same names and replaces them.
func TestDownloadAllDistinctNames(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	sums := map[string]string{}
	for i, name := range []string{"collide/a:b.csv", "collide/a_b.csv", "collide/Site:A/Plan.csv", "collide/site_a/plan.csv"} {
		dir, base := filepath.Split(name)
		_, sums[name] = e.addRemote(dir, base, int64(1000+i), uint64(20+i))
	}

	root, ok := e.srv.FolderID(sandbox.DemoProjectID, "collide")
	if !ok {
		t.Fatal("no folder collide")
	}

	tree, err := e.tr.ListTree(t.Context(), e.scope, root)
	if err != nil {
		t.Fatal(err)
	}

	out := t.TempDir()
	var reqs []DownloadRequest
	tree.Root.Walk(func(n *Node) {
		if !n.IsFolder {
			reqs = append(reqs, DownloadRequest{Version: *n.Version, Path: n.Path, DestDir: out})
		}
	})

	want := map[string]string{ // Procore path below collide: local path
		"a:b.csv": "a_b (2).csv", "a_b.csv": "a_b.csv",
		"Site:A/Plan.csv": "Site_A/Plan (2).csv", "site_a/plan.csv": "site_a/plan.csv",
	}
	var first []string
	for range 2 {
		got, err := e.tr.DownloadAll(t.Context(), reqs, nil)
		if err != nil {
			t.Fatal(err)
		}

		var paths []string
		for i, dl := range got {
			key := strings.Join(reqs[i].Path, "/")
			rel, _ := filepath.Rel(out, dl.LocalPath)
			if filepath.ToSlash(rel) != want[key] || dl.Renamed != (key == "a:b.csv" || key == "Site:A/Plan.csv") {
				t.Errorf("%s landed at %q (renamed %v), want %q", key, rel, dl.Renamed, want[key])
			}

			if fileSHA(t, dl.LocalPath) != sums["collide/"+key] {
				t.Errorf("%s: %s has other bytes", key, rel)
			}
			paths = append(paths, dl.LocalPath)
		}

		if first == nil {
			first = paths
		} else if !slices.Equal(first, paths) {
			t.Errorf("second download went to %q, first to %q", paths, first)
		}
	}

	var files int
	_ = filepath.WalkDir(out, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}

		return nil
	})
	if files != len(want) {
		t.Errorf("%d files below the destination, want %d", files, len(want))
	}
}
