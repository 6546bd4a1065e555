package project

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/survey"
)

func newProject(t *testing.T) *Project {
	t.Helper()
	p, err := Create(t.Context(), filepath.Join(t.TempDir(), "job"), Settings{Name: "Job", Unit: survey.Foot})
	if err != nil {
		t.Fatal(err)
	}

	t.Cleanup(func() { p.Close() })

	return p
}

func pts(ids ...string) []survey.Point {
	out := make([]survey.Point, len(ids))
	for i, id := range ids {
		out[i] = survey.Point{ID: id, N: float64(i), E: float64(i) * 2, Z: 1, HasZ: true, Code: "C" + id}
	}

	return out
}

func ids(t *testing.T, p *Project) []string {
	t.Helper()
	var out []string
	err := p.EachPoint(t.Context(), Selection{}, func(r PointRow) error {
		out = append(out, r.ID)

		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	return out
}

func TestCreateOpenSettings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "job")
	want := Settings{Name: "Bridge", Unit: survey.USSurveyFoot, ExportCopy: ExportToDownloads,
		Procore: ProcoreLink{Environment: "sandbox", CompanyID: 7, ProjectID: 9, LastFolderID: 11,
			LastFolderPath: "Survey/2026"},
		Import: ImportPrefs{Format: "csv", Template: "PENZD", Duplicates: Rename, Extra: map[string]string{"a": "b"}}}
	p, err := Create(t.Context(), dir, want)
	if err != nil {
		t.Fatal(err)
	}

	p.Close()
	if _, err := Create(t.Context(), dir, want); !errors.Is(err, ErrExists) {
		t.Errorf("second Create: %v", err)
	}

	for _, d := range []string{ProcoreDir, ExportsDir, DBName} {
		if _, err := os.Stat(filepath.Join(dir, d)); err != nil {
			t.Error(err)
		}
	}

	p, err = Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	if d := cmp.Diff(want, p.Settings()); d != "" {
		t.Errorf("settings (-want +got):\n%s", d)
	}

	bad := want
	bad.Unit = "yard"
	if err := p.SaveSettings(t.Context(), bad); err == nil {
		t.Error("bad unit accepted")
	}

	if _, err := Open(t.Context(), t.TempDir()); !errors.Is(err, ErrNotProject) {
		t.Errorf("Open empty dir: %v", err)
	}
}

func TestExportDir(t *testing.T) {
	p := newProject(t)
	if d, _ := p.ExportDir(); d != filepath.Join(p.Dir(), ExportsDir) {
		t.Errorf("ExportDir = %s", d)
	}

	home := t.TempDir()
	cfg := filepath.Join(home, "cfg")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	s := p.Settings()
	s.ExportCopy = ExportToDownloads
	if err := p.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}

	if d, _ := p.ExportDir(); d != filepath.Join(home, "Downloads") {
		t.Errorf("ExportDir = %s, want ~/Downloads", d)
	}

	os.MkdirAll(cfg, 0o755)
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("# x\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o644)
	if d, _ := p.ExportDir(); d != filepath.Join(home, "Téléchargements") {
		t.Errorf("ExportDir = %s, want XDG dir", d)
	}
}

func TestProcorePath(t *testing.T) {
	p := newProject(t)
	got := p.ProcorePath("Survey", "..", "a/b", "")
	want := filepath.Join(p.Dir(), ProcoreDir, "Survey", "_", "a_b", "_")
	if got != want {
		t.Errorf("ProcorePath = %s, want %s", got, want)
	}
}

