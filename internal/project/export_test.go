package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
)

func TestExport(t *testing.T) {
	p := newProject(t)
	ds := &survey.Dataset{Points: []survey.Point{
		{ID: "1", Code: "A", E: 0.3048, N: 0.6096, Z: 0.9144, HasZ: true},
		{ID: "2", Code: "B", E: 1, N: 2},
	}, Lines: []survey.Line{{Code: "A", Vertices: []survey.Vertex{{E: 0, N: 0}, {E: 1, N: 1}}}}}
	if _, err := p.Import(t.Context(), ds, SourceInfo{Name: "a"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	fs := formats.Settings{}.WithUnit(survey.Foot)
	var b bytes.Buffer
	c, err := p.Export(t.Context(), &b, formats.CSV, Selection{Codes: []string{"A"}}, fs)
	if err != nil {
		t.Fatal(err)
	}

	if b.String() != "1,2.000,1.000,3.000,A\n" || c.Points != 1 {
		t.Errorf("csv = %q, counts %+v", b.String(), c)
	}

	dir := t.TempDir()
	for _, f := range []string{formats.CSV, formats.LandXML, formats.DXF, formats.GeoJSON, formats.GSI} {
		path := filepath.Join(dir, "out"+formats.DefaultExt(f))
		if _, err := p.ExportFile(t.Context(), path, f, Selection{}, formats.Settings{}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}

		first, _ := os.ReadFile(path)
		p.ExportFile(t.Context(), path, f, Selection{}, formats.Settings{})
		second, _ := os.ReadFile(path)
		if len(first) == 0 || !bytes.Equal(first, second) {
			t.Errorf("%s: export empty or not deterministic", f)
		}

		back, err := formats.ReadFile(t.Context(), path, "", formats.Settings{})
		if err != nil || len(back.Points) != 2 {
			t.Errorf("%s: read back %v, %v", f, back, err)
		}
	}

	_, err = p.ExportFile(t.Context(), filepath.Join(dir, "none.csv"), formats.CSV, Selection{Codes: []string{"Z"}}, fs)
	if !errors.Is(err, ErrNothingToExport) {
		t.Errorf("empty selection: %v", err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.ExportFile(ctx, filepath.Join(dir, "cancelled.xml"), formats.LandXML, Selection{}, fs); err == nil {
		t.Error("cancelled export succeeded")
	}

	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".tmp" || e.Name() == "cancelled.xml" || e.Name() == "none.csv" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestExportFileErrorNamesTheFile(t *testing.T) {
	p := newProject(t)
	ds := &survey.Dataset{Points: []survey.Point{{ID: "1", E: 1, N: 2}}}
	if _, err := p.Import(t.Context(), ds, SourceInfo{Name: "a"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "missing", "out.csv")
	_, err := p.ExportFile(t.Context(), path, formats.CSV, Selection{}, formats.Settings{})

	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Path != path || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want a PathError naming %s", err, path)
	}
}

// TestExportNothingTheFormatHolds: a selection whose only data the format
// cannot hold (a TIN as CSV or GSI) is refused with a sentence naming what
// the format holds, and an existing file at the path is left as it was.
func TestExportNothingTheFormatHolds(t *testing.T) {
	p := newProject(t)
	tin := survey.Surface{Name: "EG", Vertices: []survey.Vertex{{E: 0, N: 0, Z: 1, HasZ: true},
		{E: 1, N: 0, Z: 1, HasZ: true}, {E: 0, N: 1, Z: 1, HasZ: true}}, Triangles: [][3]int{{0, 1, 2}}}
	if _, err := p.Import(t.Context(), &survey.Dataset{Surfaces: []survey.Surface{tin}},
		SourceInfo{Name: "tin.xml"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	tests := []struct {
		format string
		refuse bool
	}{
		{formats.CSV, true},
		{formats.GSI, true},
		{formats.LandXML, false},
		{formats.DXF, false},
		{formats.GeoJSON, false},
	}

	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			path := filepath.Join(dir, "out"+formats.DefaultExt(tt.format))
			if err := os.WriteFile(path, []byte("earlier export\n"), 0o644); err != nil {
				t.Fatal(err)
			}

			_, err := p.ExportFile(t.Context(), path, tt.format, Selection{}, formats.Settings{})
			got, _ := os.ReadFile(path)
			if !tt.refuse {
				if err != nil || string(got) == "earlier export\n" {
					t.Fatalf("err %v, file %q", err, got)
				}

				return
			}

			var ne *NothingToExportError
			if !errors.Is(err, ErrNothingToExport) || !errors.As(err, &ne) {
				t.Fatalf("err = %v, want a NothingToExportError", err)
			}

			if s := ne.Sentence(); !strings.Contains(s, "holds points only") ||
				!strings.Contains(s, "1 surface") {
				t.Errorf("sentence %q", s)
			}

			if string(got) != "earlier export\n" {
				t.Errorf("existing file replaced by %q", got)
			}
		})
	}
}

// TestExportFileMode: exports are readable by others (0644), not the 0600
// of a temporary file, so they work in shared folders.
func TestExportFileMode(t *testing.T) {
	p := newProject(t)
	if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts("1")}, SourceInfo{Name: "a"},
		ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "out.csv")
	if _, err := p.ExportFile(t.Context(), path, formats.CSV, Selection{}, formats.Settings{}); err != nil {
		t.Fatal(err)
	}

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

// TestExportDeterministicOverTime: two exports of the same data a second
// apart are byte-identical in every format (survey-formats.md §9); the
// LandXML header time is the latest import time of what is exported.
func TestExportDeterministicOverTime(t *testing.T) {
	p := newProject(t)
	older := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	newer := time.Date(2026, 3, 2, 9, 30, 15, 500, time.FixedZone("CET", 3600))
	ds := &survey.Dataset{Points: pts("1", "2"), Lines: []survey.Line{{Code: "A",
		Vertices: []survey.Vertex{{E: 0, N: 0}, {E: 1, N: 1}}}}}
	if _, err := p.Import(t.Context(), ds, SourceInfo{Name: "a", ImportedAt: older}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	if _, err := p.Import(t.Context(), &survey.Dataset{Points: pts("3")},
		SourceInfo{Name: "b", ImportedAt: newer}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	for _, f := range []string{formats.CSV, formats.LandXML, formats.DXF, formats.GeoJSON, formats.GSI} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			var outs [2][]byte
			for i := range outs {
				if i == 1 {
					time.Sleep(1100 * time.Millisecond)
				}

				path := filepath.Join(dir, fmt.Sprint(i, "out", formats.DefaultExt(f)))
				if _, err := p.ExportFile(t.Context(), path, f, Selection{}, formats.Settings{}); err != nil {
					t.Fatal(err)
				}

				outs[i], _ = os.ReadFile(path)
			}

			if !bytes.Equal(outs[0], outs[1]) {
				t.Errorf("exports a second apart differ:\n%s\n---\n%s", outs[0], outs[1])
			}

			if f == formats.LandXML && !bytes.Contains(outs[0], []byte(`date="2026-03-02" time="08:30:15"`)) {
				t.Errorf("LandXML header not the latest import time (UTC):\n%.400s", outs[0])
			}
		})
	}
}

func TestDataTime(t *testing.T) {
	p := newProject(t)
	created, err := p.CreatedAt(t.Context())
	if err != nil || created.IsZero() {
		t.Fatalf("created at %v, %v", created, err)
	}

	if at, _ := p.DataTime(t.Context(), Selection{}); !at.Equal(created) {
		t.Errorf("empty project: %v, want the creation time %v", at, created)
	}

	a := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	ra, _ := p.Import(t.Context(), &survey.Dataset{Points: pts("1")}, SourceInfo{Name: "a", ImportedAt: a},
		ImportOptions{})
	p.Import(t.Context(), &survey.Dataset{Points: []survey.Point{{ID: "9", Code: "Q"}}},
		SourceInfo{Name: "b", ImportedAt: b}, ImportOptions{})

	tests := []struct {
		name string
		sel  Selection
		want time.Time
	}{
		{"all", Selection{}, b},
		{"one source", Selection{SourceIDs: []int64{ra.SourceID}}, a},
		{"codes of the older source", Selection{Codes: []string{"C1"}}, a},
		{"no code matches", Selection{Codes: []string{"none"}}, created},
	}

	for _, tt := range tests {
		if got, err := p.DataTime(t.Context(), tt.sel); err != nil || !got.Equal(tt.want) {
			t.Errorf("%s: %v, %v, want %v", tt.name, got, err, tt.want)
		}
	}
}

// TestExportGSIWarnings: an id GSI cannot hold is written changed and
// reported, not a failed export.
func TestExportGSIWarnings(t *testing.T) {
	p := newProject(t)
	if _, err := p.Import(t.Context(), &survey.Dataset{Points: []survey.Point{{ID: "BP (NO.-4-10)", E: 1, N: 2}}},
		SourceInfo{Name: "j.xml"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	r, err := p.ExportFileReport(t.Context(), filepath.Join(t.TempDir(), "o.gsi"), formats.GSI,
		Selection{}, formats.Settings{})
	if err != nil || r.Points != 1 || len(r.Warnings) != 1 ||
		!strings.Contains(r.Warnings[0].Msg, `"BP_(NO.-4-10)"`) ||
		!strings.HasPrefix(r.Warnings[0].String(), `o.gsi: point 1 "BP (NO.-4-10)": `) {
		t.Errorf("result %+v, err %v", r, err)
	}
}

// TestExportAliasColumnOrder: the streamed delimited export writes the
// column order a format alias names.
func TestExportAliasColumnOrder(t *testing.T) {
	p := newProject(t)
	ds := &survey.Dataset{Points: []survey.Point{{ID: "7", E: 2, N: 1, Z: 3, HasZ: true}}}
	if _, err := p.Import(t.Context(), ds, SourceInfo{Name: "a.csv"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	for format, want := range map[string]string{"xyz": "2.000,1.000,3.000\n",
		"penzd": "7,2.000,1.000,3.000,\n"} {
		var b strings.Builder
		_, err := p.ExportReport(t.Context(), &b, format, Selection{}, formats.Settings{})
		if err != nil || b.String() != want {
			t.Errorf("%s: %q, %v; want %q", format, b.String(), err, want)
		}
	}
}
