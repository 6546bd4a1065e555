package transfer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/backsight/backsight/internal/sandbox"
)

// TestNewFolders: the folders a batch makes are the missing ones above each
// file, up to the first that exists, deepest first; after a partial batch
// only the empty ones are removed.
func TestNewFolders(t *testing.T) {
	t.Parallel()

	dest := t.TempDir()
	if err := os.Mkdir(filepath.Join(dest, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	req := func(dir string, path ...string) DownloadRequest {
		return DownloadRequest{Path: path, DestDir: dir}
	}
	reqs := []DownloadRequest{
		req(dest, "a", "b", "f.csv"),
		req(dest, "a", "g.csv"),
		req(dest, "keep", "h.csv"),
		req(dest, "keep", "x", "y.csv"),
		req(filepath.Join(dest, "new"), "z.csv"),
		req(dest), // no path: its download fails before making a folder
	}

	got := NewFolders(reqs)
	want := []string{
		filepath.Join(dest, "a", "b"), filepath.Join(dest, "keep", "x"),
		filepath.Join(dest, "a"), filepath.Join(dest, "new"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("NewFolders (-want +got):\n%s", diff)
	}

	// As if the batch stopped after the first file: its folders hold it,
	// the other new folders were made and are empty.
	for _, d := range got {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dest, "a", "b", "f.csv"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	RemoveEmptyFolders(got)

	for _, c := range []struct {
		path  string
		there bool
	}{
		{"a/b/f.csv", true}, {"a", true}, {"keep", true}, {"keep/x", false}, {"new", false},
	} {
		_, err := os.Stat(filepath.Join(dest, filepath.FromSlash(c.path)))
		if (err == nil) != c.there {
			t.Errorf("%s: there %v, want %v", c.path, err == nil, c.there)
		}
	}
}

// TestDownloadAllFailedLeavesNoFolders: a batch whose downloads fail leaves
// none of the folders it made (the Procore path's folders) behind.
func TestDownloadAllFailedLeavesNoFolders(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	file, _ := e.addRemote("gone", "a.csv", 1000, 30)
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Status: 404})

	dest := t.TempDir()
	_, err := e.tr.DownloadAll(t.Context(), []DownloadRequest{{
		Version: *file.LatestVersion(), Path: []string{"01 Survey", "Control", "a.csv"},
		DestDir: dest,
	}}, nil)
	if err == nil {
		t.Fatal("download of a missing file succeeded")
	}

	entries, _ := os.ReadDir(dest)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestMissingFolders(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "a", "b")

	want := []string{dir, filepath.Join(base, "a")}
	if got := MissingFolders(dir); !slices.Equal(got, want) {
		t.Errorf("MissingFolders(%s) = %v, want %v", dir, got, want)
	}
	if got := MissingFolders(base); len(got) != 0 {
		t.Errorf("MissingFolders of an existing folder = %v, want none", got)
	}
}