func TestImportAndSelect(t *testing.T) {
	p := newProject(t)
	ds := &survey.Dataset{
		Points: []survey.Point{
			{ID: "1", Code: `TOP WALL 18" WI`, E: 1455644.371, N: 538542.57, Z: 681.31, HasZ: true},
			{ID: "2", Code: "NO Z", E: 1, N: 2},
			{ID: "3", Code: "EP          E", E: 3, N: 4, Z: 0, HasZ: true, Attrs: map[string]string{"rod": "2.0"}},
		},
		Lines: []survey.Line{{Code: "BL", Name: "f1", Closed: true, Vertices: []survey.Vertex{
			{E: 1, N: 2, Z: 3, HasZ: true}, {E: 4, N: 5}}}},
		Surfaces: []survey.Surface{{Name: "TIN", Vertices: []survey.Vertex{
			{E: 0, N: 0, Z: 1, HasZ: true}, {E: 1, N: 0, Z: 2, HasZ: true}, {E: 0, N: 1, Z: 3, HasZ: true}},
			Triangles: [][3]int{{0, 1, 2}}}},
		Warnings:     []survey.Warning{{File: "a.csv", Line: 3, Msg: "row skipped"}},
		Observations: 2, SourceUnit: survey.Foot, CRS: "EPSG:2264",
	}
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	res, err := p.Import(t.Context(), ds, SourceInfo{Name: "a.csv", Format: "csv", Size: 10, SHA256: "ab", ImportedAt: at}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if res.Points != 3 || res.Lines != 1 || res.Surfaces != 1 || res.Observations != 2 || len(res.Warnings) != 1 {
		t.Errorf("result = %+v", res)
	}

	got, err := p.Select(t.Context(), Selection{})
	if err != nil {
		t.Fatal(err)
	}

	want := &survey.Dataset{Points: ds.Points, Lines: ds.Lines, Surfaces: ds.Surfaces, SourceUnit: survey.Metre}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("select (-want +got):\n%s", d)
	}

	srcs, err := p.Sources(t.Context())
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources %v %v", srcs, err)
	}

	s := srcs[0]
	if s.Name != "a.csv" || !s.ImportedAt.Equal(at) || s.Points != 3 || s.Lines != 1 || s.Surfaces != 1 ||
		s.Unit != survey.Foot || s.CRS != "EPSG:2264" || s.Procore != nil {
		t.Errorf("source = %+v", s)
	}

	w, err := p.Warnings(t.Context(), s.ID)
	if err != nil || len(w) != 1 || w[0].Line != 3 || w[0].File != "a.csv" {
		t.Errorf("warnings %v %v", w, err)
	}

	ext, _ := p.Extent(t.Context())
	if ext.MinE != 0 || ext.MaxE != 1455644.371 || ext.MinZ != 0 || ext.MaxZ != 681.31 || !ext.HasZ {
		t.Errorf("extent = %+v", ext)
	}

	codes, _ := p.Codes(t.Context())
	if len(codes) != 4 || codes[0].Code != "BL" || codes[0].Lines != 1 {
		t.Errorf("codes = %+v", codes)
	}

	sel, _ := p.Select(t.Context(), Selection{Codes: []string{"NO Z"}})
	if len(sel.Points) != 1 || sel.Points[0].ID != "2" || len(sel.Lines) != 0 || len(sel.Surfaces) != 1 {
		t.Errorf("selection by code = %+v", sel)
	}

	if n, _ := p.PointCount(t.Context(), Selection{SourceIDs: []int64{s.ID + 1}}); n != 0 {
		t.Errorf("count of other source = %d", n)
	}

	if err := p.DeleteSource(t.Context(), s.ID); err != nil {
		t.Fatal(err)
	}

	if n, _ := p.PointCount(t.Context(), Selection{}); n != 0 {
		t.Errorf("points after delete = %d", n)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		read StreamFunc
		want error
	}{
		{"read error mid-file", func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
			for i := range 5000 {
				if err := emit(survey.Point{ID: strconv.Itoa(i)}); err != nil {
					return nil, err
				}
			}

			return nil, boom
		}, boom},
		{"bad surface after points", func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
			emit(survey.Point{ID: "x"})

			return &survey.Dataset{Surfaces: []survey.Surface{{Triangles: [][3]int{{0, 1, 5}}}}}, nil
		}, nil},
		{"nothing", func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
			return &survey.Dataset{Observations: 23, Warnings: []survey.Warning{{File: "r.gsi", Msg: "no station"}}}, nil
		}, ErrNothingToImport},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts("a")}, SourceInfo{Name: "first"}, ImportOptions{}); err != nil {
				t.Fatal(err)
			}

			_, err := p.ImportStream(t.Context(), SourceInfo{Name: "bad"}, ImportOptions{}, tt.read)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}

			srcs, _ := p.Sources(t.Context())
			if len(srcs) != 1 || srcs[0].Name != "first" {
				t.Errorf("sources after failed import: %+v", srcs)
			}

			if got := ids(t, p); !cmp.Equal(got, []string{"a"}) {
				t.Errorf("points after failed import: %v", got)
			}
		})
	}
}

func TestImportCancelled(t *testing.T) {
	p := newProject(t)
	ctx, cancel := context.WithCancel(t.Context())
	_, err := p.ImportStream(ctx, SourceInfo{Name: "c"}, ImportOptions{}, func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
		for i := range 10000 {
			if i == 5000 {
				cancel()
			}

			if err := emit(survey.Point{ID: strconv.Itoa(i)}); err != nil {
				return nil, err
			}
		}

		return &survey.Dataset{}, nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}

	if n, _ := p.PointCount(t.Context(), Selection{}); n != 0 {
		t.Errorf("points = %d", n)
	}
}

