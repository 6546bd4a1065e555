package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/sandbox"
)

// TestProcorePathSpaces: a Procore name that begins or ends with a space
// can be named in a path (the spaces were trimmed, so get said "There is
// no ..."), and spaces typed around names still find them.
func TestProcorePathSpaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	ids := []string{"--company", company, "--project", project}

	dir := t.TempDir()
	local := filepath.Join(dir, " spaced .csv")
	if err := os.WriteFile(local, []byte("1,100.0,200.0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, append([]string{"procore", "put", local, "/"}, ids...)...)

	var got struct {
		Files []struct {
			ProcorePath string `json:"procore_path"`
		}
	}
	decode(t, e.must(0, append([]string{"procore", "get", "--json", "--to", dir,
		"/ spaced .csv"}, ids...)...), &got)
	if len(got.Files) != 1 || got.Files[0].ProcorePath != "/ spaced .csv" {
		t.Errorf("get of a name with spaces: %+v", got)
	}

	var list []entry
	decode(t, e.must(0, append([]string{"procore", "ls", "--json", " 01 Survey / Control "},
		ids...)...), &list)
	if !hasEntry(list, "control_points.csv", "file") {
		t.Errorf("ls with spaces around the names: %+v", list)
	}
}

// TestPutFolderPartly: when a folder upload fails after the folder was
// made, the message says the folder now exists in Procore with part of the
// files (uploading the folder again is refused, since its name is taken).
func TestPutFolderPartly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	for _, v := range []string{"v1.0", "v1.1"} {
		e.srv.AddFault(sandbox.FaultRule{
			Endpoint: "POST /rest/" + v + "/projects/{project_id}/uploads", Status: 403})
	}

	dir := filepath.Join(t.TempDir(), "Site B")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("1,1,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	r := e.must(1, "procore", "put", "--company", company, "--project", project, dir, "05 Reports")
	if !strings.Contains(r.stderr, "The folder /05 Reports/Site B was created in Procore "+
		"and holds only 0 uploaded files") {
		t.Errorf("want the half-made folder named: %s", r)
	}
}

// TestPutFolderMessage: the summary counts in proper English ("1 folders"
// before).
func TestPutFolderMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()

	dir := filepath.Join(t.TempDir(), "Site C")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("1,1,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	r := e.must(0, "procore", "put", "--company", company, "--project", project, dir, "05 Reports")
	if !strings.Contains(r.stderr, "Uploaded 1 file in 1 folder to /05 Reports.") {
		t.Errorf("folder put summary: %s", r)
	}
}

// TestGetFolderGoesOn: a file that fails on its own (here Procore answers
// 404 for it) is reported, the other files of the folder are still
// downloaded, and the exit status is 1 (the first failure cancelled every
// download before).
func TestGetFolderGoesOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	e.srv.AddFault(sandbox.FaultRule{Endpoint: "GET /fas/api/v5/files/{id}", Nth: 1, Status: 404})

	var got struct {
		Files []struct {
			LocalPath string `json:"local_path"`
		}
		Failed []struct {
			ProcorePath string `json:"procore_path"`
			Error       string
		}
	}
	r := e.run("procore", "get", "--json", "--company", company, "--project", project,
		"--to", t.TempDir(), "01 Survey/Control")
	if r.code != 1 {
		t.Fatalf("want exit 1, got %s", r)
	}
	decode(t, r, &got)
	if len(got.Failed) != 1 || len(got.Files) == 0 || got.Failed[0].Error == "" {
		t.Fatalf("want one failed file and the others downloaded: %+v\n%s", got, r)
	}
	for _, f := range got.Files {
		if _, err := os.Stat(f.LocalPath); err != nil {
			t.Errorf("reported as downloaded: %v", err)
		}
	}
	if !strings.Contains(r.stderr, got.Failed[0].ProcorePath+" was not downloaded: ") ||
		!strings.Contains(r.stderr, "could not be downloaded") {
		t.Errorf("stderr: %s", r)
	}
}

