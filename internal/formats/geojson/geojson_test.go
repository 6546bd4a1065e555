package geojson

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/survey"
)

func read(t testing.TB, in string, s ReadSettings) *survey.Dataset {
	t.Helper()
	ds, err := Read(t.Context(), strings.NewReader(in), "t.geojson", s)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}

	return ds
}

const projected = `{"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2264"}},
 "features":[
  {"type":"Feature","geometry":{"type":"Point","coordinates":[1455644.371,538542.57,681.31]},
   "properties":{"Name":"1","Code":"TOP WALL 18\" WI","rod":2.0,"ok":true,"nested":{"a":1}}},
  {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[10,20]},"properties":null},
  {"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[1,2,3],[4,5,6]]},"properties":{"id":"M"}},
  {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0,1],[1,1,2]]},"properties":{"layer":"BL"}},
  {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]},"properties":{"code":"BLDG"}},
  {"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[0,0],[1,0]],[[2,2],[3,3]]]},"properties":{}},
  {"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[
     {"type":"Point","coordinates":[9,9,0]},{"type":"LineString","coordinates":[[9,9],[8,8]]}]},"properties":{"id":"gc"}},
  {"type":"Feature","geometry":null,"properties":{"id":"nothing"}},
  {"type":"Feature","geometry":{"type":"Circle","coordinates":[0,0]}}
 ]}`

func TestRead(t *testing.T) {
	ds := read(t, "\ufeff"+projected, ReadSettings{})
	if ds.CRS != "urn:ogc:def:crs:EPSG::2264" {
		t.Errorf("CRS = %q", ds.CRS)
	}

	wantPts := []survey.Point{
		{ID: "1", Code: `TOP WALL 18" WI`, E: 1455644.371, N: 538542.57, Z: 681.31, HasZ: true,
			Attrs: map[string]string{"rod": "2.0", "ok": "true", "nested": `{"a":1}`}},
		{ID: "7", E: 10, N: 20},
		{ID: "M.1", E: 1, N: 2, Z: 3, HasZ: true},
		{ID: "M.2", E: 4, N: 5, Z: 6, HasZ: true},
		{ID: "gc", E: 9, N: 9, Z: 0, HasZ: true},
	}
	if d := cmp.Diff(wantPts, ds.Points); d != "" {
		t.Errorf("points (-want +got):\n%s", d)
	}

	if len(ds.Lines) != 5 || ds.Lines[0].Code != "BL" || !ds.Lines[0].Vertices[1].HasZ ||
		!ds.Lines[1].Closed || len(ds.Lines[1].Vertices) != 3 || ds.Lines[2].Vertices[0].HasZ {
		t.Errorf("lines = %+v", ds.Lines)
	}

	var msgs []string
	for _, w := range ds.Warnings {
		msgs = append(msgs, w.String())
	}

	all := strings.Join(msgs, "\n")
	for _, want := range []string{"legacy crs", "feature 8: feature without geometry", `feature 9: geometry type "Circle"`} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning %q in\n%s", want, all)
		}
	}
}

func TestReadUnitsAndLonLat(t *testing.T) {
	ds := read(t, strings.Replace(projected, "681.31", "100", 1), ReadSettings{Unit: survey.USSurveyFoot})
	if got := ds.Points[0].Z; math.Abs(got-100*1200.0/3937.0) > 1e-9 {
		t.Errorf("Z = %v", got)
	}

	ll := read(t, `{"type":"Point","coordinates":[-80.84,35.22,210.5]}`, ReadSettings{Unit: survey.Foot})
	if ll.CRS != "OGC:CRS84" || ll.Points[0].E != -80.84 || ll.Points[0].Z != 210.5 {
		t.Errorf("lon/lat = %+v", ll)
	}

	if len(ll.Warnings) != 1 || !strings.Contains(ll.Warnings[0].Msg, "longitude/latitude") {
		t.Errorf("warnings = %v", ll.Warnings)
	}
}

