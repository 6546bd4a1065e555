package csv

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func write(t testing.TB, ds *survey.Dataset, s WriteSettings) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(t.Context(), &b, ds, s); err != nil {
		t.Fatalf("Write: %v", err)
	}

	return b.String()
}

func TestWrite(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{
		{ID: "1", N: 10, E: 20, Z: 30, HasZ: true, Code: "CURB, NEW"},
		{ID: "2", N: 10.00049, E: -0.0001, Code: `TOP WALL 18" WI`},
		{ID: "3", N: 1, E: 2, Z: 0, HasZ: true, Code: " lead"},
	}}

	tests := []struct {
		name string
		s    WriteSettings
		want string
	}{
		{"default", WriteSettings{},
			"1,10.000,20.000,30.000,\"CURB, NEW\"\n2,10.000,0.000,,TOP WALL 18\" WI\n3,1.000,2.000,0.000,\" lead\"\n"},
		{"header crlf tab", WriteSettings{Header: true, CRLF: true, Delimiter: '\t', Template: PENZ, Decimals: 1},
			"Point\tEasting\tNorthing\tElevation\r\n1\t20.0\t10.0\t30.0\r\n2\t0.0\t10.0\t\r\n3\t2.0\t1.0\t0.0\r\n"},
		{"semicolon decimal comma whole", WriteSettings{Delimiter: ';', DecimalComma: true, Decimals: 2, Template: "PNE"},
			"1;10,00;20,00\n2;10,00;0,00\n3;1,00;2,00\n"},
		{"bom", WriteSettings{BOM: true, Template: "PN-E", Decimals: -1},
			"\ufeff1,10,,20\n2,10,,0\n3,1,,2\n"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := write(t, ds, tt.s)
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestWriteFeet(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "1", N: 304800, E: 304800}}}
	if got := write(t, ds, WriteSettings{Unit: survey.Foot, Template: "PNE"}); got != "1,1000000.000,1000000.000\n" {
		t.Errorf("got %q", got)
	}

	if got := write(t, ds, WriteSettings{Unit: survey.USSurveyFoot, Template: "PNE"}); got != "1,999998.000,999998.000\n" {
		t.Errorf("got %q", got)
	}
}

func TestWriteDeterministic(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "a", N: 1.23456, E: 2, Code: "x", Attrs: map[string]string{"b": "1", "a": "2"}}}}
	a := write(t, ds, WriteSettings{Header: true})
	b := write(t, ds, WriteSettings{Header: true})
	if a != b {
		t.Error("output differs between runs")
	}

	if write(t, &survey.Dataset{}, WriteSettings{Header: true}) != "Point,Northing,Easting,Elevation,Description\n" {
		t.Error("empty dataset header")
	}
}

func roundTripPoints() []survey.Point {
	return []survey.Point{
		{ID: "1", N: 538542.57, E: 1455644.371, Z: 681.31, HasZ: true, Code: "I"},
		{ID: "1081", N: 538577.58564, E: 1454659.9534, Z: 671.72785, HasZ: true, Code: `TOP WALL 18" WI`},
		{ID: "1121", N: 1, E: 2, Z: 3, HasZ: true, Code: "EP          E"},
		{ID: "3.1STKE", N: -5, E: -6, Code: "NO Z"},
		{ID: "z0", N: 5, E: 6, Z: 0, HasZ: true, Code: ""},
		{ID: "q", N: 5, E: 6, Z: 1, HasZ: true, Code: `"quoted", with comma`},
		{ID: "id,comma", N: 7, E: 8, Code: "  spaces  "},
		{ID: "semi;colon", N: 7, E: 8, Code: "tab\there ° é"},
		{ID: "numcode", N: 7, E: 8, Code: "42"},
		// Ids that would make the line a comment must be quoted, not lost.
		{ID: "#5", N: 9, E: 10, Z: 1, HasZ: true, Code: "#hash"},
		{ID: "//6", N: 9, E: 10, Code: "//c"},
		{ID: ";7", N: 9, E: 10, Code: ";x"},
	}
}

