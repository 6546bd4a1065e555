package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/samplefiles"
)

type importOut struct {
	Project string
	Files   []struct {
		File       string
		Format     string
		Attachment bool
		Points     int
		Lines      int
		Surfaces   int
		Warnings   int
		Error      string
		Already    bool `json:"already_in_project"`
	}
	Totals struct{ Points, Lines, Surfaces, Warnings int }
}

// newProject makes a project folder and returns it.
func newProject(t *testing.T, e *env, unit string) string {
	t.Helper()

	dir := filepath.Join(t.TempDir(), "proj")
	e.must(0, "project", "new", dir, "--unit", unit)

	return dir
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()

	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}

	return path
}

func TestImportAndExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := newProject(t, e, "m")

	pts := writeFile(t, "stakeout.txt", "id;skip;x;y;code\n"+
		"10;x;2000,5;1000,25;PEG A\n11;x;2001,5;1001,25;PEG B\n12;x;2002,5;1002,25;KERB\n")
	var out importOut
	decode(t, e.must(0, "import", "--project", dir, "--template", "P-END", "--delimiter", ";",
		"--header", "1", "--decimal", ",", "--json", pts), &out)
	if len(out.Files) != 1 || out.Files[0].Points != 3 || out.Files[0].Format != "csv" ||
		out.Totals.Points != 3 {
		t.Fatalf("import --json: %+v", out)
	}

	// A new version of the file (the same content again would add nothing).
	pts = writeFile(t, "stakeout.txt", "id;skip;x;y;code\n"+
		"10;x;2000,5;1000,25;PEG A\n11;x;2001,5;1001,25;PEG B\n12;x;2002,5;1002,25;KERB 2\n")
	r := e.must(0, "import", "--project", dir, "--template", "P-END", "--delimiter", ";",
		"--header", "1", "--decimal", ",", "--duplicates", "rename", pts)
	if !strings.Contains(r.stdout, "3 points") || !strings.Contains(r.stdout, "3 renamed") {
		t.Errorf("import a new version with rename: %s", r)
	}

	// Export the PEG points only, easting first.
	csvOut := filepath.Join(t.TempDir(), "pegs.csv")
	var exp struct {
		Path   string
		Points int
	}
	decode(t, e.must(0, "export", "--project", dir, "--format", "csv", "--template", "PENZD",
		"--codes", "PEG A,PEG B", "--source", "stakeout.txt", "--json", csvOut), &exp)
	b, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	if exp.Points != 4 || !strings.HasPrefix(string(b), "10,2000.500,1000.250,") {
		t.Errorf("export: %+v\n%s", exp, b)
	}

	for _, format := range []string{"landxml", "dxf", "gsi", "geojson"} {
		e.must(0, "export", "--project", dir, "--format", format,
			filepath.Join(t.TempDir(), "all."+format))
	}

	var info projectInfo
	decode(t, e.must(0, "project", "info", dir, "--json"), &info)
	if info.Points != 6 || len(info.Sources) != 2 {
		t.Errorf("project info after imports: %+v", info)
	}
}

func TestImportFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := newProject(t, e, "m")

	bad := writeFile(t, "broken.xml", `<?xml version="1.0"?>`+"\n"+
		`<LandXML xmlns="http://www.landxml.org/schema/LandXML-1.2"><CgPoints>`+"\n"+
		`<CgPoint name="1">1 2 3</CgPoint>`+"\n"+`<CgPoint name="2">oops`)
	good := writeFile(t, "good.csv", "1,100,200,10,CP\n")

	r := e.must(1, "import", "--project", dir, bad, good)
	if !strings.Contains(r.stderr, "broken.xml") || !strings.Contains(r.stderr, "line ") ||
		!strings.Contains(r.stderr, "1 of 2 files could not be imported") {
		t.Errorf("import of a broken file: %s", r)
	}
	if !strings.Contains(r.stdout, "good.csv (csv): 1 point, 0 lines") {
		t.Errorf("the good file was not imported: %s", r)
	}

	var info projectInfo
	decode(t, e.must(0, "project", "info", dir, "--json"), &info)
	if info.Points != 1 || len(info.Sources) != 1 {
		t.Errorf("the broken file left data behind: %+v", info)
	}

	for _, args := range [][]string{
		{"import", good},             // no --project
		{"import", "--project", dir}, // no FILE
		{"import", "--project", dir, "--template", "PQ", good}, // bad template
		{"import", "--project", dir, "--format", "pdf", good},
		{"import", "--project", dir, "--duplicates", "merge", good},
		{"import", "--project", dir, "--header", "3", good},
		{"export", "--project", dir, "out.csv"}, // no --format
		{"export", "--project", dir, "--format", "pdf", "out.pdf"},
	} {
		if r := e.run(args...); r.code != 2 {
			t.Errorf("backsight %s: want exit 2, got %s", strings.Join(args, " "), r)
		}
	}

	r = e.must(1, "import", "--project", t.TempDir(), good)
	if !strings.Contains(r.stderr, "not a Backsight project") {
		t.Errorf("import into a plain folder: %s", r)
	}

	r = e.must(1, "export", "--project", dir, "--format", "csv", "--codes", "NOPE",
		filepath.Join(t.TempDir(), "x.csv"))
	if !strings.Contains(r.stderr, "nothing to export") {
		t.Errorf("empty export: %s", r)
	}

	r = e.must(1, "export", "--project", dir, "--format", "csv", "--source", "nope.csv",
		filepath.Join(t.TempDir(), "x.csv"))
	if !strings.Contains(r.stderr, `no source named "nope.csv"`) {
		t.Errorf("export of a missing source: %s", r)
	}
}

