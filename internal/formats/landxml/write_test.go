package landxml

import (
	"bytes"
	"encoding/xml"
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
		CRS: "EPSG:25832",
		Points: []survey.Point{
			{ID: "1", Code: "TREE", E: 515836.123, N: 5258712.987, Z: -3.079, HasZ: true},
			{ID: "STAZ 3", Code: `TOP WALL 18" WI`, E: -1.5, N: 2.25},
			{ID: "Höhe°", Code: "a&b<c>\ttab", E: 0.001, N: 0.002, Z: 0, HasZ: true,
				Attrs: map[string]string{"desc": "oak"}},
		},
		Surfaces: []survey.Surface{{
			Name: "Ground",
			Vertices: []survey.Vertex{
				{E: 0, N: 0, Z: 1, HasZ: true}, {E: 10, N: 0, Z: 2, HasZ: true},
				{E: 10, N: 10, Z: 3, HasZ: true}, {E: 0, N: 10, Z: 4, HasZ: true},
			},
			Triangles: [][3]int{{0, 1, 2}, {0, 2, 3}},
		}},
		Lines: []survey.Line{
			{Name: "EP", Code: "EDGE", Vertices: []survey.Vertex{
				{E: 0, N: 0, Z: 1, HasZ: true}, {E: 5, N: 5, Z: 2, HasZ: true}, {E: 9, N: 1, Z: 3, HasZ: true},
			}},
			{Name: "BLDG", Code: "BLDG", Closed: true, Vertices: []survey.Vertex{
				{E: 0, N: 0}, {E: 5, N: 0}, {E: 5, N: 5}, {E: 0, N: 5},
			}},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	in := sampleDataset()
	for _, s := range []WriteSettings{{}, {Unit: survey.USSurveyFoot}, {Unit: survey.Foot, Decimals: 8}} {
		var buf bytes.Buffer
		if err := Write(t.Context(), &buf, in, s); err != nil {
			t.Fatal(err)
		}

		out, err := Read(t.Context(), &buf, "rt.xml", ReadSettings{})
		if err != nil {
			t.Fatal(err)
		}

		formattest.EqualGeometry(t, fmt.Sprintf("%+v", s), in, out)

		if out.CRS != in.CRS || len(out.Warnings) != 0 {
			t.Errorf("CRS %q warnings %v", out.CRS, out.Warnings)
		}

		want := survey.Metre
		if s.Unit != "" {
			want = s.Unit
		}

		if out.SourceUnit != want {
			t.Errorf("unit %q, want %q", out.SourceUnit, want)
		}
	}
}

// TestSampleRoundTrip reads each sample, writes it and reads it back.
func TestSampleRoundTrip(t *testing.T) {
	for _, name := range []string{
		"landxml12_tops_cgpoints_survey_grads.xml", "landxml12_tin_ussurveyfoot_blender_S3.xml",
		"landxml11_civil3d2007_planfeature_ddmmss.xml", "jlandxml12_japanese_utf8_2d_cgpoints.xml",
	} {
		in := readBytes(t, samplefiles.ReadFile(t, name), name)
		var buf bytes.Buffer
		if err := Write(t.Context(), &buf, in, WriteSettings{}); err != nil {
			t.Fatal(err)
		}

		out := readBytes(t, buf.Bytes(), name)
		for i := range in.Points {
			in.Points[i].Attrs = nil // only desc survives as an attribute
		}

		for i := range out.Points {
			out.Points[i].Attrs = nil
		}

		formattest.EqualGeometry(t, name, in, out)
	}
}

func TestWriteValidAndDeterministic(t *testing.T) {
	ds := sampleDataset()
	s := WriteSettings{Date: "2026-12-03", Time: "17:00:00", Project: "Demo", ApplicationVersion: "1.0"}
	var a, b bytes.Buffer
	if err := Write(t.Context(), &a, ds, s); err != nil {
		t.Fatal(err)
	}

	if err := Write(t.Context(), &b, ds, s); err != nil {
		t.Fatal(err)
	}

	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes differ")
	}

	out := a.String()
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>`, `xmlns="http://www.landxml.org/schema/LandXML-1.2"`,
		`date="2026-12-03" time="17:00:00" version="1.2"`, `<Metric `, `linearUnit="meter"`,
		`<Application name="Backsight"`, `<CoordinateSystem epsgCode="25832"/>`,
		`<CgPoint name="1" code="TREE">5258712.987 515836.123 -3.079</CgPoint>`,
		`<CgPoint name="STAZ 3" code="TOP WALL 18&quot; WI">2.25 -1.5</CgPoint>`,
		`<P id="1">0 0 1</P>`, `<F>1 2 3</F>`, `<Definition surfType="TIN">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}

	if strings.HasPrefix(out, "\ufeff") {
		t.Error("output has a BOM")
	}

	// Well-formed: the standard decoder reads it to the end.
	dec := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}

		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
}

func BenchmarkWrite1M(b *testing.B) {
	ds := &survey.Dataset{Points: make([]survey.Point, 1_000_000)}
	for i := range ds.Points {
		ds.Points[i] = survey.Point{
			ID: strconv.Itoa(i + 1), Code: "TOPO", E: 500000 + float64(i)*0.001,
			N: 5200000 + float64(i%1000)*0.137, Z: 100 + float64(i%97)*0.01, HasZ: true,
		}
	}

	b.ResetTimer()
	for b.Loop() {
		if err := Write(b.Context(), io.Discard, ds, WriteSettings{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	formattest.BenchRead(b, 200_000, func(w io.Writer, ds *survey.Dataset) error {
		return Write(b.Context(), w, ds, WriteSettings{Decimals: 3})
	}, func(r io.Reader) error {
		_, err := Read(b.Context(), r, "b.xml", ReadSettings{})

		return err
	})
}
