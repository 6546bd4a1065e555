package csv

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func read(t *testing.T, in string, s ReadSettings) *survey.Dataset {
	t.Helper()
	ds, err := Read(t.Context(), strings.NewReader(in), "test.csv", s)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}

	return ds
}

func pointByID(ds *survey.Dataset, id string) (survey.Point, bool) {
	for _, p := range ds.Points {
		if p.ID == id {
			return p, true
		}
	}

	return survey.Point{}, false
}

func TestSampleTopo0(t *testing.T) {
	b := samplefiles.ReadFile(t, "pnezd_topo0_charlotte_crlf.asc")
	ds, err := Read(t.Context(), bytes.NewReader(b), "topo0.asc", ReadSettings{Unit: survey.USSurveyFoot})
	if err != nil {
		t.Fatal(err)
	}

	if got := len(ds.Points); got != 1311 {
		t.Fatalf("points = %d, want 1311", got)
	}

	if len(ds.Warnings) != 0 {
		t.Errorf("warnings: %v", ds.Warnings)
	}

	want := map[string]string{"1081": `TOP WALL 18" WI`, "1082": `TOP WALL 18" WI`,
		"1121": "EP          E", "1": "I", "4": "TOPWALL"}
	for id, code := range want {
		p, ok := pointByID(ds, id)
		if !ok || p.Code != code {
			t.Errorf("point %s code = %q, want %q", id, p.Code, code)
		}
	}

	if _, ok := pointByID(ds, "1111"); ok {
		t.Error("point 1111 should be missing")
	}

	p, _ := pointByID(ds, "1")
	f := 1200.0 / 3937.0
	if math.Abs(p.N-538542.57*f) > 1e-6 || math.Abs(p.E-1455644.371*f) > 1e-6 ||
		!p.HasZ || math.Abs(p.Z-681.31*f) > 1e-6 {
		t.Errorf("point 1 = %+v", p)
	}

	if ds.SourceUnit != survey.USSurveyFoot {
		t.Errorf("unit = %q", ds.SourceUnit)
	}
}

func TestSampleRW5CSV(t *testing.T) {
	b := samplefiles.ReadFile(t, "csv_tab_header_emptyfields_from_rw5.csv")
	for _, bom := range []bool{false, true} {
		in := b
		if bom {
			in = append(append([]byte{}, utf8BOM...), b...)
		}

		layout, err := DetectLayout(in, ReadSettings{})
		if err != nil {
			t.Fatal(err)
		}

		if layout.Delimiter != '\t' || layout.HeaderLine != 1 || layout.Header[0] != "Rec_Desc" {
			t.Fatalf("layout = %+v", layout)
		}

		ds, err := Read(t.Context(), bytes.NewReader(in), "rw5.csv", ReadSettings{})
		if err != nil {
			t.Fatal(err)
		}

		if len(ds.Points) != 1 || ds.Observations != 9 {
			t.Fatalf("points %d, observations %d; want 1 and 9", len(ds.Points), ds.Observations)
		}

		p := ds.Points[0]
		if p.ID != "108" || p.Code != "FENCE1" || p.N != 16556174237 || p.Z != 16404 {
			t.Errorf("point = %+v", p)
		}

		if p.Attrs["Rec_Desc"] != "Side Shot" || p.Attrs["Slope Dist"] != "3.3566" {
			t.Errorf("attrs = %v", p.Attrs)
		}

		implied, noCoords := 0, 0
		for _, w := range ds.Warnings {
			if strings.Contains(w.Msg, "implied decimals") {
				implied++
			}

			if strings.Contains(w.Msg, "no coordinates") {
				noCoords++
			}

			if w.File != "rw5.csv" || w.Line == 0 {
				t.Errorf("warning without place: %v", w)
			}
		}

		if implied == 0 || noCoords != 9 {
			t.Errorf("implied %d, no-coordinate warnings %d; warnings %v", implied, noCoords, ds.Warnings)
		}
	}
}

