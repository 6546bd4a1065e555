package project

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

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