func TestImportSample(t *testing.T) {
	t.Parallel()
	sample := samplefiles.Path(t, "pnezd_topo0_charlotte_crlf.asc")
	e := newEnv(t)
	dir := newProject(t, e, "usft")

	var out importOut
	decode(t, e.must(0, "import", "--project", dir, "--json", sample), &out)
	if out.Totals.Points != 1311 {
		t.Errorf("charlotte topo: %+v", out.Totals)
	}
}

// TestImportGSIPolar: a GSI file of polar observations without a station
// imports as points on an assumed station by default, is refused with
// --gsi-polar off, and a bad mode is a usage error.
func TestImportGSIPolar(t *testing.T) {
	t.Parallel()
	sample := samplefiles.Path(t, "gsi8_rilievo_cr_only_polar.gsi")
	e := newEnv(t)
	dir := newProject(t, e, "m")

	r := e.must(1, "import", "--project", dir, "--gsi-polar", "off", sample)
	if !strings.Contains(r.stderr, "23 raw observations") || !strings.Contains(r.stderr, "polar reduction is off") {
		t.Errorf("import with --gsi-polar off: %s", r)
	}

	var out importOut
	decode(t, e.must(0, "import", "--project", dir, "--json", sample), &out)
	if out.Totals.Points != 21 || out.Files[0].Format != "gsi" || out.Files[0].Warnings < 2 {
		t.Errorf("rilievo with the default --gsi-polar: %+v", out)
	}

	if r := e.run("import", "--project", dir, "--gsi-polar", "yes", sample); r.code != 2 ||
		!strings.Contains(r.stderr, `--gsi-polar: "yes" is not auto, on or off`) {
		t.Errorf("bad --gsi-polar: %s", r)
	}
}

func TestGetImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	dir := newProject(t, e, "m")
	ids := []string{"--company", company, "--project", project}

	var got struct {
		Files []struct {
			LocalPath string `json:"local_path"`
		}
		Import *importOut
	}
	decode(t, e.must(0, append([]string{"procore", "get", "--json",
		"01 Survey/Control/control_points.csv", "--project-dir", dir, "--import"}, ids...)...),
		&got)
	want := filepath.Join(dir, "Procore", "01 Survey", "Control", "control_points.csv")
	if len(got.Files) != 1 || got.Files[0].LocalPath != want {
		t.Errorf("downloaded to %+v, want %s", got.Files, want)
	}
	if got.Import == nil || got.Import.Totals.Points == 0 {
		t.Fatalf("import after get: %+v", got.Import)
	}

	var info projectInfo
	decode(t, e.must(0, "project", "info", dir, "--json"), &info)
	if len(info.Sources) != 1 {
		t.Fatalf("sources: %+v", info.Sources)
	}
	s := info.Sources[0]
	if s.ProcorePath != "01 Survey/Control/control_points.csv" || s.ProcoreVersionNum != 3 ||
		s.ProcoreFileID == 0 || s.ProcoreVersionID == 0 {
		t.Errorf("Procore source not recorded: %+v", s)
	}

	e.must(2, append([]string{"procore", "get", "05 Reports", "--import"}, ids...)...)
}