func TestPitfalls(t *testing.T) {
	pt := func(id string, n, e, z float64, hasZ bool, code string) survey.Point {
		return survey.Point{ID: id, N: n, E: e, Z: z, HasZ: hasZ, Code: code}
	}

	tests := []struct {
		name string
		in   string
		s    ReadSettings
		want []survey.Point
	}{
		{"utf8 bom with header", "\ufeffPoint,Northing,Easting,Elevation,Desc\n1,10,20,30,A\n",
			ReadSettings{}, []survey.Point{pt("1", 10, 20, 30, true, "A")}},
		{"windows-1252 degree", "1,10,20,30,ANGLE 45\xb0 \xe9\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, "ANGLE 45° é")}},
		{"utf-16le with bom (Excel unicode text)", utf16le("Point\tNorthing\tEasting\tElevation\tDesc\r\n1\t10\t20\t30\tStraße\r\n"),
			ReadSettings{}, []survey.Point{pt("1", 10, 20, 30, true, "Straße")}},
		{"utf-16be with bom", "\xfe\xff\x00" + strings.Join(strings.Split("1,10,20,30,A\n", ""), "\x00"),
			ReadSettings{}, []survey.Point{pt("1", 10, 20, 30, true, "A")}},
		{"cr only", "1,10,20,30,A\r2,11,21,31,B\r", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, "A"), pt("2", 11, 21, 31, true, "B")}},
		{"crlf and damaged endings", "1,10,20,30,A\r\r\r\n2,11,21,31,B\r\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, "A"), pt("2", 11, 21, 31, true, "B")}},
		{"stray quote", `1,10,20,30,TOP WALL 18" WI` + "\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, `TOP WALL 18" WI`)}},
		{"quoted description with comma", `1,10,20,30,"CURB, NEW"` + "\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, "CURB, NEW")}},
		{"description keeps commas and spaces", "1,10,20,30,EP          E, x\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, "EP          E, x")}},
		{"semicolon decimal comma", "1;345,67;12,5;1,25;A\n", ReadSettings{},
			[]survey.Point{pt("1", 345.67, 12.5, 1.25, true, "A")}},
		{"german header", "Pkt;Rechtswert;Hochwert;Höhe\n7;4500,5;5300,25;99,1\n", ReadSettings{},
			[]survey.Point{pt("7", 5300.25, 4500.5, 99.1, true, "")}},
		{"german header in windows-1252", "Pkt;Rechtswert;Hochwert;H\xf6he;Code\n7;4500,5;5300,25;99,1;Grenzstein \xc4\n",
			ReadSettings{}, []survey.Point{pt("7", 5300.25, 4500.5, 99.1, true, "Grenzstein Ä")}},
		{"tab header", "Pt\tN\tE\tZ\tCode\n1\t10\t20\t\tX\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 0, false, "X")}},
		{"spreadsheet blank rows and comments", "# comment\n// other\n;;;;\n1,10,20,30,A\n,,,,\n",
			ReadSettings{}, []survey.Point{pt("1", 10, 20, 30, true, "A")}},
		{"semicolon comment line", "; exported\n1,10,20,30,A\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 30, true, "A")}},
		{"penzd axis order", "1,20,10,30,A\n", ReadSettings{Template: PENZD},
			[]survey.Point{pt("1", 10, 20, 30, true, "A")}},
		{"ignored zone column", "1,33,20,10\n", ReadSettings{Template: "P-EN"},
			[]survey.Point{pt("1", 10, 20, 0, false, "")}},
		{"nez generates ids", "10 20 30\n11 21 31\n", ReadSettings{Template: NEZ},
			[]survey.Point{pt("1", 10, 20, 30, true, ""), pt("2", 11, 21, 31, true, "")}},
		{"enz", "20,10,30\n", ReadSettings{Template: ENZ},
			[]survey.Point{pt("1", 10, 20, 30, true, "")}},
		{"no elevation versus zero", "1,10,20,,A\n2,10,20,0,B\n3,10,20\n", ReadSettings{},
			[]survey.Point{pt("1", 10, 20, 0, false, "A"), pt("2", 10, 20, 0, true, "B"),
				pt("3", 10, 20, 0, false, "")}},
		{"whitespace runs keep description", "1   10.5  20.5   30.5  EP   E  \n", ReadSettings{},
			[]survey.Point{pt("1", 10.5, 20.5, 30.5, true, "EP   E")}},
		{"big state plane coordinates", "1,538542.57000,1455644.37100,681.31\n", ReadSettings{},
			[]survey.Point{pt("1", 538542.57, 1455644.371, 681.31, true, "")}},
		{"number syntax with spaces", "1, 10.5 , 20. ,+3e1, A\n", ReadSettings{},
			[]survey.Point{pt("1", 10.5, 20, 30, true, "A")}},
		{"float32 artefacts and long digits", "1,463.41876220703125,1.23456789012345678901234,0.\n",
			ReadSettings{}, []survey.Point{pt("1", 463.41876220703125, 1.2345678901234568, 0, true, "")}},
		{"negative coordinates", "BP (NO.-4-10),-12345.678,-98765.432,-0.5,X\n", ReadSettings{},
			[]survey.Point{pt("BP (NO.-4-10)", -12345.678, -98765.432, -0.5, true, "X")}},
		{"alphanumeric ids kept", "3.1STKE,10,20,30,A\n007,1,2,3,B\n", ReadSettings{},
			[]survey.Point{pt("3.1STKE", 10, 20, 30, true, "A"), pt("007", 1, 2, 3, true, "B")}},
		{"feet converted", "1,100,200,10\n", ReadSettings{Unit: survey.Foot},
			[]survey.Point{pt("1", 30.48, 60.96, 3.048, true, "")}},
		{"forced 1252 decodes valid utf8 bytes", "1,1,2,3,\xc3\xa9\n",
			ReadSettings{Encoding: EncodingWindows1252},
			[]survey.Point{pt("1", 1, 2, 3, true, "Ã©")}},
	}

	approx := cmpopts.EquateApprox(0, 1e-9)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := read(t, tt.in, tt.s)
			if d := cmp.Diff(tt.want, ds.Points, approx, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("points (-want +got):\n%s\nwarnings %v", d, ds.Warnings)
			}
		})
	}
}

func TestReportedRows(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // substring of a warning
		points   int
	}{
		{"bad number", "1,abc,20,30\n2,1,2,3\n", `northing "abc" is not a number`, 1},
		{"inf rejected", "1,INF,20,30\n2,1,2,3\n", "is not a number", 1},
		{"missing id", ",1,2,3\n2,1,2,3\n", "no point id", 1},
		{"implied decimals", "1,16556174237,942130662,1\n", "implied decimals", 1},
		{"bad elevation", "1,1,2,x\n", "point read without elevation", 1},
		{"no coordinates", "1,,,,A\n2,1,2,3\n", "no coordinates", 1},
		{"decimal comma noted", "1;1,5;2;3\n", "decimal comma", 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := read(t, tt.in, ReadSettings{})
			if len(ds.Points) != tt.points {
				t.Errorf("points = %d, want %d", len(ds.Points), tt.points)
			}

			found := false
			for _, w := range ds.Warnings {
				if strings.Contains(w.Msg, tt.want) && w.Line > 0 && w.File == "test.csv" {
					found = true
				}
			}

			if !found {
				t.Errorf("no warning %q in %v", tt.want, ds.Warnings)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		s        ReadSettings
		want     string
	}{
		{"empty", "", ReadSettings{}, "no data rows"},
		{"only comments", "# a\n\n", ReadSettings{}, "no data rows"},
		{"only observations", "Pt,N,E\n1,,\n2,,\n", ReadSettings{}, "none of the 2 data rows"},
		{"header without coordinates", "Point,Code\n1,A\n", ReadSettings{}, "names no northing"},
		{"bad template", "1,2,3\n", ReadSettings{Template: "PQ"},
			`the column order "PQ" is not valid: unknown column`},
		{"decimal comma with comma", "1,2,3\n", ReadSettings{Decimal: ','}, "decimal comma"},
		{"binary named .csv", "1,2,3\n\x00\x01\x02\xff\x00\n", ReadSettings{}, "binary content"},
		{"line too long", "1,2,3," + strings.Repeat("x", MaxLineLength+10) + "\n", ReadSettings{}, "longer than"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(t.Context(), strings.NewReader(tt.in), "bad.csv", tt.s)
			var pe *survey.ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) ||
				!strings.HasPrefix(err.Error(), "bad.csv") {
				t.Errorf("err = %v, want ParseError with %q", err, tt.want)
			}
		})
	}
}

func TestCROnlyOver64KiB(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		b.WriteString("P")
		b.WriteString(strings.Repeat("0", 3))
		b.WriteString(string(rune('0' + i%10)))
		b.WriteString(",1000.000,2000.000,3.000,CODE\r")
	}

	ds := read(t, b.String(), ReadSettings{})
	if len(ds.Points) != 5000 {
		t.Fatalf("points = %d", len(ds.Points))
	}
}

func TestLineNumbersInWarnings(t *testing.T) {
	ds := read(t, "1,1,2,3\r\n\r\n# c\r\n2,x,2,3\r\n", ReadSettings{})
	if len(ds.Warnings) != 1 || ds.Warnings[0].Line != 4 {
		t.Errorf("warnings = %v, want one on line 4", ds.Warnings)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	in := strings.Repeat("1,2,3,4\n", 10000)
	if _, err := Read(ctx, strings.NewReader(in), "x", ReadSettings{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestParseTemplate(t *testing.T) {
	for _, ok := range []string{"PNEZD", "penzd", "P-EN", "NEZ", "P,N,E", "--PNE-ZD"} {
		if _, err := ParseTemplate(ok); err != nil {
			t.Errorf("ParseTemplate(%q): %v", ok, err)
		}
	}

	for _, bad := range []string{"", "PNN E", "PZD", "PNEQ"} {
		if _, err := ParseTemplate(bad); err == nil {
			t.Errorf("ParseTemplate(%q): no error", bad)
		}
	}
}

func TestSniff(t *testing.T) {
	if got := Sniff("a.asc", []byte("1,538542.57000,1455644.37100,681.31000,I\r\n")); got < 60 {
		t.Errorf("pnezd sniff = %d", got)
	}

	for name, head := range map[string]string{
		"x.xml":  `<?xml version="1.0"?><LandXML>`,
		"x.gsi":  "110001+00000100 81..00+00515836 82..00+00012345 83..00+00000100 \r\n",
		"x.dxf":  "  0\nSECTION\n  2\nHEADER\n",
		"x.json": `{"type":"FeatureCollection"}`,
		"x.bin":  "\x00\x01\x02",
	} {
		if got := Sniff(name, []byte(head)); got > 10 {
			t.Errorf("Sniff(%s) = %d, want low", name, got)
		}
	}
}

// utf16le encodes s as UTF-16LE with a byte-order mark.
func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}

	return string(b)
}

// TestDecimalCommaWarning: the "decimal comma" warning tells the user a
// guess was made; with --decimal ',' chosen there is nothing to tell.
func TestDecimalCommaWarning(t *testing.T) {
	const in = "1;345,67;12,5;1,25;A\n"
	tests := []struct {
		name string
		s    ReadSettings
		warn bool
	}{
		{"detected", ReadSettings{}, true},
		{"chosen", ReadSettings{Decimal: ','}, false},
		{"chosen with delimiter", ReadSettings{Decimal: ',', Delimiter: ';'}, false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := read(t, in, tt.s)
			if len(ds.Points) != 1 || ds.Points[0].N != 345.67 {
				t.Fatalf("points %+v", ds.Points)
			}

			got := false
			for _, w := range ds.Warnings {
				got = got || strings.Contains(w.Msg, "decimal comma")
			}

			if got != tt.warn {
				t.Errorf("decimal comma warning %v, want %v (warnings %v)", got, tt.warn, ds.Warnings)
			}
		})
	}
}