// TestGetFolderDistinctNames: two Procore files whose names become one
// local name ("a:b.csv" is saved as "a_b.csv", beside a file of that name)
// are both kept: the second gets " (2)", is reported as renamed, and neither
// overwrote the other (before, the later download replaced the earlier).
func TestGetFolderDistinctNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	ids := []string{"--company", company, "--project", project}

	src := filepath.Join(t.TempDir(), "Clash")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a:b.csv": "1,1,1\n", "a_b.csv": "2,2,2\n"}
	for name, body := range want {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	e.must(0, append([]string{"procore", "put", src, "/"}, ids...)...)

	var got struct {
		Files []struct {
			ProcorePath string `json:"procore_path"`
			LocalPath   string `json:"local_path"`
			Renamed     bool   `json:"renamed"`
		}
	}
	dest := t.TempDir()
	r := e.must(0, append([]string{"procore", "get", "--json", "--to", dest, "/Clash"},
		ids...)...)
	decode(t, r, &got)
	if len(got.Files) != 2 {
		t.Fatalf("want both files: %+v\n%s", got, r)
	}

	locals := map[string]bool{}
	renamed := 0
	for _, f := range got.Files {
		locals[f.LocalPath] = true
		body, err := os.ReadFile(f.LocalPath)
		if err != nil {
			t.Fatal(err)
		}
		if name := f.ProcorePath[strings.LastIndex(f.ProcorePath, "/")+1:]; string(body) !=
			want[name] {
			t.Errorf("%s holds %q, want %q", f.LocalPath, body, want[name])
		}
		if f.Renamed {
			renamed++
			if filepath.Base(f.LocalPath) != "a_b (2).csv" ||
				!strings.Contains(r.stderr, f.ProcorePath+" was saved as a_b (2).csv") {
				t.Errorf("renamed file %+v; stderr: %s", f, r.stderr)
			}
		}
	}
	if len(locals) != 2 || renamed != 1 {
		t.Errorf("want two local files, one renamed: %+v", got)
	}
}

// TestGetFailedLeavesNoFolders: a get whose downloads all fail leaves none
// of the folders of the Procore path behind in --to (it left an empty
// "01 Survey/Control").
func TestGetFailedLeavesNoFolders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Status: 404})

	dest := t.TempDir()
	r := e.run("procore", "get", "--company", company, "--project", project, "--to", dest,
		"01 Survey/Control")
	if r.code != 1 {
		t.Fatalf("want exit 1, got %s", r)
	}

	entries, _ := os.ReadDir(dest)
	if len(entries) != 0 {
		t.Errorf("left behind in --to: %v", entries)
	}
}

// TestGetNothingToDownload: a get of a folder with no files says so, and of
// the recycle bin says why nothing came (it said "Downloaded 0 files").
func TestGetNothingToDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	pid, err := strconv.ParseInt(project, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.AddFolder(pid, "Empty Folder"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		path, want string
	}{
		{"Empty Folder", "Nothing to download: /Empty Folder holds no files."},
		{"Recycle Bin", "Nothing to download: /Recycle Bin is Procore's recycle bin"},
	}
	for _, tt := range tests {
		base := t.TempDir()
		dest := filepath.Join(base, "a", "b")
		r := e.must(0, "procore", "get", "--json", "--company", company, "--project", project,
			"--to", dest, tt.path)
		var got struct {
			Files   []any
			Nothing string `json:"nothing_to_download"`
		}
		decode(t, r, &got)
		if len(got.Files) != 0 || !strings.Contains(r.stderr, tt.want) ||
			strings.Contains(r.stderr, "Downloaded") ||
			!strings.HasPrefix("Nothing to download: "+got.Nothing, tt.want) {
			t.Errorf("get %s: files %v, nothing_to_download %q; stderr %q, want it to say %q",
				tt.path, got.Files, got.Nothing, r.stderr, tt.want)
		}
		if _, err := os.Stat(filepath.Join(base, "a")); err == nil {
			t.Errorf("get %s left the --to folders it made for nothing", tt.path)
		}
	}

	// A path that is not there leaves no --to folder either.
	base := t.TempDir()
	e.must(1, "procore", "get", "--company", company, "--project", project,
		"--to", filepath.Join(base, "x"), "No Such Folder")
	if _, err := os.Stat(filepath.Join(base, "x")); err == nil {
		t.Error("a get of a missing path left its --to folder")
	}
}
