package cli_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/sandbox"
)

type entry struct {
	ID       int64
	Name     string
	Type     string
	Path     string
	Version  int
	Children []entry
}

func TestLsAndTree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	ids := []string{"--company", company, "--project", project}

	var root []entry
	decode(t, e.must(0, append([]string{"procore", "ls", "--json"}, ids...)...), &root)
	if !hasEntry(root, "01 Survey", "folder") || !hasEntry(root, "05 Reports", "folder") {
		t.Errorf("ls /: %+v", root)
	}

	var control []entry
	decode(t, e.must(0, append([]string{"procore", "ls", "--json", "01 Survey/Control"},
		ids...)...), &control)
	if !hasEntry(control, "control_points.csv", "file") {
		t.Fatalf("ls 01 Survey/Control: %+v", control)
	}
	for _, c := range control {
		if c.Name == "control_points.csv" && (c.Version != 3 ||
			c.Path != "/01 Survey/Control/control_points.csv") {
			t.Errorf("control_points.csv: %+v", c)
		}
	}

	r := e.must(0, append([]string{"procore", "ls", "01 Survey/Control"}, ids...)...)
	if !strings.Contains(r.stdout, "control_points.csv") {
		t.Errorf("ls table: %s", r)
	}

	r = e.must(1, append([]string{"procore", "ls", "01 Survey/Nowhere"}, ids...)...)
	if !strings.Contains(r.stderr, `"Nowhere"`) {
		t.Errorf("ls of a missing folder: %s", r)
	}

	var tree []entry
	decode(t, e.must(0, append([]string{"procore", "tree", "--json", "01 Survey"}, ids...)...),
		&tree)
	if !hasEntry(tree, "Control", "folder") || !hasEntry(tree, "Topo", "folder") {
		t.Errorf("tree 01 Survey: %+v", tree)
	}

	r = e.must(0, append([]string{"procore", "tree"}, ids...)...)
	if !strings.Contains(r.stdout, "control_points.csv") || !strings.Contains(r.stdout, "└── ") {
		t.Errorf("tree: %s", r)
	}
}

func hasEntry(list []entry, name, typ string) bool {
	for _, e := range list {
		if e.Name == name && e.Type == typ {
			return true
		}
	}

	return false
}