// TestImportNothingNew: importing a changed file whose points are all taken,
// with duplicates skipped, says nothing new was imported and adds no empty
// source.
func TestImportNothingNew(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := newProject(t, e, "m")
	file := filepath.Join(t.TempDir(), "p.csv")
	if err := os.WriteFile(file, []byte("1,10,20,30,A\n2,11,21,31,B\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	e.must(0, "import", "--project", dir, file)
	if err := os.WriteFile(file, []byte("1,10,20,30,A\n2,11,21,31,C\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.must(0, "import", "--project", dir, file)
	if !strings.Contains(r.stdout, "nothing new imported: all 2 points are already in the project") {
		t.Errorf("second import: %s", r)
	}

	info := e.must(0, "project", "info", dir)
	if strings.Count(info.stdout, "p.csv") != 1 {
		t.Errorf("project info lists the file other than once:\n%s", info.stdout)
	}
}

// TestImportAttachmentTwice: a PDF imported twice is kept once and the
// second import says it is already in the project.
func TestImportAttachmentTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := newProject(t, e, "m")
	file := filepath.Join(t.TempDir(), "plan.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\nplan"), 0o600); err != nil {
		t.Fatal(err)
	}

	e.must(0, "import", "--project", dir, file)
	r := e.must(0, "import", "--project", dir, file)
	if !strings.Contains(r.stdout, "plan.pdf: already in the project") {
		t.Errorf("second import: %s", r)
	}

	if _, err := os.Stat(filepath.Join(dir, "Attachments", "plan.pdf")); err != nil {
		t.Errorf("no copy in the project: %v", err)
	}
}

// TestMessagesCountOne: the import, project info and export of a file with
// one point, and an import of one missing file, say "1 point" and "the
// file", never "1 points" or "1 of 1 files".
func TestMessagesCountOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := newProject(t, e, "m")
	one := writeFile(t, "one.csv", "1,100,200,10,CP\n")

	r := e.must(0, "import", "--project", dir, one)
	if !strings.Contains(r.stdout, "one.csv (csv): 1 point, 0 lines, 0 surfaces, 0 warnings") {
		t.Errorf("import: %s", r)
	}

	r = e.must(0, "import", "--project", dir, writeFile(t, "one.txt", "1,100,200,10,CP2\n"))
	if !strings.Contains(r.stdout, "nothing new imported: its 1 point is already in the project") {
		t.Errorf("import again: %s", r)
	}

	r = e.must(0, "project", "info", dir)
	if !strings.Contains(r.stdout, "     1 point     0 lines  0 surfaces\n") {
		t.Errorf("project info:\n%s", r.stdout)
	}

	out := filepath.Join(t.TempDir(), "o.csv")
	r = e.must(0, "export", "--project", dir, "--format", "csv", out)
	if !strings.Contains(r.stderr, "Exported 1 point, 0 lines and 0 surfaces to ") {
		t.Errorf("export: %s", r)
	}

	missing := filepath.Join(t.TempDir(), "missing.csv")
	r = e.must(1, "import", "--project", dir, missing)
	if !strings.Contains(r.stderr, "The file could not be imported; the message above says why.") {
		t.Errorf("import of a missing file: %s", r)
	}
}

// TestImportSameFileTwice: a nightly script importing the same DXF again
// is told it is already in the project, and the project does not grow;
// with --duplicates overwrite the file replaces its earlier import.
func TestImportSameFileTwice(t *testing.T) {
	t.Parallel()
	sample := samplefiles.Path(t, "dxf_r12label_leica_disto_s910.dxf")
	e := newEnv(t)
	dir := newProject(t, e, "m")

	e.must(0, "import", "--project", dir, sample)
	before := e.must(0, "project", "info", dir).stdout
	for _, dup := range []string{"skip", "rename"} {
		r := e.must(0, "import", "--project", dir, "--duplicates", dup, sample)
		want := filepath.Base(sample) + ": already in the project (same content); not added again. " +
			"To read it again with other settings, import it with --duplicates overwrite"
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import again, --duplicates %s: %s", dup, r)
		}
	}

	var out importOut
	decode(t, e.must(0, "import", "--project", dir, "--duplicates", "overwrite", "--json", sample),
		&out)
	if len(out.Files) != 1 || out.Files[0].Already || out.Totals.Lines != 10 {
		t.Errorf("import again, --duplicates overwrite: %+v", out)
	}

	after := e.must(0, "project", "info", dir).stdout
	if strings.Count(after, filepath.Base(sample)) != 1 ||
		!strings.Contains(after, "10 lines") || strings.Contains(after, "20 lines") {
		t.Errorf("project info after importing the file again:\n%s\nbefore:\n%s", after, before)
	}
}

