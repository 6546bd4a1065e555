package dxf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func read(t *testing.T, in string, s ReadSettings) *survey.Dataset {
	t.Helper()
	ds, err := Read(t.Context(), strings.NewReader(in), "t.dxf", s)
	if err != nil {
		t.Fatal(err)
	}

	return ds
}

// grp builds "code\nvalue\n" lines from alternating codes and values.
func grp(kv ...any) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, "%v\n%v\n", kv[i], kv[i+1])
	}

	return b.String()
}

// drawing wraps entities in a DXF with an optional HEADER.
func drawing(header, ents string) string {
	h := ""
	if header != "" {
		h = grp(0, "SECTION", 2, "HEADER") + header + grp(0, "ENDSEC")
	}

	return h + grp(0, "SECTION", 2, "ENTITIES") + ents + grp(0, "ENDSEC", 0, "EOF")
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func hasWarning(ds *survey.Dataset, sub string) bool {
	for _, w := range ds.Warnings {
		if strings.Contains(w.Msg, sub) {
			return true
		}
	}

	return false
}

func TestSampleLeicaDisto(t *testing.T) {
	b := samplefiles.ReadFile(t, "dxf_r12label_leica_disto_s910.dxf")
	ds, err := Read(t.Context(), bytes.NewReader(b), "disto.dxf", ReadSettings{PairLabels: true})
	if err != nil {
		t.Fatal(err)
	}

	if len(ds.Points) != 11 || len(ds.Lines) != 10 {
		t.Fatalf("points %d lines %d, want 11 and 10", len(ds.Points), len(ds.Lines))
	}

	for i, p := range ds.Points {
		want := fmt.Sprintf("%d (IMG_", i+1)
		if !strings.HasPrefix(p.ID, want) || !p.HasZ || p.Code != "LEICA_DISTO_POINT_ENTITY" {
			t.Errorf("point %d = %+v, want id %s…", i, p, want)
		}
	}

	if !near(ds.Points[0].Z, -1.078038) || len(ds.Warnings) != 0 {
		t.Errorf("first point %+v, warnings %v", ds.Points[0], ds.Warnings)
	}

	// Without pairing the 11 labels are reported, never silently dropped.
	ds, err = Read(t.Context(), bytes.NewReader(b), "disto.dxf", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	if ds.Points[0].ID != "1" || !hasWarning(ds, "11 TEXT/MTEXT labels not imported") {
		t.Errorf("unpaired: id %q warnings %v", ds.Points[0].ID, ds.Warnings)
	}
}

func TestSamplePolylines(t *testing.T) {
	b := samplefiles.ReadFile(t, "DXF_r12_polyline_vertex_POLI-ALL210_12.DXF")
	ds, err := Read(t.Context(), bytes.NewReader(b), "poli.dxf", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	closed, densified := 0, 0
	for _, l := range ds.Lines {
		if l.Closed {
			closed++
		}

		if len(l.Vertices) > 5 {
			densified++
		}
	}

	if len(ds.Lines) != 30 || closed != 14 || densified == 0 {
		t.Errorf("lines %d closed %d with arcs %d, want 30, 14, >0", len(ds.Lines), closed, densified)
	}

	if len(ds.Surfaces) != 1 || len(ds.Surfaces[0].Triangles) != 2 {
		t.Errorf("surfaces %+v, want the one 3DFACE quad as 2 triangles", ds.Surfaces)
	}
}

func TestBinaryAndDWGRefused(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want error
	}{
		{binarySentinel + "\x00\x00garbage", ErrBinary},
		{"AC1032\x00\x00\x00", ErrDWG},
	} {
		_, err := Read(t.Context(), strings.NewReader(tt.in), "b.dxf", ReadSettings{})
		var pe *survey.ParseError
		if !errors.Is(err, tt.want) || !errors.As(err, &pe) || pe.File != "b.dxf" {
			t.Errorf("err = %v, want %v in a ParseError", err, tt.want)
		}

		// The user-facing message says what to do once, without the Go prefix.
		if pe != nil && (strings.HasPrefix(pe.Msg, "dxf:") || !strings.Contains(pe.Msg, "ASCII DXF") ||
			strings.Count(err.Error(), "ASCII DXF") != 1) {
			t.Errorf("message %q (error %q): want the advice once, no package prefix", pe.Msg, err)
		}
	}

	if Sniff("x.dxf", []byte(binarySentinel)) < 90 {
		t.Error("binary DXF not sniffed")
	}
}

func TestUnknownSkippedAndCounted(t *testing.T) {
	in := grp(0, "SECTION", 2, "NEWTHING", 0, "FOO", 8, "x", 0, "ENDSEC") + drawing("",
		grp(0, "HATCH", 8, "H", 10, 1, 0, "SPLINE", 8, "S", 0, "HATCH", 8, "H",
			0, "POINT", 8, "P", 10, 1, 20, 2, 30, 3))
	ds := read(t, in, ReadSettings{})
	if len(ds.Points) != 1 || !hasWarning(ds, "skipped unsupported entities: HATCH 2, SPLINE 1") ||
		!hasWarning(ds, "skipped unknown sections: NEWTHING 1") {
		t.Errorf("points %d warnings %v", len(ds.Points), ds.Warnings)
	}
}

func TestR12WithSubclassMarkersAndLineEndings(t *testing.T) {
	ents := grp(0, "POINT", 100, "AcDbEntity", 8, "PTS", 100, "AcDbPoint", 10, "1.5", 20, " 2.5", 30, "-3")
	base := drawing(grp(9, "$ACADVER", 1, "AC1009"), ents)
	for name, in := range map[string]string{
		"LF":            base,
		"CRLF":          strings.ReplaceAll(base, "\n", "\r\n"),
		"CR only":       strings.ReplaceAll(base, "\n", "\r"),
		"padded codes":  strings.ReplaceAll(base, "\n10\n", "\n 10  \n"),
		"trailing junk": base + "\n\n",
	} {
		ds := read(t, in, ReadSettings{})
		if len(ds.Points) != 1 {
			t.Fatalf("%s: %d points", name, len(ds.Points))
		}

		p := ds.Points[0]
		if p.Code != "PTS" || !near(p.E, 1.5) || !near(p.N, 2.5) || !p.HasZ || !near(p.Z, -3) {
			t.Errorf("%s: %+v", name, p)
		}
	}
}

func TestLWPolylineElevationAndExtrusion(t *testing.T) {
	lw := grp(0, "LWPOLYLINE", 8, "CONTOUR", 90, 3, 70, 1, 38, "152.5",
		10, 0, 20, 0, 10, 10, 20, 0, 10, 10, 20, 10)
	ds := read(t, drawing("", lw), ReadSettings{})
	if len(ds.Lines) != 1 {
		t.Fatalf("lines %d", len(ds.Lines))
	}

	l := ds.Lines[0]
	if !l.Closed || len(l.Vertices) != 3 || l.Code != "CONTOUR" {
		t.Errorf("line %+v", l)
	}

	for _, v := range l.Vertices {
		if !v.HasZ || !near(v.Z, 152.5) {
			t.Errorf("vertex %+v, want Z 152.5 from code 38", v)
		}
	}

	// Extrusion (0,0,-1): the OCS x axis points west, so x=10 is E=-10, and
	// the elevation 5 lies at Z=-5.
	lw = grp(0, "LWPOLYLINE", 8, "M", 90, 2, 38, 5, 10, 10, 20, 3, 10, 0, 20, 0,
		210, 0, 220, 0, 230, -1)
	v := read(t, drawing("", lw), ReadSettings{}).Lines[0].Vertices[0]
	if !near(v.E, -10) || !near(v.N, 3) || !near(v.Z, -5) {
		t.Errorf("mirrored vertex %+v, want E -10 N 3 Z -5", v)
	}

	// No 38 and default extrusion: elevation unknown.
	lw = grp(0, "LWPOLYLINE", 8, "M", 90, 2, 10, 1, 20, 1, 10, 2, 20, 2)
	if v := read(t, drawing("", lw), ReadSettings{}).Lines[0].Vertices[0]; v.HasZ {
		t.Errorf("vertex %+v has a Z", v)
	}
}

func TestBulgeArc(t *testing.T) {
	// A half circle from (0,0) to (2,0), bulge 1 (ccw): it passes (1,-1).
	lw := grp(0, "LWPOLYLINE", 8, "A", 90, 2, 10, 0, 20, 0, 42, 1, 10, 2, 20, 0)
	l := read(t, drawing("", lw), ReadSettings{ArcTolerance: 0.001}).Lines[0]
	if len(l.Vertices) < 10 {
		t.Fatalf("vertices %d, want the arc densified", len(l.Vertices))
	}

	low := false
	for _, v := range l.Vertices {
		if math.Abs(math.Hypot(v.E-1, v.N)-1) > 1e-9 {
			t.Errorf("vertex %+v off the circle", v)
		}

		low = low || near(v.N, -1)
	}

	if !low {
		t.Error("arc does not pass (1,-1)")
	}
}

func TestPolylineFlagsAndMeshes(t *testing.T) {
	vtx := func(x, y, z float64, flags int) string {
		return grp(0, "VERTEX", 8, "L", 10, x, 20, y, 30, z, 70, flags)
	}

	poly3d := grp(0, "POLYLINE", 8, "BRK", 66, 1, 70, 8) + vtx(0, 0, 1, 32) + vtx(1, 0, 2, 32) +
		vtx(1, 1, 3, 32) + grp(0, "SEQEND")
	mesh := grp(0, "POLYLINE", 8, "MESH", 66, 1, 70, 16, 71, 2, 72, 3) +
		vtx(0, 0, 0, 64) + vtx(1, 0, 0, 64) + vtx(2, 0, 0, 64) +
		vtx(0, 1, 1, 64) + vtx(1, 1, 1, 64) + vtx(2, 1, 1, 64) + grp(0, "SEQEND")
	pface := grp(0, "POLYLINE", 8, "PF", 66, 1, 70, 64, 71, 4, 72, 2) +
		vtx(0, 0, 0, 192) + vtx(1, 0, 0, 192) + vtx(1, 1, 0, 192) + vtx(0, 1, 0, 192) +
		grp(0, "VERTEX", 8, "PF", 10, 0, 20, 0, 30, 0, 70, 128, 71, 1, 72, -2, 73, 3, 74, 4) +
		grp(0, "VERTEX", 8, "PF", 10, 0, 20, 0, 30, 0, 70, 128, 71, 1, 72, 2, 73, 9) +
		grp(0, "SEQEND")
	poly2d := grp(0, "POLYLINE", 8, "P2", 66, 1, 30, 7, 70, 1) + vtx(0, 0, 7, 0) + vtx(4, 0, 7, 0) +
		vtx(4, 4, 7, 0) + grp(0, "SEQEND")

	ds := read(t, drawing("", poly3d+mesh+pface+poly2d), ReadSettings{})
	if len(ds.Lines) != 2 {
		t.Fatalf("lines %d, want the 3-D and the 2-D polyline only", len(ds.Lines))
	}

	if l := ds.Lines[0]; l.Code != "BRK" || len(l.Vertices) != 3 || !near(l.Vertices[2].Z, 3) {
		t.Errorf("3-D polyline %+v", l)
	}

	if l := ds.Lines[1]; !l.Closed || !near(l.Vertices[1].Z, 7) || !l.Vertices[1].HasZ {
		t.Errorf("2-D polyline %+v", l)
	}

	if len(ds.Surfaces) != 2 {
		t.Fatalf("surfaces %d, want mesh and polyface", len(ds.Surfaces))
	}

	if sf := ds.Surfaces[0]; len(sf.Vertices) != 6 || len(sf.Triangles) != 4 {
		t.Errorf("mesh %d vertices %d triangles, want 6 and 4", len(sf.Vertices), len(sf.Triangles))
	}

	if sf := ds.Surfaces[1]; len(sf.Vertices) != 4 || len(sf.Triangles) != 2 {
		t.Errorf("polyface %d vertices %d triangles, want 4 and 2", len(sf.Vertices), len(sf.Triangles))
	}

	if !hasWarning(ds, "1 polyface face references missing") {
		t.Errorf("warnings %v", ds.Warnings)
	}
}

func TestFaces(t *testing.T) {
	tri := grp(0, "3DFACE", 8, "TIN", 10, 0, 20, 0, 30, 1, 11, 1, 21, 0, 31, 1, 12, 1, 22, 1, 32, 1,
		13, 1, 23, 1, 33, 1)
	quad := grp(0, "3DFACE", 8, "TIN", 10, 0, 20, 0, 30, 1, 11, 1, 21, 1, 31, 1, 12, 0, 22, 1, 32, 1,
		13, -1, 23, 1, 33, 1)
	ds := read(t, drawing("", tri+quad), ReadSettings{})
	if len(ds.Surfaces) != 1 {
		t.Fatalf("surfaces %d", len(ds.Surfaces))
	}

	sf := ds.Surfaces[0]
	if sf.Name != "TIN" || len(sf.Triangles) != 3 || len(sf.Vertices) != 5 {
		t.Errorf("surface %q %d triangles %d vertices, want 3 and 5 (shared corners)",
			sf.Name, len(sf.Triangles), len(sf.Vertices))
	}
}

func TestCodePagesAndEscapes(t *testing.T) {
	tests := []struct {
		name, header string
		text         []byte
		want         string
	}{
		{"ANSI_1252 default", "", []byte("Rep\xe8re pi\xe8ce"), "Repère pièce"},
		{"ANSI_1252", grp(9, "$ACADVER", 1, "AC1015", 9, "$DWGCODEPAGE", 3, "ANSI_1252"),
			[]byte("H\xf6he 5%%d"), "Höhe 5°"},
		{"ANSI_1251", grp(9, "$ACADVER", 1, "AC1015", 9, "$DWGCODEPAGE", 3, "ANSI_1251"),
			[]byte("\xcf\xee\xeb\xe5"), "Поле"},
		{"UTF-8 from AC1021", grp(9, "$ACADVER", 1, "AC1021", 9, "$DWGCODEPAGE", 3, "ANSI_1252"),
			[]byte("Höhe ○"), "Höhe ○"},
		{"unicode escape", "", []byte(`Gau\U+00DF \U+9053 %%c10 %%p1`), "Gauß 道 Ø10 ±1"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := drawing(tt.header, grp(0, "POINT", 8, string(tt.text), 10, 0, 20, 0)+
				grp(0, "TEXT", 8, "T", 10, 0, 20, 0, 1, string(tt.text)))
			ds := read(t, in, ReadSettings{PairLabels: true})
			if len(ds.Points) != 1 {
				t.Fatalf("points %+v", ds.Points)
			}

			if ds.Points[0].ID != tt.want {
				t.Errorf("label = %q, want %q", ds.Points[0].ID, tt.want)
			}

			wantLayer := strings.ReplaceAll(strings.ReplaceAll(tt.want, " Ø10 ±1", " %%c10 %%p1"),
				"5°", "5%%d")
			if ds.Points[0].Code != wantLayer {
				t.Errorf("layer = %q, want %q", ds.Points[0].Code, wantLayer)
			}
		})
	}
}

func TestMText(t *testing.T) {
	tests := map[string]string{
		`{\fArial|b1;PT 12}\PEP`: "PT 12 EP",
		`\H0.5;\C1;Höhe\~5%%d`:   "Höhe\u00a05°",
		`\S1^2;\L\U+00D8\l`:      "1/2Ø",
		`a\\b\{c\}`:              `a\b{c}`,
	}
	for in, want := range tests {
		if got := stripMText(in); got != want {
			t.Errorf("stripMText(%q) = %q, want %q", in, got, want)
		}
	}

	in := drawing("", grp(0, "POINT", 8, "P", 10, 5, 20, 5, 30, 1)+
		grp(0, "MTEXT", 8, "T", 10, 5, 20, 5, 30, 1, 3, `{\fArial;Long `, 1, `label}`))
	ds := read(t, in, ReadSettings{PairLabels: true})
	if ds.Points[0].ID != "Long label" {
		t.Errorf("MTEXT label %q", ds.Points[0].ID)
	}
}

func TestInsertWithAttributes(t *testing.T) {
	in := drawing("", grp(0, "INSERT", 8, "SURVEY", 66, 1, 2, "PT_BLOCK", 10, 100, 20, 200, 30, 50)+
		grp(0, "ATTRIB", 8, "SURVEY", 2, "POINT", 1, "1001", 10, 100, 20, 200)+
		grp(0, "ATTRIB", 8, "SURVEY", 2, "DESC", 1, "TOP BANK", 10, 100, 20, 200)+
		grp(0, "ATTRIB", 8, "SURVEY", 2, "ELEV", 1, "50.000")+
		grp(0, "SEQEND", 8, "SURVEY")+
		grp(0, "INSERT", 8, "TREE", 2, "TREE", 10, 1, 20, 2))
	ds := read(t, in, ReadSettings{})
	if len(ds.Points) != 2 {
		t.Fatalf("points %+v", ds.Points)
	}

	p := ds.Points[0]
	if p.ID != "1001" || p.Code != "TOP BANK" || !near(p.Z, 50) || p.Attrs["ELEV"] != "50.000" ||
		p.Attrs["block"] != "PT_BLOCK" {
		t.Errorf("insert %+v", p)
	}

	if q := ds.Points[1]; q.ID != "1" || q.Code != "TREE" || q.HasZ {
		t.Errorf("plain insert %+v", q)
	}
}

func TestArcCircleTextAsPointsUnits(t *testing.T) {
	in := drawing(grp(9, "$INSUNITS", 70, 1),
		grp(0, "CIRCLE", 8, "C", 10, 0, 20, 0, 30, 2, 40, 10)+
			grp(0, "ARC", 8, "A", 10, 0, 20, 0, 40, 10, 50, 0, 51, 90)+
			grp(0, "TEXT", 8, "NOTE", 10, 3, 20, 4, 1, "a note"))
	ds := read(t, in, ReadSettings{Unit: survey.Foot, TextAsPoints: true})
	if len(ds.Lines) != 2 || !ds.Lines[0].Closed || ds.Lines[1].Closed {
		t.Fatalf("lines %+v", ds.Lines)
	}

	end := ds.Lines[1].Vertices[len(ds.Lines[1].Vertices)-1]
	if !near(end.E, 0) || !near(end.N, 3.048) {
		t.Errorf("arc end %+v, want (0, 10 ft)", end)
	}

	if len(ds.Points) != 1 || ds.Points[0].Attrs["text"] != "a note" || !near(ds.Points[0].E, 0.9144) {
		t.Errorf("text point %+v", ds.Points)
	}

	if !hasWarning(ds, "$INSUNITS 1 (inches)") || ds.SourceUnit != survey.Foot {
		t.Errorf("warnings %v", ds.Warnings)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           int
	}{
		{"bad group code", grp(0, "SECTION", 2, "ENTITIES") + "abc\nPOINT\n", "group code", 5},
		{"truncated", grp(0, "SECTION", 2, "ENTITIES", 0, "POINT") + "10\n", "no value line", 7},
		{"no ENDSEC", grp(0, "SECTION", 2, "ENTITIES", 0, "POINT", 10, 1), "unexpected end", 8},
		{"not DXF", "hello\n", "group code", 1},
		{"empty", "", "no SECTION", 0},
		{"long line", "0\n" + strings.Repeat("x", maxLine+1) + "\n", "longer than", 2},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(t.Context(), strings.NewReader(tt.in), "e.dxf", ReadSettings{})
			var pe *survey.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a ParseError", err)
			}

			if !strings.Contains(pe.Error(), tt.want) || pe.Line != tt.line || pe.File != "e.dxf" {
				t.Errorf("err = %v (line %d), want %q at line %d", err, pe.Line, tt.want, tt.line)
			}
		})
	}
}