func TestGetAndPut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	ids := []string{"--company", company, "--project", project}
	dest := t.TempDir()

	// A whole folder, keeping the Procore path.
	var got struct {
		Dest  string
		Files []struct {
			ProcorePath string `json:"procore_path"`
			LocalPath   string `json:"local_path"`
			Version     int
			SHA256      string
		}
	}
	decode(t, e.must(0, append([]string{"procore", "get", "--json", "01 Survey", "--to", dest},
		ids...)...), &got)
	want := filepath.Join(dest, "01 Survey", "Control", "control_points.csv")
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("get folder: %v\n%+v", err, got)
	}

	// The JSON output reports each file's SHA-256 (the download asks for it).
	for _, f := range got.Files {
		data, err := os.ReadFile(f.LocalPath)
		sum := sha256.Sum256(data)
		if err != nil || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("get --json: %s: sha256 %q, err %v", f.LocalPath, f.SHA256, err)
		}
	}

	// One file into the current folder.
	cwd := t.TempDir()
	r := e.runIn(cwd, "", append([]string{"procore", "get", "05 Reports/survey_report.txt"},
		ids...)...)
	if r.code != 0 {
		t.Fatalf("get file: %s", r)
	}
	local := filepath.Join(cwd, "05 Reports", "survey_report.txt")
	if _, err := os.Stat(local); err != nil {
		t.Errorf("get file: %v", err)
	}
	if got, _ := filepath.EvalSymlinks(strings.TrimSpace(r.stdout)); got != mustEval(t, local) {
		t.Errorf("get printed %q, want the local path %q", r.stdout, local)
	}

	// A file whose name is taken becomes a new version.
	local = filepath.Join(t.TempDir(), "control_points.csv")
	if err := os.WriteFile(local, []byte("1,100,200,10,CP\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var put struct {
		Files []struct {
			Version int
			Outcome string
		}
	}
	r = e.must(0, append([]string{"procore", "put", "--json", local, "01 Survey/Control"},
		ids...)...)
	decode(t, r, &put)
	if len(put.Files) != 1 || put.Files[0].Version != 4 || put.Files[0].Outcome != "new_version" {
		t.Errorf("put over a taken name: %+v", put)
	}
	if !strings.Contains(r.stderr, "as version 4") {
		t.Errorf("put message: %s", r)
	}
	if strings.Contains(r.stderr, "\r") {
		t.Errorf("a progress bar was drawn into a pipe: %q", r.stderr)
	}

	// The same bytes again: nothing is uploaded.
	r = e.must(0, append([]string{"procore", "put", "--json", local, "01 Survey/Control"},
		ids...)...)
	decode(t, r, &put)
	if len(put.Files) != 1 || put.Files[0].Version != 4 || put.Files[0].Outcome != "unchanged" {
		t.Errorf("put of the same bytes: %+v", put)
	}
	if !strings.Contains(r.stderr, "unchanged: control_points.csv is already version 4 in Procore") {
		t.Errorf("put message for the same bytes: %s", r)
	}

	// A new name is a new file.
	fresh := filepath.Join(t.TempDir(), "fresh.csv")
	if err := os.WriteFile(fresh, []byte("2,1,2,3,X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = e.must(0, append([]string{"procore", "put", fresh, "/"}, ids...)...)
	if !strings.Contains(r.stderr, "as a new file (version 1)") {
		t.Errorf("put new file: %s", r)
	}

	// Fetching it again gives the new content.
	again := t.TempDir()
	e.must(0, append([]string{"procore", "get", "01 Survey/Control/control_points.csv",
		"--to", again}, ids...)...)
	b, err := os.ReadFile(filepath.Join(again, "01 Survey", "Control", "control_points.csv"))
	if err != nil || !bytes.Equal(b, []byte("1,100,200,10,CP\n")) {
		t.Errorf("downloaded new version: %q, %v", b, err)
	}
}

func TestPutFolder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	ids := []string{"--company", company, "--project", project}

	dir := filepath.Join(t.TempDir(), "Stakeout")
	if err := os.MkdirAll(filepath.Join(dir, "day1"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.csv", "day1/b.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("1,2,3\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// "01 Survey" already holds a Stakeout folder: refused.
	r := e.must(1, append([]string{"procore", "put", dir, "01 Survey"}, ids...)...)
	if !strings.Contains(r.stderr, "already exists") || !strings.Contains(r.stderr, "Stakeout") {
		t.Errorf("folder put over a taken name: %s", r)
	}

	// Into "04 Photos" it is new.
	var put struct {
		Type  string
		Files []struct{ Name string }
	}
	decode(t, e.must(0, append([]string{"procore", "put", "--json", dir, "04 Photos"},
		ids...)...), &put)
	if put.Type != "folder" || len(put.Files) != 2 {
		t.Errorf("folder put: %+v", put)
	}

	var tree []entry
	decode(t, e.must(0, append([]string{"procore", "tree", "--json", "04 Photos"}, ids...)...),
		&tree)
	if len(tree) != 1 || tree[0].Name != "Stakeout" || !hasEntry(tree[0].Children, "day1", "folder") {
		t.Errorf("tree after folder put: %+v", tree)
	}
}

func TestReadOnlyUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.loginAs(sandbox.DemoViewer)
	ids := []string{"--company", company, "--project", project}

	e.must(0, append([]string{"procore", "ls", "01 Survey"}, ids...)...)

	local := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(local, []byte("1,2,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.must(1, append([]string{"procore", "put", local, "04 Photos"}, ids...)...)
	if !strings.Contains(r.stderr, "not allowed") {
		t.Errorf("put as a read-only user: %s", r)
	}
}

func mustEval(t *testing.T, p string) string {
	t.Helper()

	got, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}

	return got
}