// TestImportDXFLabels: the labels of a DXF's points are left out with a
// warning that names --dxf-labels, and with it the points take their ids
// from the labels (the warning named a Go field, PairLabels, that no flag
// could set).
func TestImportDXFLabels(t *testing.T) {
	t.Parallel()
	sample := samplefiles.Path(t, "dxf_r12label_leica_disto_s910.dxf")
	e := newEnv(t)

	plain := newProject(t, e, "m")
	r := e.must(0, "import", "--project", plain, sample)
	if !strings.Contains(r.stderr, "11 TEXT/MTEXT labels not imported") ||
		!strings.Contains(r.stderr, "(--dxf-labels)") {
		t.Errorf("import without --dxf-labels: %s", r)
	}

	labelled := newProject(t, e, "m")
	var out importOut
	decode(t, e.must(0, "import", "--project", labelled, "--dxf-labels", "--json", sample),
		&out)
	if out.Totals.Points != 11 {
		t.Fatalf("import with --dxf-labels: %+v", out)
	}

	csvOut := filepath.Join(t.TempDir(), "disto.csv")
	e.must(0, "export", "--project", labelled, "--format", "csv", csvOut)
	b, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "IMG_20160506_121212.jpg") {
		t.Errorf("the points did not take their labels as ids:\n%s", b)
	}
}

// putStakes writes body to stakes.csv in dir and puts it at the root of the
// test project's documents (a new version when it is there already). It
// returns the file's path.
func putStakes(t *testing.T, e *env, dir, body string) string {
	t.Helper()
	file := filepath.Join(dir, "stakes.csv")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, "procore", "put", file, "/", "--company", company, "--project", project)

	return file
}

// TestGetImportNewVersion: importing a newer Procore version of a file the
// project holds says that it replaced the earlier import and how the points
// changed, on stdout and in --json.
func TestGetImportNewVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	dir := newProject(t, e, "m")
	tmp := t.TempDir()
	get := []string{"procore", "get", "/stakes.csv", "--project-dir", dir, "--import",
		"--company", company, "--project", project}

	putStakes(t, e, tmp, "1,10,20,30,A\n2,11,21,31,B\n")
	e.must(0, get...)

	putStakes(t, e, tmp, "1,10,20,30,A\n2,11,21,35,B\n3,12,22,32,C\n")
	r := e.must(0, get...)
	if !strings.Contains(r.stdout, "; replaced 1 earlier import of it; against the older "+
		"version: 1 added, 1 changed, 0 removed") {
		t.Errorf("import of version 2: %s", r)
	}

	var got struct {
		Import struct {
			Files []struct {
				Replaced int `json:"replaced_sources"`
			}
		}
	}
	putStakes(t, e, tmp, "1,10,20,30,A\n")
	decode(t, e.must(0, append(get, "--json")...), &got)
	if len(got.Import.Files) != 1 || got.Import.Files[0].Replaced != 1 {
		t.Errorf("--json import of version 3: %+v", got)
	}
}

// TestGetImportLinksLocalCopy: a file imported from disk, then fetched from
// Procore with the same content, is not added again, and the project's source
// now records the Procore file (it stayed a local source, so a newer version
// on Procore went unnoticed).
func TestGetImportLinksLocalCopy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()
	dir := newProject(t, e, "m")

	// The surveyor's copy has another name than the file on Procore.
	body := "1,10,20,30,A\n2,11,21,31,B\n"
	putStakes(t, e, t.TempDir(), body)
	field := filepath.Join(t.TempDir(), "field.csv")
	if err := os.WriteFile(field, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, "import", "--project", dir, field)

	r := e.must(0, "procore", "get", "/stakes.csv", "--project-dir", dir, "--import",
		"--company", company, "--project", project)
	if !strings.Contains(r.stdout, "stakes.csv: already in the project as field.csv (same "+
		"content); not added again, but the project's copy is now linked to this Procore "+
		"file") {
		t.Errorf("get --import: %s", r)
	}

	var info projectInfo
	decode(t, e.must(0, "project", "info", dir, "--json"), &info)
	if len(info.Sources) != 1 || info.Sources[0].ProcorePath != "stakes.csv" ||
		info.Sources[0].ProcoreVersionNum != 1 {
		t.Errorf("sources: %+v", info.Sources)
	}
}