func TestDuplicates(t *testing.T) {
	tests := []struct {
		dup     Duplicates
		want    []string
		codes   map[string]string
		counted func(ImportResult) int
		n       int
	}{
		{Skip, []string{"1", "2", "3", "4"}, map[string]string{"2": "old"}, func(r ImportResult) int { return r.Skipped }, 2},
		{Overwrite, []string{"1", "2", "3", "4"}, map[string]string{"2": "new"}, func(r ImportResult) int { return r.Overwritten }, 2},
		{Rename, []string{"1", "2", "3", "2_1", "3_2", "4", "4_1"}, map[string]string{"2": "old", "2_1": "new"},
			func(r ImportResult) int { return r.Renamed }, 2},
	}

	for _, tt := range tests {
		t.Run(string(tt.dup), func(t *testing.T) {
			p := newProject(t)
			old := &survey.Dataset{Points: []survey.Point{{ID: "1"}, {ID: "2", Code: "old"}, {ID: "3"}}}
			if tt.dup == Rename {
				old.Points = append(old.Points, survey.Point{ID: "3_1"})
			}

			if _, err := p.Import(t.Context(), old, SourceInfo{Name: "old"}, ImportOptions{}); err != nil {
				t.Fatal(err)
			}

			nw := &survey.Dataset{Points: []survey.Point{{ID: "2", Code: "new"}, {ID: "3", Code: "new"}, {ID: "4"}}}
			if tt.dup == Rename {
				nw.Points = append(nw.Points, survey.Point{ID: "4"}) // repeated within the file: kept
			}

			res, err := p.Import(t.Context(), nw, SourceInfo{Name: "new"}, ImportOptions{Duplicates: tt.dup})
			if err != nil {
				t.Fatal(err)
			}

			if got := tt.counted(res); got != tt.n {
				t.Errorf("count = %d, want %d (%+v)", got, tt.n, res)
			}

			var got []string
			codes := map[string]string{}
			p.EachPoint(t.Context(), Selection{}, func(r PointRow) error {
				got = append(got, r.ID)
				codes[r.ID] = r.Code

				return nil
			})
			if tt.dup == Rename {
				tt.want = []string{"1", "2", "3", "3_1", "2_1", "3_2", "4", "4"}
				if _, has := codes["4_1"]; has {
					t.Error("repeated id within one file renamed")
				}
			}

			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}

			for id, c := range tt.codes {
				if codes[id] != c {
					t.Errorf("code of %s = %q, want %q", id, codes[id], c)
				}
			}
		})
	}
}

