package dxf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/formats/internal/formattest"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func sampleDataset() *survey.Dataset {
	return &survey.Dataset{
		Points: []survey.Point{
			{ID: "1", Code: "TREE", E: 515836.123, N: 5258712.987, Z: -3.079, HasZ: true},
			{ID: "STAZ 3", Code: "Höhe", E: -1.5, N: 2.25},
			{ID: "道路 5%%d", Code: "FENCE 1", E: 10.001, N: 10.002, Z: 0, HasZ: true},
			{ID: "no code", E: 20, N: 20, Z: 1, HasZ: true},
		},
		Lines: []survey.Line{
			{Code: "EDGE", Vertices: []survey.Vertex{
				{E: 0, N: 0, Z: 1, HasZ: true}, {E: 5, N: 5, Z: 2, HasZ: true}, {E: 9, N: 1, Z: 3, HasZ: true},
			}},
			{Code: "BLDG", Closed: true, Vertices: []survey.Vertex{
				{E: 0, N: 0}, {E: 5, N: 0}, {E: 5, N: 5}, {E: 0, N: 5},
			}},
		},
		Surfaces: []survey.Surface{{
			Name: "Ground",
			Vertices: []survey.Vertex{
				{E: 0, N: 0, Z: 1, HasZ: true}, {E: 10, N: 0, Z: 2, HasZ: true},
				{E: 10, N: 10, Z: 3, HasZ: true}, {E: 0, N: 10, Z: 4, HasZ: true},
			},
			Triangles: [][3]int{{0, 1, 2}, {0, 2, 3}},
		}},
	}
}

func TestRoundTrip(t *testing.T) {
	in := sampleDataset()
	for _, s := range []WriteSettings{{}, {Unit: survey.USSurveyFoot}, {Decimals: 6}} {
		var buf bytes.Buffer
		if err := Write(t.Context(), &buf, in, s); err != nil {
			t.Fatal(err)
		}

		out, err := Read(t.Context(), &buf, "rt.dxf", ReadSettings{Unit: s.Unit, PairLabels: true})
		if err != nil {
			t.Fatal(err)
		}

		formattest.EqualGeometry(t, fmt.Sprintf("%+v", s), in, out)

		if len(out.Warnings) != 0 {
			t.Errorf("warnings %v", out.Warnings)
		}
	}
}

func TestSampleRoundTrip(t *testing.T) {
	for _, name := range []string{"dxf_r12label_leica_disto_s910.dxf", "DXF_r12_polyline_vertex_POLI-ALL210_12.DXF"} {
		b := samplefiles.ReadFile(t, name)
		in, err := Read(t.Context(), bytes.NewReader(b), name, ReadSettings{PairLabels: true})
		if err != nil {
			t.Fatal(err)
		}

		var buf bytes.Buffer
		if err := Write(t.Context(), &buf, in, WriteSettings{}); err != nil {
			t.Fatal(err)
		}

		out, err := Read(t.Context(), &buf, name, ReadSettings{PairLabels: true})
		if err != nil {
			t.Fatal(err)
		}

		formattest.EqualGeometry(t, name, in, out)
	}
}

func TestWriteFormat(t *testing.T) {
	ds := sampleDataset()
	var a, b bytes.Buffer
	if err := Write(t.Context(), &a, ds, WriteSettings{LabelElevation: true, LabelCode: true}); err != nil {
		t.Fatal(err)
	}

	if err := Write(t.Context(), &b, ds, WriteSettings{LabelElevation: true, LabelCode: true}); err != nil {
		t.Fatal(err)
	}

	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes differ")
	}

	out := a.String()
	for _, want := range []string{
		"$ACADVER\r\n  1\r\nAC1009\r\n", "$DWGCODEPAGE\r\n  3\r\nANSI_1252\r\n",
		"  0\r\nLAYER\r\n  2\r\nH\xf6he\r\n", `\U+9053\U+8DEF 5%%%%%%d`,
		"  0\r\nPOLYLINE\r\n  8\r\nEDGE\r\n 66\r\n1\r\n", " 70\r\n8\r\n", " 70\r\n32\r\n",
		"  0\r\n3DFACE\r\n  8\r\nGround\r\n", "  1\r\n-3.079\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	if n := strings.Count(out, "  0\r\nLAYER\r\n"); n != 7 { // 0 BLDG EDGE FENCE 1 Ground Höhe TREE
		t.Errorf("layers: %d", n)
	}
}

func BenchmarkRead(b *testing.B) {
	formattest.BenchRead(b, 100_000, func(w io.Writer, ds *survey.Dataset) error {
		return Write(b.Context(), w, ds, WriteSettings{Decimals: 3})
	}, func(r io.Reader) error {
		_, err := Read(b.Context(), r, "b.dxf", ReadSettings{PairLabels: true})

		return err
	})
}

func BenchmarkWrite(b *testing.B) {
	ds := &survey.Dataset{Points: make([]survey.Point, 1_000_000)}
	for i := range ds.Points {
		ds.Points[i] = survey.Point{ID: strconv.Itoa(i), Code: "TOPO", E: float64(i) * 0.01, N: 2, Z: 3, HasZ: true}
	}

	b.ResetTimer()
	for b.Loop() {
		if err := Write(b.Context(), io.Discard, ds, WriteSettings{}); err != nil {
			b.Fatal(err)
		}
	}
}
