package landxml

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func readBytes(t *testing.T, b []byte, name string) *survey.Dataset {
	t.Helper()
	ds, err := Read(t.Context(), bytes.NewReader(b), name, ReadSettings{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}

	return ds
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func pointByID(ds *survey.Dataset, id string) *survey.Point {
	for i := range ds.Points {
		if ds.Points[i].ID == id {
			return &ds.Points[i]
		}
	}

	return nil
}

func TestSampleTops(t *testing.T) {
	ds := readBytes(t, samplefiles.ReadFile(t, "landxml12_tops_cgpoints_survey_grads.xml"), "tops.xml")
	if len(ds.Points) != 5 {
		t.Fatalf("points = %d, want 2 control + 3 observed", len(ds.Points))
	}

	p := pointByID(ds, "STAZLIB3")
	if p == nil || !near(p.N, 519.659) || !near(p.E, 465.244) || !p.HasZ || !near(p.Z, -0.588) {
		t.Errorf("STAZLIB3 = %+v", p)
	}

	observed := 0
	for _, p := range ds.Points {
		if p.Attrs["role"] == "observed" {
			observed++
		}
	}

	if observed != 3 {
		t.Errorf("observed points = %d, want 3", observed)
	}

	lp := pointByID(ds, "901")
	if lp == nil || lp.Code != "LIGHT POLE" || !near(lp.Z, -1.734) || lp.Attrs["setupID"] != "setup1" {
		t.Errorf("901 = %+v", lp)
	}

	// 281.9919 gon = 253.79271 degrees.
	if fp := pointByID(ds, "850"); fp == nil || fp.Attrs["horizAngleDeg"] != "253.79271000" ||
		fp.Attrs["setupID"] != "setup0" {
		t.Errorf("850 = %+v", fp)
	}
}

func TestSampleTINUSSurveyFoot(t *testing.T) {
	ds := readBytes(t, samplefiles.ReadFile(t, "landxml12_tin_ussurveyfoot_blender_S3.xml"), "s3.xml")
	if len(ds.Surfaces) != 1 {
		t.Fatalf("surfaces = %d", len(ds.Surfaces))
	}

	sf := ds.Surfaces[0]
	if len(sf.Vertices) != 164 || len(sf.Triangles) != 300 {
		t.Errorf("vertices %d triangles %d, want 164 and 300", len(sf.Vertices), len(sf.Triangles))
	}

	if ds.SourceUnit != survey.USSurveyFoot {
		t.Errorf("unit = %q", ds.SourceUnit)
	}

	// P 1 is "1069077.4921875 836231.2596282959 463.41876220703125" (N E Z).
	k := 1200.0 / 3937.0
	v := sf.Vertices[0]
	if !near(v.N, 1069077.4921875*k) || !near(v.E, 836231.2596282959*k) ||
		!near(v.Z, 463.41876220703125*k) {
		t.Errorf("vertex 1 = %+v", v)
	}
}

func TestSampleCivil3DPlanFeature(t *testing.T) {
	ds := readBytes(t, samplefiles.ReadFile(t, "landxml11_civil3d2007_planfeature_ddmmss.xml"), "c3d.xml")
	if len(ds.Lines) != 1 {
		t.Fatalf("lines = %d, want 1", len(ds.Lines))
	}

	l := ds.Lines[0]
	if !l.Closed || l.Name != "Parcel 3" || l.Code != "Figures" {
		t.Errorf("line %q code %q closed %v", l.Name, l.Code, l.Closed)
	}

	// 5 segments: 4 corners from the Lines plus the arc's end point, and the
	// arc densified between them.
	corners := [][2]float64{
		{2155.347140, 1219.780526}, {2308.988338, 1119.338867}, {2179.986034, 982.864119},
		{2128.615026, 974.400774}, {1976.555212, 1054.917309},
	}
	for _, c := range corners {
		found := false
		for _, v := range l.Vertices {
			if near(v.N, c[0]*0.3048) && near(v.E, c[1]*0.3048) {
				found = true
			}
		}

		if !found {
			t.Errorf("corner %v missing", c)
		}
	}

	if len(l.Vertices) <= 5 {
		t.Errorf("vertices = %d, want the arc densified", len(l.Vertices))
	}

	// Every arc vertex lies on the circle around the Center.
	cn, ce := 2148.736986*0.3048, 1012.402178*0.3048
	r := math.Hypot(2179.986034*0.3048-cn, 982.864119*0.3048-ce)
	onArc := 0
	for _, v := range l.Vertices {
		if math.Abs(math.Hypot(v.N-cn, v.E-ce)-r) < 1e-6 {
			onArc++
		}
	}

	if onArc < 3 {
		t.Errorf("only %d vertices on the arc", onArc)
	}
}

func TestSampleJLandXML(t *testing.T) {
	ds := readBytes(t, samplefiles.ReadFile(t, "jlandxml12_japanese_utf8_2d_cgpoints.xml"), "j.xml")
	checkJLandXML(t, ds)
}

func checkJLandXML(t *testing.T, ds *survey.Dataset) {
	t.Helper()
	if len(ds.Points) != 3 {
		t.Fatalf("points = %d, want 3", len(ds.Points))
	}

	for _, p := range ds.Points {
		if p.HasZ {
			t.Errorf("point %q has a Z, want none", p.ID)
		}
	}

	p := pointByID(ds, "BP (NO.-4-10)")
	if p == nil || !near(p.N, -5851.24470669) || !near(p.E, -16562.24159873) {
		t.Errorf("BP = %+v", p)
	}

	if len(ds.Surfaces) != 0 {
		t.Errorf("broken surface imported: %+v", ds.Surfaces)
	}

	reported := false
	for _, w := range ds.Warnings {
		if strings.Contains(w.Msg, "673 726 727") && strings.Contains(w.Element, "○○地形 1") {
			reported = true
		}
	}

	if !reported {
		t.Errorf("dangling faces not reported: %v", ds.Warnings)
	}

	if len(ds.Lines) != 1 || ds.Lines[0].Name != "○○路線" {
		t.Errorf("alignment lines = %+v", len(ds.Lines))
	}

	if !strings.Contains(ds.CRS, "horizontalCoordinateSystemName=8(X,Y)") {
		t.Errorf("CRS = %q", ds.CRS)
	}
}

func TestShiftJISReencoded(t *testing.T) {
	b := samplefiles.ReadFile(t, "jlandxml12_japanese_utf8_2d_cgpoints.xml")
	b = bytes.Replace(b, []byte("encoding='utf-8'"), []byte("encoding='Shift_JIS'"), 1)
	sj, err := encoding.ReplaceUnsupported(japanese.ShiftJIS.NewEncoder()).Bytes(b)
	if err != nil {
		t.Fatal(err)
	}

	if bytes.Equal(sj, b) {
		t.Fatal("re-encoding changed nothing")
	}

	checkJLandXML(t, readBytes(t, sj, "sjis.xml"))
}

// doc wraps body in a LandXML root with the given namespace attribute.
func doc(ns, units, body string) string {
	return `<?xml version="1.0"?>` + "\n<LandXML " + ns + ` version="1.2">` + units + body + "</LandXML>"
}

const ns12 = `xmlns="http://www.landxml.org/schema/LandXML-1.2"`

func TestDialectsAndPitfalls(t *testing.T) {
	pt := `<CgPoints><CgPoint name="1" code="TREE" desc="oak">100.5 200.25 3</CgPoint></CgPoints>`
	metric := `<Units><Metric linearUnit="meter"/></Units>`
	tests := []struct {
		name, in string
		want     survey.Point
	}{
		{"1.2 namespace", doc(ns12, metric, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"1.1 namespace", doc(`xmlns="http://www.landxml.org/schema/LandXML-1.1"`, metric, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"1.0 namespace", doc(`xmlns="http://www.landxml.org/schema/LandXML-1.0"`, metric, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"no namespace", doc("", metric, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"BOM", "\ufeff" + doc(ns12, metric, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"leading whitespace", "\n  " + doc(ns12, metric, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"no units means metres", doc(ns12, "", pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5, E: 200.25, Z: 3, HasZ: true}},
		{"international foot", doc(ns12, `<Units><Imperial linearUnit="foot"/></Units>`, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5 * 0.3048, E: 200.25 * 0.3048, Z: 3 * 0.3048, HasZ: true}},
		{"US survey foot", doc(ns12, `<Units><Imperial linearUnit="USSurveyFoot"/></Units>`, pt),
			survey.Point{ID: "1", Code: "TREE", N: 100.5 * 1200 / 3937, E: 200.25 * 1200 / 3937,
				Z: 3 * 1200.0 / 3937, HasZ: true}},
		{"number 0.", doc(ns12, metric, `<CgPoint name="z">0. 1. -2.</CgPoint>`),
			survey.Point{ID: "z", N: 0, E: 1, Z: -2, HasZ: true}},
		{"two values no Z", doc(ns12, metric, `<CgPoint name="2d">-5851.2 -16562.2</CgPoint>`),
			survey.Point{ID: "2d", N: -5851.2, E: -16562.2}},
		{"code from desc", doc(ns12, metric, `<CgPoint name="d" desc="EP E">1 2</CgPoint>`),
			survey.Point{ID: "d", Code: "EP E", N: 1, E: 2}},
		{"nested in PlanFeatures", doc(ns12, metric,
			`<PlanFeatures><PlanFeature name="x"><CgPoints><CgPoint name="n">1 2 3</CgPoint>`+
				`</CgPoints></PlanFeature></PlanFeatures>`),
			survey.Point{ID: "n", N: 1, E: 2, Z: 3, HasZ: true}},
		{"pntRef resolved after the file", doc(ns12, metric,
			`<CgPoints><CgPoint name="r" code="REF" pntRef="b"/><CgPoint name="b">7 8 9</CgPoint></CgPoints>`),
			survey.Point{ID: "r", Code: "REF", N: 7, E: 8, Z: 9, HasZ: true}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := readBytes(t, []byte(tt.in), "t.xml")
			if len(ds.Points) == 0 {
				t.Fatalf("no points; warnings %v", ds.Warnings)
			}

			got := ds.Points[0]
			got.Attrs = nil
			if got.ID != tt.want.ID || got.Code != tt.want.Code || got.HasZ != tt.want.HasZ ||
				!near(got.N, tt.want.N) || !near(got.E, tt.want.E) || !near(got.Z, tt.want.Z) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWindows1252Declaration(t *testing.T) {
	in := `<?xml version="1.0" encoding="windows-1252"?>` +
		`<LandXML><CgPoints><CgPoint name="H1" code="Höhe°">1 2 3</CgPoint></CgPoints></LandXML>`
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}

	ds := readBytes(t, b, "cp1252.xml")
	if len(ds.Points) != 1 || ds.Points[0].Code != "Höhe°" {
		t.Errorf("points = %+v", ds.Points)
	}
}

func TestSurfaceFaces(t *testing.T) {
	in := doc(ns12, "", `<Surfaces><Surface name="S"><Definition surfType="TIN"><Pnts>`+
		`<P id="10">0 0 1</P><P id="20">0 1 1</P><P id="30">1 1 1</P><P id="40">1 0 1</P>`+
		`</Pnts><Faces><F>10 20 30</F><F i="1">10 30 40</F><F>-10 -30 40</F><F>10 20 99</F>`+
		`<F>10 x 20</F><F>10 10 20</F></Faces></Definition></Surface></Surfaces>`)
	ds := readBytes(t, []byte(in), "s.xml")
	if len(ds.Surfaces) != 1 {
		t.Fatalf("surfaces %d; warnings %v", len(ds.Surfaces), ds.Warnings)
	}

	sf := ds.Surfaces[0]
	if len(sf.Vertices) != 4 || len(sf.Triangles) != 2 {
		t.Errorf("vertices %d, triangles %v", len(sf.Vertices), sf.Triangles)
	}

	want := []string{"2 faces reference missing", "1 invisible face", "1 degenerate"}
	for _, w := range want {
		found := false
		for _, got := range ds.Warnings {
			found = found || strings.Contains(got.Msg, w)
		}

		if !found {
			t.Errorf("no warning %q in %v", w, ds.Warnings)
		}
	}
}

func TestSpiralINFAndCurves(t *testing.T) {
	in := doc(ns12, "", `<Alignments><Alignment name="A"><CoordGeom>`+
		`<Line><Start>0 0 10</Start><End>0 100 10</End></Line>`+
		`<Spiral radiusStart="INF" radiusEnd="50." rot="ccw" spiType="clothoid">`+
		`<Start>0 100 10</Start><PI>0 120</PI><End>10 135 12</End></Spiral>`+
		`<Curve rot="cw"><Start>10 135 12</Start><Center>-10 135</Center><End>-10 155 12</End></Curve>`+
		`</CoordGeom><Profile><ProfAlign><PVI>0 1</PVI></ProfAlign></Profile></Alignment></Alignments>`)
	ds := readBytes(t, []byte(in), "a.xml")
	if len(ds.Lines) != 1 {
		t.Fatalf("lines %d; warnings %v", len(ds.Lines), ds.Warnings)
	}

	l := ds.Lines[0]
	if l.Code != "Alignment" || l.Name != "A" || l.Closed {
		t.Errorf("line %+v", l)
	}

	last := l.Vertices[len(l.Vertices)-1]
	if !near(last.N, -10) || !near(last.E, 155) || !near(last.Z, 12) {
		t.Errorf("last vertex %+v", last)
	}

	// A cw arc from (N10,E135) around (N-10,E135) to (N-10,E155) passes east.
	for _, v := range l.Vertices {
		if v.E > 135 && v.N < 10 && math.Abs(math.Hypot(v.N+10, v.E-135)-20) > 1e-6 {
			t.Errorf("vertex %+v off the arc", v)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           int
	}{
		{"not LandXML", `<?xml version="1.0"?><Other/>`, "expected <LandXML>", 1},
		{"malformed", "<LandXML>\n<CgPoints>\n<CgPoint name='a'>1 2</CgPoints>", "malformed XML", 3},
		{"truncated", "<LandXML><CgPoints>", "unexpected EOF", 1},
		{"empty", "", "unexpected end", 1},
		{"declaration only", `<?xml version="1.0"?>`, "unexpected end", 1},
		{"bad encoding", `<?xml version="1.0" encoding="x-klingon"?><LandXML/>`, "reading XML", 1},
		{"too deep", "<LandXML>" + strings.Repeat("<a>", maxDepth+1), "nested deeper", 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(t.Context(), strings.NewReader(tt.in), "e.xml", ReadSettings{})
			var pe *survey.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *survey.ParseError", err)
			}

			if !strings.Contains(pe.Error(), tt.want) || pe.File != "e.xml" || pe.Line != tt.line {
				t.Errorf("err = %v (line %d), want %q at line %d", err, pe.Line, tt.want, tt.line)
			}
		})
	}
}

// endless yields "<LandXML><CgPoint>" and then digits forever.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	head := "<LandXML><CgPoint>"
	for i := range p {
		if e.n < len(head) {
			p[i] = head[e.n]
		} else {
			p[i] = '1'
		}

		e.n++
	}

	return len(p), nil
}

func TestHugeTextRefused(t *testing.T) {
	defer func(old int) { maxRun = old }(maxRun)
	maxRun = 1 << 20
	_, err := Read(t.Context(), &endless{}, "huge.xml", ReadSettings{})
	var pe *survey.ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "longer than") {
		t.Fatalf("err = %v", err)
	}
}

func TestEmptyDocumentWarns(t *testing.T) {
	ds := readBytes(t, []byte(doc(ns12, "", "<Project name='x'/>")), "e.xml")
	if len(ds.Warnings) != 1 || !strings.Contains(ds.Warnings[0].Msg, "no CgPoints") {
		t.Errorf("warnings %v", ds.Warnings)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Read(ctx, strings.NewReader(doc(ns12, "", "")), "c.xml", ReadSettings{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestSniff(t *testing.T) {
	if got := Sniff("a.xml", []byte(`<?xml version="1.0"?><LandXML xmlns=`)); got < 90 {
		t.Errorf("LandXML sniff = %d", got)
	}

	if got := Sniff("a.csv", []byte("1,2,3")); got != 0 {
		t.Errorf("csv sniff = %d", got)
	}

	if got := Sniff("a.XML", []byte(`<?xml version="1.0"?><JOBFile>`)); got > 30 {
		t.Errorf("other xml sniff = %d", got)
	}
}

func TestAngles(t *testing.T) {
	tests := []struct {
		text, unit string
		want       float64
	}{
		{"100", normaliseAngular("grads"), 90},
		{"3.14159265358979", normaliseAngular("radians"), 180},
		{"12.5", normaliseAngular("decimal degrees"), 12.5},
		{"30.2045", normaliseAngular("decimal  dd.mm.ss"), 30 + 20.0/60 + 45.0/3600},
		{"-10.3", normaliseAngular("Decimal DD.MM.SS"), -10.5},
		{" 5 ", "", 5},
	}
	for _, tt := range tests {
		got, err := toDegrees(tt.text, tt.unit)
		if err != nil || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("toDegrees(%q, %q) = %v, %v; want %v", tt.text, tt.unit, got, err, tt.want)
		}
	}

	for _, bad := range [][2]string{{"10.75", "decimal dd.mm.ss"}, {"x", "grads"}, {"1", "furlongs"}} {
		if _, err := toDegrees(bad[0], bad[1]); err == nil {
			t.Errorf("toDegrees(%q, %q): no error", bad[0], bad[1])
		}
	}

	if v, err := parseNum(" INF "); err != nil || !math.IsInf(v, 1) {
		t.Errorf("parseNum(INF) = %v, %v", v, err)
	}
}

func TestIrregularLineAndSkippedGeometry(t *testing.T) {
	in := doc(ns12, "", `<Parcels name="Lots"><Parcel name="L1"><CoordGeom>`+
		`<IrregularLine><Start>0 0 1</Start><End>3 3 4</End><PntList3D>1 1 2 2 2 3</PntList3D></IrregularLine>`+
		`<Chain>1 2 3</Chain></CoordGeom></Parcel></Parcels>`)
	ds := readBytes(t, []byte(in), "p.xml")
	if len(ds.Lines) != 1 || len(ds.Lines[0].Vertices) != 4 || ds.Lines[0].Name != "L1" ||
		ds.Lines[0].Code != "Lots" {
		t.Fatalf("lines %+v", ds.Lines)
	}

	if v := ds.Lines[0].Vertices[2]; !near(v.N, 2) || !near(v.Z, 3) || !v.HasZ {
		t.Errorf("vertex %+v", v)
	}

	found := false
	for _, w := range ds.Warnings {
		found = found || strings.Contains(w.Msg, "skipped unsupported geometry: Chain 1")
	}

	if !found {
		t.Errorf("warnings %v", ds.Warnings)
	}
}