func TestProcoreNewerVersion(t *testing.T) {
	p := newProject(t)
	ref := func(v int64) SourceInfo {
		return SourceInfo{Name: "topo.csv", Format: "csv", Procore: &ProcoreRef{CompanyID: 1, ProjectID: 2,
			FileID: 3, VersionID: 100 + v, VersionNumber: v, Path: "Survey/topo.csv"}}
	}

	if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts("other")}, SourceInfo{Name: "local"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	v1 := &survey.Dataset{Points: []survey.Point{{ID: "1", N: 1}, {ID: "2", N: 2}, {ID: "3", N: 3, Z: 1, HasZ: true}},
		Lines: []survey.Line{{Code: "old line"}}}
	r1, err := p.Import(t.Context(), v1, ref(1), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	v2 := &survey.Dataset{Points: []survey.Point{{ID: "2", N: 2}, {ID: "3", N: 3}, {ID: "4", N: 4}, {ID: "5"}}}
	r2, err := p.Import(t.Context(), v2, ref(2), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if r2.Added != 2 || r2.Changed != 1 || r2.Removed != 1 || !cmp.Equal(r2.ReplacedSources, []int64{r1.SourceID}) {
		t.Errorf("result = %+v", r2)
	}

	if got := ids(t, p); !cmp.Equal(got, []string{"other", "2", "3", "4", "5"}) {
		t.Errorf("ids = %v", got)
	}

	srcs, _ := p.Sources(t.Context())
	if len(srcs) != 2 || srcs[1].Procore.VersionNumber != 2 || srcs[1].Procore.Path != "Survey/topo.csv" {
		t.Errorf("sources = %+v", srcs)
	}

	if lines, _ := p.Lines(t.Context(), Selection{}); len(lines) != 0 {
		t.Errorf("old version's lines kept: %v", lines)
	}

	if _, err := p.Import(t.Context(), v1, ref(1), ImportOptions{}); !errors.Is(err, ErrOlderVersion) {
		t.Errorf("older version: %v", err)
	}
}

func TestPointsPage(t *testing.T) {
	p := newProject(t)
	const n = 3000
	_, err := p.ImportStream(t.Context(), SourceInfo{Name: "big"}, ImportOptions{}, func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
		for i := range n {
			if err := emit(survey.Point{ID: fmt.Sprint(i), E: float64(i)}); err != nil {
				return nil, err
			}
		}

		return &survey.Dataset{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, off := range []int{2500, 0, 1023, 1024, 2047, 2048, 2500, 2995, 3000, 5000} {
		page, err := p.PointsPage(t.Context(), off, 10)
		if err != nil {
			t.Fatal(err)
		}

		wantLen := max(0, min(10, n-off))
		if len(page) != wantLen || (wantLen > 0 && page[0].ID != fmt.Sprint(off)) {
			t.Errorf("page at %d: %d rows, first %v", off, len(page), page)
		}
	}

	// A delete invalidates the cached anchors.
	srcs, _ := p.Sources(t.Context())
	p.DeleteSource(t.Context(), srcs[0].ID)
	if page, _ := p.PointsPage(t.Context(), 0, 10); len(page) != 0 {
		t.Errorf("page after delete: %v", page)
	}

	after, err := p.Points(t.Context(), Selection{}, 0, 5)
	if err != nil || len(after) != 0 {
		t.Errorf("Points = %v, %v", after, err)
	}
}

func TestAttachments(t *testing.T) {
	p := newProject(t)
	path := p.ProcorePath("Drawings", "plan.pdf")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("%PDF-1.7 test"), 0o644)
	src := SourceInfo{Procore: &ProcoreRef{CompanyID: 1, ProjectID: 2, FileID: 9, VersionNumber: 1}}
	a, err := p.AddAttachment(t.Context(), path, "pdf", src)
	if err != nil {
		t.Fatal(err)
	}

	if a.Name != "plan.pdf" || a.Size != 13 || len(a.SHA256) != 64 || a.Path != "Procore/Drawings/plan.pdf" ||
		p.AbsPath(a) != path {
		t.Errorf("attachment = %+v", a)
	}

	src.Procore.VersionNumber = 2
	if _, err := p.AddAttachment(t.Context(), path, "pdf", src); err != nil {
		t.Fatal(err)
	}

	list, err := p.Attachments(t.Context())
	if err != nil || len(list) != 1 {
		t.Fatalf("attachments = %v, %v", list, err)
	}

	srcs, _ := p.Sources(t.Context())
	if len(srcs) != 1 || srcs[0].Attachments != 1 || srcs[0].Format != "attachment" {
		t.Errorf("sources = %+v", srcs)
	}
}

func TestSelectParallelHalves(t *testing.T) {
	old := parallelMin
	parallelMin = 10
	t.Cleanup(func() { parallelMin = old })

	p := newProject(t)
	var want []survey.Point
	for i := range 101 {
		pt := survey.Point{ID: fmt.Sprint(i), Code: "C", E: float64(i), N: -float64(i), Z: 1, HasZ: i%2 == 0}
		if !pt.HasZ {
			pt.Z = 0
		}

		want = append(want, pt)
	}

	want[5].Attrs = map[string]string{"k": "v"}
	if _, err := p.Import(t.Context(), &survey.Dataset{Points: want}, SourceInfo{Name: "a"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	got, err := p.Select(t.Context(), Selection{})
	if err != nil {
		t.Fatal(err)
	}

	if d := cmp.Diff(want, got.Points); d != "" {
		t.Errorf("select (-want +got):\n%s", d)
	}

	got, _ = p.Select(t.Context(), Selection{Codes: []string{"nope"}})
	if len(got.Points) != 0 {
		t.Errorf("points = %d", len(got.Points))
	}
}

func TestImportNonFinite(t *testing.T) {
	p := newProject(t)
	ds := &survey.Dataset{Points: []survey.Point{{ID: "nan", E: math.NaN()}, {ID: "infz", Z: math.Inf(1), HasZ: true}, {ID: "ok"}}}
	res, err := p.Import(t.Context(), ds, SourceInfo{Name: "odd"}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if res.Points != 2 || len(res.Warnings) != 2 {
		t.Errorf("result = %+v", res)
	}

	got, _ := p.Select(t.Context(), Selection{})
	if len(got.Points) != 2 || got.Points[0].HasZ {
		t.Errorf("points = %+v", got.Points)
	}
}

// TestImportMessagesCountOne: the warnings and the error of an import say
// "1 point", "1 observation", never "1 points".
func TestImportMessagesCountOne(t *testing.T) {
	p := newProject(t)
	ds := &survey.Dataset{Points: []survey.Point{
		{ID: "nan", E: math.NaN()}, {ID: "infz", Z: math.Inf(1), HasZ: true}, {ID: "ok"},
	}}
	res, err := p.Import(t.Context(), ds, SourceInfo{Name: "odd"}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	var msgs []string
	for _, w := range res.Warnings {
		msgs = append(msgs, w.Msg)
	}
	want := []string{"1 point with non-finite coordinates skipped",
		"1 non-finite elevation read as no elevation"}
	if !slices.Equal(msgs, want) {
		t.Errorf("warnings = %q, want %q", msgs, want)
	}

	obs := &survey.Dataset{Observations: 1, Warnings: []survey.Warning{{File: "raw", Msg: "w"}}}
	_, err = p.Import(t.Context(), obs, SourceInfo{Name: "raw"}, ImportOptions{})
	if !errors.Is(err, ErrNothingToImport) ||
		!strings.Contains(err.Error(), "(1 observation, 1 warning)") {
		t.Errorf("err = %v, want one observation and one warning", err)
	}
}

// TestImportAllSkipped: a file whose every point is skipped as a duplicate
// records no empty source and says "nothing new"; one that brings anything
// new is recorded as before.
func TestImportAllSkipped(t *testing.T) {
	line := survey.Line{Code: "A", Vertices: []survey.Vertex{{E: 0, N: 0}, {E: 1, N: 1}}}
	tests := []struct {
		name       string
		again      *survey.Dataset
		nothingNew bool
		sources    int
	}{
		{"all points taken", &survey.Dataset{Points: pts("1", "2")}, true, 1},
		{"one new point", &survey.Dataset{Points: pts("1", "2", "3")}, false, 2},
		{"taken points and a line", &survey.Dataset{Points: pts("1"), Lines: []survey.Line{line}}, false, 2},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts("1", "2")},
				SourceInfo{Name: "a.csv"}, ImportOptions{}); err != nil {
				t.Fatal(err)
			}

			res, err := p.Import(t.Context(), tt.again, SourceInfo{Name: "b.csv"}, ImportOptions{Duplicates: Skip})
			if err != nil {
				t.Fatal(err)
			}

			if res.NothingNew != tt.nothingNew || (tt.nothingNew && (res.SourceID != 0 || res.Skipped != 2)) {
				t.Errorf("result %+v, want NothingNew %v", res, tt.nothingNew)
			}

			srcs, err := p.Sources(t.Context())
			if err != nil || len(srcs) != tt.sources {
				t.Errorf("sources %+v, %v, want %d", srcs, err, tt.sources)
			}
		})
	}
}

// TestLinesVertices: each selected line gets its own vertices, in order,
// when several lines (one without vertices) are read back at once.
func TestLinesVertices(t *testing.T) {
	p := newProject(t)
	v := func(e float64) survey.Vertex { return survey.Vertex{E: e, N: e} }
	ds := &survey.Dataset{Lines: []survey.Line{
		{Code: "A", Vertices: []survey.Vertex{v(1), v(2), v(3)}},
		{Code: "B"},
		{Code: "A", Vertices: []survey.Vertex{v(4), {E: 5, N: 5, Z: 6, HasZ: true}}},
		{Code: "C", Vertices: []survey.Vertex{v(7), v(8)}},
	}}
	if _, err := p.Import(t.Context(), ds, SourceInfo{Name: "l.dxf", Format: "dxf"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		codes []string
		want  []survey.Line
	}{
		{nil, ds.Lines},
		{[]string{"A"}, []survey.Line{ds.Lines[0], ds.Lines[2]}},
		{[]string{"B", "C"}, []survey.Line{ds.Lines[1], ds.Lines[3]}},
	}
	for _, tt := range tests {
		rows, err := p.Lines(t.Context(), Selection{Codes: tt.codes})
		if err != nil {
			t.Fatal(err)
		}

		var got []survey.Line
		for _, r := range rows {
			got = append(got, r.Line)
		}

		if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("codes %v (-want +got):\n%s", tt.codes, d)
		}
	}
}
