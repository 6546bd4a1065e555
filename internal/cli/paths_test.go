package cli_test

import (
	"os"
	"path/filepath"
	"testing"
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