func TestRoundTrip(t *testing.T) {
	settings := []WriteSettings{
		{Decimals: 6},
		{Decimals: 6, Delimiter: ';', DecimalComma: true, Header: true, CRLF: true},
		{Decimals: 6, Delimiter: '\t', Header: true, BOM: true},
		{Decimals: 6, Delimiter: ' ', Template: PENZD},
		{Decimals: 6, Unit: survey.USSurveyFoot},
	}

	opts := cmp.Options{cmpopts.EquateApprox(0, 1e-6), cmpopts.EquateEmpty()}
	for i, ws := range settings {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			in := &survey.Dataset{Points: roundTripPoints()}
			out := write(t, in, ws)
			rs := ReadSettings{Template: ws.Template, Unit: ws.Unit, Delimiter: ws.Delimiter}
			if ws.Delimiter == '\t' {
				rs.Delimiter = 0 // let detection find it
			}

			got := read(t, out, rs)
			if d := cmp.Diff(in.Points, got.Points, opts); d != "" {
				t.Errorf("round trip (-want +got):\n%s\nfile:\n%s\nwarnings: %v", d, out, got.Warnings)
			}
		})
	}
}

func TestRoundTripTopo0(t *testing.T) {
	b := samplefiles.ReadFile(t, "pnezd_topo0_charlotte_crlf.asc")
	in, err := Read(t.Context(), bytes.NewReader(b), "topo0.asc", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	out := write(t, in, WriteSettings{Decimals: 5, CRLF: true})
	if strings.Count(out, "\r\n") != 1311 {
		t.Errorf("lines = %d", strings.Count(out, "\r\n"))
	}

	got := read(t, out, ReadSettings{})
	if d := cmp.Diff(in.Points, got.Points, cmpopts.EquateApprox(0, 1e-6)); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"1,10,20,30,A\n", "\ufeffPoint;Northing;Easting\n1;1,5;2,5\n", "1 2 3 4 EP   E\r",
		`1,10,20,30,TOP WALL 18" WI` + "\r\n", "Pt\tN\tE\n1\t\t\n", "# c\n;;;;\n,,,\n",
		"1,\"a\"\"b\",2,3\n", "1,16556174237,942130662,1\n", "1,1e400,2,3\n",
		utf16le("Point\tN\tE\tZ\n1\t10\t20\t\n"), "1,2,3\n\x00\x01\xff\n",
		"Pkt;Rechtswert;Hochwert;H\xf6he;Code\n1;2000,5;5000,25;;Stra\xdfe\n",
	} {
		f.Add([]byte(s))
	}

	if dir, ok := samplefiles.Dir(); ok {
		for _, name := range []string{"pnezd_topo0_charlotte_crlf.asc", "csv_tab_header_emptyfields_from_rw5.csv"} {
			if b, err := readFileLimited(dir, name, 8<<10); err == nil {
				f.Add(b)
			}
		}
	}

	f.Fuzz(func(t *testing.T, in []byte) {
		ds, err := Read(t.Context(), bytes.NewReader(in), "fuzz.csv", ReadSettings{})
		if err != nil {
			return
		}

		if len(ds.Points) == 0 {
			t.Fatal("success with no points")
		}

		// What was read must survive a write and a read back.
		out := write(t, ds, WriteSettings{Decimals: 9})
		back, err := Read(t.Context(), strings.NewReader(out), "back.csv", ReadSettings{Template: PNEZD, Delimiter: ','})
		if err != nil {
			t.Fatalf("read back: %v\n%q", err, out)
		}

		if len(back.Points) != len(ds.Points) {
			t.Fatalf("read back %d points, want %d\n%q", len(back.Points), len(ds.Points), out)
		}
	})
}

func TestWriteNonFinite(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "x", N: math.NaN()}}}
	if err := Write(t.Context(), io.Discard, ds, WriteSettings{}); err == nil {
		t.Error("NaN written")
	}
}
