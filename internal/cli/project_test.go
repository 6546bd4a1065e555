package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

type projectInfo struct {
	Dir     string
	Name    string
	Unit    string
	Points  int
	Sources []struct {
		Name              string
		Format            string
		Points            int
		ProcorePath       string `json:"procore_path"`
		ProcoreFileID     int64  `json:"procore_file_id"`
		ProcoreVersionID  int64  `json:"procore_version_id"`
		ProcoreVersionNum int64  `json:"procore_version"`
	}
}

func TestProjectNewAndInfo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "Job 42")

	var created projectInfo
	decode(t, e.must(0, "project", "new", dir, "--name", "Harbour topo", "--unit", "usft",
		"--json"), &created)
	if created.Name != "Harbour topo" || created.Unit != "usft" || created.Points != 0 {
		t.Errorf("project new: %+v", created)
	}

	r := e.must(0, "project", "info", dir)
	if !strings.Contains(r.stdout, "Harbour topo") || !strings.Contains(r.stdout, "usft") {
		t.Errorf("project info: %s", r)
	}

	r = e.must(1, "project", "new", dir)
	if !strings.Contains(r.stderr, "already holds a project") {
		t.Errorf("project new over a project: %s", r)
	}

	r = e.must(1, "project", "info", t.TempDir())
	if !strings.Contains(r.stderr, "not a Backsight project") {
		t.Errorf("project info of a plain folder: %s", r)
	}

	e.must(2, "project", "new", dir+"2", "--unit", "furlong")
	e.must(2, "project", "new")
	e.must(2, "project")
}
