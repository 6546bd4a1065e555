package project

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

// totals adds up what the project's sources hold.
type totals struct{ Sources, Points, Lines, Surfaces int }

func projectTotals(t *testing.T, p *Project) totals {
	t.Helper()
	srcs, err := p.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	out := totals{Sources: len(srcs)}
	for _, s := range srcs {
		out.Points += s.Points
		out.Lines += s.Lines
		out.Surfaces += s.Surfaces
	}

	return out
}

// outcome is the part of an ImportResult the re-import tests compare.
type outcome struct {
	Already, NothingNew, Replaced bool
	Linked                        bool
	Points, Lines, Surfaces       int
	Skipped, Overwritten, Renamed int
	SameLines, SameSurfaces       int
}

func outcomeOf(r ImportResult) outcome {
	return outcome{Already: r.AlreadyInProject, NothingNew: r.NothingNew,
		Replaced: len(r.ReplacedSources) > 0, Linked: r.LinkedToProcore, Points: r.Points, Lines: r.Lines,
		Surfaces: r.Surfaces, Skipped: r.Skipped, Overwritten: r.Overwritten, Renamed: r.Renamed,
		SameLines: r.SameLines, SameSurfaces: r.SameSurfaces}
}

// TestReimport: a file whose content is already a source adds nothing (or,
// with Overwrite, replaces that source); a changed file is a new source
// whose points follow the duplicate policy and whose lines and surfaces
// already in the project are not doubled; a newer Procore version of
// unchanged content is recorded.
func TestReimport(t *testing.T) {
	v := func(e float64) survey.Vertex { return survey.Vertex{E: e, N: e, Z: 1, HasZ: true} }
	lineA := survey.Line{Code: "A", Vertices: []survey.Vertex{v(0), v(1)}}
	lineB := survey.Line{Code: "B", Vertices: []survey.Vertex{v(2), v(3)}, Closed: true}
	tin := survey.Surface{Name: "EG", Vertices: []survey.Vertex{v(0), v(1), {E: 0, N: 1}},
		Triangles: [][3]int{{0, 1, 2}}}
	first := &survey.Dataset{Points: pts("1", "2"), Lines: []survey.Line{lineA}, Surfaces: []survey.Surface{tin}}
	changed := &survey.Dataset{Points: pts("1", "2", "3"), Lines: []survey.Line{lineA, lineB},
		Surfaces: []survey.Surface{tin}}
	moved := lineA
	moved.Vertices = []survey.Vertex{v(0), {E: 1, N: 1, Z: 1.001, HasZ: true}}

	local := func(sha string) SourceInfo { return SourceInfo{Name: "topo.dxf", Format: "dxf", SHA256: sha} }
	procore := func(sha string, version int64) SourceInfo {
		s := local(sha)
		s.Procore = &ProcoreRef{CompanyID: 1, ProjectID: 2, FileID: 3, VersionID: 100 + version,
			VersionNumber: version, Path: "Survey/topo.dxf"}

		return s
	}

	tests := []struct {
		name      string
		firstSrc  SourceInfo
		again     *survey.Dataset
		againSrc  SourceInfo
		dup       Duplicates
		want      outcome
		wantTotal totals
		version   int64 // of the last source, when set
	}{
		{"same content, skip", local("aa"), first, local("aa"), Skip,
			outcome{Already: true}, totals{1, 2, 1, 1}, 0},
		{"same content, rename", local("aa"), first, local("aa"), Rename,
			outcome{Already: true}, totals{1, 2, 1, 1}, 0},
		{"same content, other name", local("aa"), first, SourceInfo{Name: "copy.dxf", SHA256: "aa"}, Skip,
			outcome{Already: true}, totals{1, 2, 1, 1}, 0},
		{"same content, overwrite replaces the source", local("aa"), first, local("aa"), Overwrite,
			outcome{Replaced: true, Points: 2, Lines: 1, Surfaces: 1}, totals{1, 2, 1, 1}, 0},
		{"changed, skip", local("aa"), changed, local("bb"), Skip,
			outcome{Points: 1, Lines: 1, Skipped: 2, SameLines: 1, SameSurfaces: 1}, totals{2, 3, 2, 1}, 0},
		{"changed, rename", local("aa"), changed, local("bb"), Rename,
			outcome{Points: 3, Lines: 1, Renamed: 2, SameLines: 1, SameSurfaces: 1}, totals{2, 5, 2, 1}, 0},
		{"changed, overwrite", local("aa"), changed, local("bb"), Overwrite,
			outcome{Points: 3, Lines: 2, Surfaces: 1, Overwritten: 2, SameLines: 1, SameSurfaces: 1},
			totals{2, 3, 2, 1}, 0},
		{"changed, a line moved", local("aa"), &survey.Dataset{Lines: []survey.Line{moved}}, local("bb"), Skip,
			outcome{Lines: 1}, totals{2, 2, 2, 1}, 0},
		{"changed, nothing new", local("aa"), first, local("cc"), Skip,
			outcome{NothingNew: true, Skipped: 2, SameLines: 1, SameSurfaces: 1}, totals{1, 2, 1, 1}, 0},
		{"Procore version again", procore("aa", 1), first, procore("aa", 1), Skip,
			outcome{Already: true}, totals{1, 2, 1, 1}, 1},
		{"Procore version 2, same content", procore("aa", 1), first, procore("aa", 2), Skip,
			outcome{Replaced: true, Points: 2, Lines: 1, Surfaces: 1}, totals{1, 2, 1, 1}, 2},
		{"Procore version 2, changed", procore("aa", 1), changed, procore("bb", 2), Skip,
			outcome{Replaced: true, Points: 3, Lines: 2, Surfaces: 1}, totals{1, 3, 2, 1}, 2},
		{"local copy of a Procore file", procore("aa", 1), first, local("aa"), Skip,
			outcome{Already: true}, totals{1, 2, 1, 1}, 1},
		{"Procore copy of a local import links it", local("aa"), first, procore("aa", 1), Skip,
			outcome{Already: true, Linked: true}, totals{1, 2, 1, 1}, 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			r1, err := p.Import(t.Context(), first, tt.firstSrc, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}

			res, err := p.Import(t.Context(), tt.again, tt.againSrc, ImportOptions{Duplicates: tt.dup})
			if err != nil {
				t.Fatal(err)
			}

			if d := cmp.Diff(tt.want, outcomeOf(res)); d != "" {
				t.Errorf("result (-want +got):\n%s", d)
			}

			if tt.want.Already && (res.SourceID != r1.SourceID ||
				res.EarlierName != tt.firstSrc.Name) {
				t.Errorf("source %d %q, want the earlier %d %q", res.SourceID, res.EarlierName,
					r1.SourceID, tt.firstSrc.Name)
			}

			if d := cmp.Diff(tt.wantTotal, projectTotals(t, p)); d != "" {
				t.Errorf("project (-want +got):\n%s", d)
			}

			srcs, _ := p.Sources(t.Context())
			if last := srcs[len(srcs)-1]; tt.version != 0 &&
				(last.Procore == nil || last.Procore.VersionNumber != tt.version) {
				t.Errorf("last source %+v, want Procore version %d", last, tt.version)
			}
		})
	}
}