func TestEmptyDrawingWarns(t *testing.T) {
	ds := read(t, drawing("", grp(0, "HATCH", 8, "H")), ReadSettings{})
	if !hasWarning(ds, "no points, lines or surfaces") || !hasWarning(ds, "HATCH 1") {
		t.Errorf("warnings %v", ds.Warnings)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Read(ctx, strings.NewReader(drawing("", "")), "c.dxf", ReadSettings{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestSniff(t *testing.T) {
	if got := Sniff("a.txt", []byte("  0\r\nSECTION\r\n  2\r\nHEADER\r\n")); got < 90 {
		t.Errorf("ascii sniff %d", got)
	}

	if got := Sniff("a.csv", []byte("1,2,3\n")); got != 0 {
		t.Errorf("csv sniff %d", got)
	}
}

func TestBOMAndCancelInSkippedSection(t *testing.T) {
	ds := read(t, "\ufeff"+drawing("", grp(0, "POINT", 8, "P", 10, 1, 20, 2)), ReadSettings{})
	if len(ds.Points) != 1 {
		t.Errorf("BOM: points %d", len(ds.Points))
	}

	big := grp(0, "SECTION", 2, "OBJECTS") + strings.Repeat(grp(5, "A"), ctxPairs+1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Read(ctx, strings.NewReader(big), "c.dxf", ReadSettings{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
