package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportLandXMLDate: an exported LandXML file carries today's date, not
// the writer's 1970-01-01 placeholder.
func TestExportLandXMLDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir := t.TempDir()
	proj := filepath.Join(dir, "job")
	e.must(0, "project", "new", proj)
	points := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(points, []byte("1,100.0,200.0,10.0,CP\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, "import", "--project", proj, points)

	out := filepath.Join(dir, "out.xml")
	e.must(0, "export", "--project", proj, "--format", "landxml", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}

	today := time.Now().Format("2006-01-02")
	yesterday := time.Now().Add(-24 * time.Hour).Format("2006-01-02") // a run at midnight
	if !strings.Contains(string(b), `date="`+today+`"`) &&
		!strings.Contains(string(b), `date="`+yesterday+`"`) {
		t.Errorf("want date=%q in the LandXML root:\n%.400s", today, b)
	}
}

// TestExportCodes: spaces after the commas of --codes are ignored; codes
// that no point or line has are told, and when none of them is used
// nothing is written (an empty file came out with exit status 0).
func TestExportCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir := t.TempDir()
	proj := filepath.Join(dir, "job")
	e.must(0, "project", "new", proj)
	points := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(points, []byte("1,100.0,200.0,10.0,CP\n2,101.0,201.0,10.0,TREE\n"),
		0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, "import", "--project", proj, points)

	out := filepath.Join(dir, "out.csv")
	var res struct{ Points int }
	r := e.must(0, "export", "--json", "--project", proj, "--format", "csv", "--codes",
		"TREE, CP, XX", out)
	decode(t, r, &res)
	if res.Points != 2 || !strings.Contains(r.stderr, `No point or line has the code "XX".`) {
		t.Errorf("export --codes \"TREE, CP, XX\": %+v\n%s", res, r)
	}

	none := filepath.Join(dir, "none.csv")
	r = e.must(1, "export", "--project", proj, "--format", "csv", "--codes", "cp", none)
	if !strings.Contains(r.stderr, `nothing to export: no point or line of the project has the code "cp"`) {
		t.Errorf("export --codes cp: %s", r)
	}
	if _, err := os.Stat(none); err == nil {
		t.Errorf("%s was written", none)
	}
}

// TestExportSourceWithComma: --source takes a file name with a comma in it
// (it was split into two names that do not exist), is repeatable, and a
// comma list of names still works.
func TestExportSourceWithComma(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir := t.TempDir()
	proj := filepath.Join(dir, "job")
	e.must(0, "project", "new", proj)
	for name, body := range map[string]string{
		"Job 12, topo.csv": "1,100.0,200.0,10.0,CP\n",
		"b.csv":            "2,101.0,201.0,10.0,CP\n",
		"c.csv":            "3,102.0,202.0,10.0,CP\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		e.must(0, "import", "--project", proj, path)
	}

	out := filepath.Join(dir, "out.csv")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--source", "Job 12, topo.csv"}, 1},
		{[]string{"--source", "Job 12, topo.csv", "--source", "b.csv"}, 2},
		{[]string{"--source", "b.csv,c.csv"}, 2},
	} {
		var res struct{ Points int }
		decode(t, e.must(0, append([]string{"export", "--json", "--project", proj, "--format",
			"csv", out}, tc.args...)...), &res)
		if res.Points != tc.want {
			t.Errorf("export %v: %d points, want %d", tc.args, res.Points, tc.want)
		}
	}
}