// TestReimportFile: the same DXF imported again through ImportFile, as a
// nightly script does, leaves the project as it was; with Overwrite it
// replaces the earlier import.
func TestReimportFile(t *testing.T) {
	path := samplefiles.Path(t, "dxf_r12label_leica_disto_s910.dxf")
	for _, dup := range []Duplicates{Skip, Rename, Overwrite} {
		t.Run(string(dup), func(t *testing.T) {
			p := newProject(t)
			if _, err := p.ImportFile(t.Context(), FileImport{Path: path}); err != nil {
				t.Fatal(err)
			}

			want := projectTotals(t, p)
			if want.Lines == 0 {
				t.Fatalf("sample brought no lines: %+v", want)
			}

			res, err := p.ImportFile(t.Context(), FileImport{Path: path,
				Options: ImportOptions{Duplicates: dup}})
			if err != nil {
				t.Fatal(err)
			}

			if res.AlreadyInProject != (dup != Overwrite) || (dup == Overwrite) != (len(res.ReplacedSources) == 1) {
				t.Errorf("result %+v", res)
			}

			if got := projectTotals(t, p); got != want {
				t.Errorf("project %+v, want %+v as before", got, want)
			}

			srcs, _ := p.Sources(t.Context())
			if srcs[0].Name != filepath.Base(path) || len(srcs[0].SHA256) != 64 {
				t.Errorf("source %+v", srcs[0])
			}
		})
	}
}

// TestOverwrittenCountsIDs: Overwrite counts the point ids whose existing
// point was replaced, not the rows deleted (an id the project holds more
// than once counts once).
func TestOverwrittenCountsIDs(t *testing.T) {
	tests := []struct {
		name      string
		old, nw   []string
		want, pts int
	}{
		{"one each", []string{"1", "2", "3"}, []string{"2", "3", "4"}, 2, 4},
		{"repeated in the project", []string{"1", "1", "2", "2", "2", "3"}, []string{"1", "2", "4"}, 2, 4},
		{"repeated in the file", []string{"1", "2"}, []string{"1", "1", "2", "5"}, 2, 4},
		{"none taken", []string{"1"}, []string{"2"}, 0, 2},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts(tt.old...)},
				SourceInfo{Name: "old.csv"}, ImportOptions{}); err != nil {
				t.Fatal(err)
			}

			res, err := p.Import(t.Context(), &survey.Dataset{Points: pts(tt.nw...)},
				SourceInfo{Name: "new.csv"}, ImportOptions{Duplicates: Overwrite})
			if err != nil {
				t.Fatal(err)
			}

			if res.Overwritten != tt.want || res.Overwritten > res.Points {
				t.Errorf("overwritten %d of %d points, want %d", res.Overwritten, res.Points, tt.want)
			}

			if n, _ := p.PointCount(t.Context(), Selection{}); n != tt.pts {
				t.Errorf("project holds %d points, want %d", n, tt.pts)
			}
		})
	}
}
