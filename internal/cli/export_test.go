package cli_test

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// importedProject makes the project "job" in a temporary folder and imports
// files (name: content, written next to it) one import per file, in name
// order, so that each is a source of its own. It returns the folder and
// the project.
func importedProject(t *testing.T, e *env, files map[string]string) (dir, proj string) {
	t.Helper()

	dir = t.TempDir()
	proj = filepath.Join(dir, "job")
	e.must(0, "project", "new", proj)

	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(files[name]), 0o600); err != nil {
			t.Fatal(err)
		}
		e.must(0, "import", "--project", proj, path)
	}

	return dir, proj
}

// TestExportLandXMLDate: an exported LandXML file carries the date of the
// data (the import time), not the writer's 1970-01-01 placeholder nor the
// time of writing: exporting again a second later gives the same bytes.
func TestExportLandXMLDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir, proj := importedProject(t, e, map[string]string{
		"points.csv": "1,100.0,200.0,10.0,CP\n",
	})

	var outs [2][]byte
	for i := range outs {
		if i == 1 {
			time.Sleep(1100 * time.Millisecond)
		}
		out := filepath.Join(dir, fmt.Sprint(i, "out.xml"))
		e.must(0, "export", "--project", proj, "--format", "landxml", out)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = b
	}

	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two exports a second apart differ:\n%.400s\n---\n%.400s", outs[0], outs[1])
	}
	today := time.Now().UTC().Format("2006-01-02")
	yesterday := time.Now().UTC().Add(-24 * time.Hour).Format("2006-01-02") // a run at midnight
	if !strings.Contains(string(outs[0]), `date="`+today+`"`) &&
		!strings.Contains(string(outs[0]), `date="`+yesterday+`"`) {
		t.Errorf("want the import date %q in the LandXML root:\n%.400s", today, outs[0])
	}
}

// TestExportNothingTheFormatHolds: a project holding only a surface exported
// as CSV is refused with a sentence saying what CSV holds, and the file
// already at the path is left as it was.
func TestExportNothingTheFormatHolds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir, proj := importedProject(t, e, map[string]string{"tin.xml": `<?xml version="1.0"?>
<LandXML xmlns="http://www.landxml.org/schema/LandXML-1.2" version="1.2">
<Surfaces><Surface name="EG"><Definition surfType="TIN"><Pnts>
<P id="1">0 0 1</P><P id="2">0 1 1</P><P id="3">1 0 1</P></Pnts>
<Faces><F>1 2 3</F></Faces></Definition></Surface></Surfaces></LandXML>
`})

	out := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(out, []byte("earlier\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.must(1, "export", "--project", proj, "--format", "csv", out)
	if !strings.Contains(r.stderr, "holds points only") || !strings.Contains(r.stderr, "1 surface") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "earlier\n" {
		t.Errorf("existing file replaced by %q", b)
	}
}

// TestExportCodes: spaces after the commas of --codes are ignored; codes
// that no point or line has are told, and when none of them is used
// nothing is written (an empty file came out with exit status 0).
func TestExportCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir, proj := importedProject(t, e, map[string]string{
		"points.csv": "1,100.0,200.0,10.0,CP\n2,101.0,201.0,10.0,TREE\n",
	})

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

	dir, proj := importedProject(t, e, map[string]string{
		"Job 12, topo.csv": "1,100.0,200.0,10.0,CP\n",
		"b.csv":            "2,101.0,201.0,10.0,CP\n",
		"c.csv":            "3,102.0,202.0,10.0,CP\n",
	})

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

// TestExportWarningNamesFile: a value the format cannot hold is reported on
// stderr like an import warning, naming the written file; codes are summed
// up in one warning however many points have them.
func TestExportWarningNamesFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir, proj := importedProject(t, e, map[string]string{
		"points.csv": "1,100.0,200.0,10.0,TOP BANK\n2,101.0,201.0,10.0,TOP BANK\n" +
			"3,102.0,202.0,10.0,STORM MH\n",
	})

	r := e.must(0, "export", "--project", proj, "--format", "gsi", filepath.Join(dir, "o.gsi"))
	want := `warning: o.gsi: changed 2 codes on 3 points (GSI words hold at most 16 ASCII ` +
		`characters without spaces): "TOP BANK" written as "TOP_BANK", "STORM MH" as "STORM_MH"`
	if !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "warning:") != 1 {
		t.Errorf("want one warning naming o.gsi and the codes, got %s", r)
	}
}

// TestExportFormatAliases: --format xyz, penzd and pnezd write the column
// order their name says; a --template that contradicts the alias is wrong
// usage naming the way to get that order; import --format penzd reads
// PENZD.
func TestExportFormatAliases(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir, proj := importedProject(t, e, map[string]string{"p.csv": "7,100.0,200.0,5.0,CP\n"})
	for format, want := range map[string]string{
		"xyz":   "200.000,100.000,5.000\n",
		"penzd": "7,200.000,100.000,5.000,CP\n",
		"pnezd": "7,100.000,200.000,5.000,CP\n",
		"txt":   "7,100.000,200.000,5.000,CP\n",
	} {
		out := filepath.Join(dir, "o."+format)
		e.must(0, "export", "--project", proj, "--format", format, out)
		if b, err := os.ReadFile(out); err != nil || string(b) != want {
			t.Errorf("--format %s wrote %q, %v; want %q", format, b, err, want)
		}
	}

	r := e.must(2, "export", "--project", proj, "--format", "penzd", "--template", "pnezd",
		filepath.Join(dir, "o.csv"))
	if !strings.Contains(r.stderr, "--format penzd is the column order PENZD, not PNEZD; "+
		"give --format csv --template PNEZD") {
		t.Errorf("contradicting --template: %s", r)
	}

	// A template means nothing to a format without columns (it was ignored).
	r = e.must(2, "export", "--project", proj, "--format", "landxml", "--template", "PNEZD",
		filepath.Join(dir, "o.xml"))
	if !strings.Contains(r.stderr, "--template is the column order of a delimited point "+
		"file (--format csv); landxml files have no columns to order") {
		t.Errorf("--template with landxml: %s", r)
	}

	r = e.must(2, "import", "--project", proj, "--format", "gsi", "--template", "PNEZD",
		filepath.Join(dir, "o.gsi"))
	if !strings.Contains(r.stderr, "gsi files have no columns to order") {
		t.Errorf("--template with an import of gsi: %s", r)
	}

	r = e.must(2, "export", "--project", proj, "--format", "enz", filepath.Join(dir, "o.csv"))
	if !strings.Contains(r.stderr, "pnezd, penzd or xyz") {
		t.Errorf("unknown format: %s", r)
	}

	penzd := filepath.Join(dir, "e.txt")
	if err := os.WriteFile(penzd, []byte("8,300.0,400.0,6.0,TREE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, "import", "--project", proj, "--format", "penzd", penzd)
	out := filepath.Join(dir, "all.csv")
	e.must(0, "export", "--project", proj, "--format", "csv", "--codes", "TREE", out)
	if b, err := os.ReadFile(out); err != nil || string(b) != "8,400.000,300.000,6.000,TREE\n" {
		t.Errorf("import --format penzd then PNEZD export: %q, %v", b, err)
	}
}