func TestReadRefused(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"csdm", `{"type":"FeatureCollection","features":[],"horizontalCRS":"epsg:4167",
			"points":[{"type":"FeatureCollection","features":[]}]}`, "CSDM"},
		{"json-fg", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,
			"place":{"type":"Point","coordinates":[1,2,3]},"properties":{}}]}`, "JSON-FG"},
		{"empty", `{"type":"FeatureCollection","features":[]}`, "no features"},
		{"not json", `{"type":`, "not valid GeoJSON"},
		{"no type", `{"features":[]}`, `no "type"`},
		{"only bad features", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]}`,
			"no point, line or polygon"},
		{"deep nesting", strings.Repeat(`{"type":"GeometryCollection","geometries":[`, 40) + strings.Repeat(`]}`, 40), "no point"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(t.Context(), strings.NewReader(tt.in), "x.json", ReadSettings{})
			var pe *survey.ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "x.json") {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func sampleDataset() *survey.Dataset {
	return &survey.Dataset{
		CRS: "EPSG:2264",
		Points: []survey.Point{
			{ID: "1", Code: `TOP WALL 18" WI`, E: 1455644.371, N: 538542.57, Z: 681.31, HasZ: true,
				Attrs: map[string]string{"rod": "2.0", "b": "x\ny"}},
			{ID: "2", Code: "EP          E", E: 1.5, N: -2.25},
			{ID: "z0", Code: "é\t\"\\", E: 0.1, N: 0.2, Z: 0, HasZ: true},
			{ID: "nc", E: 3, N: 4}, // no code: "code":"" must not come back as an attribute
		},
		Lines: []survey.Line{
			{Code: "BL", Name: "f1", Vertices: []survey.Vertex{{E: 1, N: 2, Z: 3, HasZ: true}, {E: 4, N: 5}}},
			{Code: "BLDG", Name: "b", Closed: true, Vertices: []survey.Vertex{{E: 0, N: 0, Z: 1, HasZ: true},
				{E: 1, N: 0, Z: 1, HasZ: true}, {E: 1, N: 1, Z: 1, HasZ: true}}},
		},
		Surfaces: []survey.Surface{{Name: "TIN", Vertices: []survey.Vertex{
			{E: 0, N: 0, Z: 1, HasZ: true}, {E: 1, N: 0, Z: 2, HasZ: true}, {E: 0, N: 1, Z: 3, HasZ: true},
			{E: 1, N: 1, Z: 4, HasZ: true}}, Triangles: [][3]int{{0, 1, 2}, {1, 3, 2}}}},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, ws := range []WriteSettings{{}, {Unit: survey.USSurveyFoot}, {Decimals: 6}} {
		in := sampleDataset()
		var b bytes.Buffer
		if err := Write(t.Context(), &b, in, ws); err != nil {
			t.Fatal(err)
		}

		got, err := Read(t.Context(), bytes.NewReader(b.Bytes()), "rt.geojson", ReadSettings{Unit: ws.Unit})
		if err != nil {
			t.Fatalf("read back: %v\n%s", err, b.String())
		}

		opts := cmp.Options{cmpopts.EquateApprox(0, 1e-6), cmpopts.IgnoreFields(survey.Dataset{}, "Warnings", "SourceUnit")}
		if d := cmp.Diff(in, got, opts); d != "" {
			t.Errorf("round trip %+v (-want +got):\n%s\n%s", ws, d, b.String())
		}

		var again bytes.Buffer
		Write(t.Context(), &again, in, ws)
		if !bytes.Equal(b.Bytes(), again.Bytes()) {
			t.Error("output not deterministic")
		}
	}
}

func TestWriteNoZAndSkipSurfaces(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "a", E: 1, N: 2}}, Surfaces: sampleDataset().Surfaces}
	var b bytes.Buffer
	if err := Write(t.Context(), &b, ds, WriteSettings{SkipSurfaces: true}); err != nil {
		t.Fatal(err)
	}

	want := "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\"," +
		"\"coordinates\":[1,2]},\"properties\":{\"id\":\"a\",\"code\":\"\"}}\n]}\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(projected))
	f.Add([]byte(`{"type":"Point","coordinates":[1,2]}`))
	f.Add([]byte(`{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0,1],[1,0,1],[0,1,1],[0,0,1]]]]},"properties":{"kind":"surface"}}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[],"points":[]}`))
	f.Add([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32633"}},` +
		`"features":[{"type":"Feature","properties":{"id":"","code":""},"geometry":{"type":"Point","coordinates":[1,2,3]}}]}`))
	var b bytes.Buffer
	Write(f.Context(), &b, sampleDataset(), WriteSettings{})
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		ds, err := Read(t.Context(), bytes.NewReader(in), "fuzz.json", ReadSettings{})
		if err != nil {
			return
		}

		if len(ds.Points)+len(ds.Lines)+len(ds.Surfaces) == 0 {
			t.Fatal("empty success")
		}

		var out bytes.Buffer
		if err := Write(t.Context(), &out, ds, WriteSettings{}); err != nil {
			t.Fatal(err)
		}

		back, err := Read(t.Context(), bytes.NewReader(out.Bytes()), "back.json", ReadSettings{})
		if err != nil {
			t.Fatalf("read back: %v\n%s", err, out.String())
		}

		if len(back.Points) != len(ds.Points) {
			t.Fatalf("points %d, want %d", len(back.Points), len(ds.Points))
		}
	})
}

func TestWriteNonFinite(t *testing.T) {
	ds := &survey.Dataset{Lines: []survey.Line{{Vertices: []survey.Vertex{{E: math.Inf(1)}, {E: 1}}}}}
	if err := Write(t.Context(), &bytes.Buffer{}, ds, WriteSettings{}); err == nil {
		t.Error("Inf written")
	}
}
