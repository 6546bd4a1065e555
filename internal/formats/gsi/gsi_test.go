package gsi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func readSample(t *testing.T, file string, s ReadSettings) (*survey.Dataset, error) {
	t.Helper()
	return Read(t.Context(), bytes.NewReader(samplefiles.ReadFile(t, file)), file, s)
}

func findPoint(ds *survey.Dataset, id string) *survey.Point {
	for i := range ds.Points {
		if ds.Points[i].ID == id {
			return &ds.Points[i]
		}
	}

	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestSampleErtola(t *testing.T) {
	ds, err := readSample(t, "gsi8_ertola_crlf_coords.gsi", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	// 689 records carry 81/82/83; point 132 (line 132) has all-zero words and a
	// zero distance, a failed shot, so it is flagged instead of placed at 0,0.
	if got := len(ds.Points); got != 688 {
		t.Fatalf("points = %d, want 688 (689 coordinate records, 1 all-zero)", got)
	}

	if findPoint(ds, "132") != nil || !hasWarning(ds, "1 record with all-zero") {
		t.Errorf("point 132 placed or not reported: %v", ds.Warnings)
	}

	p := ds.Points[0]
	if p.ID != "1" || p.Code != "1" || !near(p.E, 515.836) || !near(p.N, 525.871) ||
		!p.HasZ || !near(p.Z, 3.079) {
		t.Errorf("first point = %+v", p)
	}

	if p := findPoint(ds, "STAZION1"); p == nil || !p.HasZ || p.Z != 0 || !near(p.E, 500) {
		t.Errorf("STAZION1 = %+v, want E 500 with a real Z of 0", p)
	}

	if ds.Observations != 6 {
		t.Errorf("observations = %d, want 6 orientation shots", ds.Observations)
	}

	if ds.SourceUnit != survey.Metre {
		t.Errorf("unit = %q", ds.SourceUnit)
	}

	if !hasWarning(ds, "4 station setups read (STAZLIB3, STAZLIB4)") {
		t.Errorf("no station warning in %v", ds.Warnings)
	}

	ds, err = readSample(t, "gsi8_ertola_crlf_coords.gsi", ReadSettings{StationsAsPoints: true})
	if err != nil {
		t.Fatal(err)
	}

	st := findPoint(ds, "STAZLIB3")
	if len(ds.Points) != 692 || st == nil || st.Attrs["role"] != "station" || !near(st.Z, -0.588) {
		t.Errorf("with stations: %d points, STAZLIB3 = %+v", len(ds.Points), st)
	}
}

func TestSampleRyconZeroPlaceholders(t *testing.T) {
	ds, err := readSample(t, "GSI16_rycon_cartesian_zero_placeholders.GSI", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	if len(ds.Points) != 13 {
		t.Fatalf("points = %d, want 13", len(ds.Points))
	}

	for _, id := range []string{"2017", "2016", "2160"} {
		if findPoint(ds, id) != nil {
			t.Errorf("zero placeholder %s imported", id)
		}
	}

	zeroWarnings := 0
	for _, w := range ds.Warnings {
		if strings.Contains(w.Msg, "all-zero coordinates") && w.Line > 0 {
			zeroWarnings++
		}
	}

	if zeroWarnings != 3 {
		t.Errorf("zero-placeholder warnings = %d, want 3: %v", zeroWarnings, ds.Warnings)
	}

	p := findPoint(ds, "2160STKE")
	if p == nil || !near(p.E, 6563.9031) || !near(p.N, 2077.3762) || !near(p.Z, 299.5666) {
		t.Errorf("2160STKE = %+v", p)
	}

	for _, id := range []string{"3.1STKE", "H.00STKE", "GPSK.01"} {
		if findPoint(ds, id) == nil {
			t.Errorf("id %q not found", id)
		}
	}

	dup := 0
	for _, p := range ds.Points {
		if p.ID == "2160STKE" {
			dup++
		}
	}

	if dup != 2 {
		t.Errorf("2160STKE appears %d times, want 2 (a stake-out check)", dup)
	}
}

func TestSampleRilievoObservationsOnly(t *testing.T) {
	ds, err := readSample(t, "gsi8_rilievo_cr_only_polar.gsi", ReadSettings{})
	if !errors.Is(err, ErrObservationsOnly) {
		t.Fatalf("err = %v, want ErrObservationsOnly", err)
	}

	var pe *survey.ParseError
	if !errors.As(err, &pe) || pe.File != "gsi8_rilievo_cr_only_polar.gsi" {
		t.Errorf("err = %#v, want a *survey.ParseError naming the file", err)
	}

	if ds == nil || len(ds.Points) != 0 || ds.Observations != 23 {
		t.Fatalf("dataset = %+v, want 0 points and 23 observations", ds)
	}

	if !hasWarning(ds, "23 raw observations") {
		t.Errorf("no observations warning: %v", ds.Warnings)
	}
}

func hasWarning(ds *survey.Dataset, sub string) bool {
	for _, w := range ds.Warnings {
		if strings.Contains(w.Msg, sub) {
			return true
		}
	}

	return false
}

func TestReadDialects(t *testing.T) {
	gsi8 := "110001+00000101 81..00+00001000 82..00+00002000 83..00-00000500 71....+0000TREE \r\n"
	gsi16 := "*110001+0000000000000101 81..06+0000000000010000 82..06+0000000000020000 " +
		"83..06-0000000000005000 71....+000000000000TREE\n"
	want := []survey.Point{{ID: "101", Code: "TREE", E: 1, N: 2, Z: -0.5, HasZ: true}}

	tests := []struct {
		name, in string
		s        ReadSettings
		want     []survey.Point
	}{
		{"gsi8 crlf", gsi8, ReadSettings{}, want},
		{"gsi16 star", gsi16, ReadSettings{}, want},
		{"cr only", strings.ReplaceAll(gsi8, "\r\n", "\r") + strings.ReplaceAll(gsi8, "\r\n", "\r\r\r"),
			ReadSettings{}, append(append([]survey.Point{}, want...), want...)},
		{"BOM", "\ufeff" + gsi8, ReadSettings{}, want},
		{"no trailing newline", strings.TrimRight(gsi8, "\r\n"), ReadSettings{}, want},
		{"blank lines and trailing spaces", "\n\n  " + gsi8 + "   \n\n", ReadSettings{}, want},
		{"missing height", "110001+00000007 81..00+00001000 82..00+00002000\n", ReadSettings{},
			[]survey.Point{{ID: "7", E: 1, N: 2}}},
		{"per-word units", "110001+0000000A 81..06+00010000 82..08+00200000 83..00+00003000\n",
			ReadSettings{}, []survey.Point{{ID: "A", E: 1, N: 2, Z: 3, HasZ: true}}},
		{"feet", "110001+0000000A 81..01+00001000 82..07+00010000\n", ReadSettings{},
			[]survey.Point{{ID: "A", E: 0.3048, N: 0.3048}}},
		{"left handed", "110001+0000000A 81..00+00001000 82..00+00002000\n",
			ReadSettings{LeftHanded: true}, []survey.Point{{ID: "A", E: 2, N: 1}}},
		{"keep padding", "110001+00000101 81..00+00001000 82..00+00002000\n",
			ReadSettings{KeepPadding: true}, []survey.Point{{ID: "00000101", E: 1, N: 2}}},
		{"zero id", "110001+00000000 81..00+00001000 82..00+00002000\n", ReadSettings{},
			[]survey.Point{{ID: "0", E: 1, N: 2}}},
		{"zero Z with real E N", "110001+00000009 81..00+00001000 82..00+00002000 83..00+00000000\n",
			ReadSettings{}, []survey.Point{{ID: "9", E: 1, N: 2, HasZ: true}}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(t.Context(), strings.NewReader(tt.in), "t.gsi", tt.s)
			if err != nil {
				t.Fatal(err)
			}

			if diff := cmp.Diff(tt.want, ds.Points, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("points (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadWarningsAndErrors(t *testing.T) {
	in := "110001+00000001 81..00+00001000 82..00+00002000\n" +
		"garbage\n" +
		"110003+00000003 81..0X+00001000 82..00+00002000\n" +
		"110004+00000004 81..00+00000000 82..00+00000000 83..00+00000000\n" +
		"110005+00000005 81..00+00000000 82..00+00000000 83..00+00001234\n"
	ds, err := Read(t.Context(), strings.NewReader(in), "w.gsi", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	lines := map[int]bool{}
	for _, w := range ds.Warnings {
		lines[w.Line] = true
	}

	// Point 5 sits at the origin with a height: a real point, not a placeholder.
	if len(ds.Points) != 2 || !lines[2] || !lines[3] || !lines[4] || lines[5] {
		t.Errorf("points %d, warnings %v", len(ds.Points), ds.Warnings)
	}

	_, err = Read(t.Context(), strings.NewReader("hello\n"), "e.gsi", ReadSettings{})
	if !errors.Is(err, ErrNoRecords) {
		t.Errorf("err = %v, want ErrNoRecords", err)
	}

	long := strings.Repeat("1", maxLine+10)
	_, err = Read(t.Context(), strings.NewReader(long), "l.gsi", ReadSettings{})
	var pe *survey.ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "longer than") {
		t.Errorf("err = %v, want a line-length ParseError", err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	big := strings.Repeat("110001+00000001 81..00+00001000 82..00+00002000\n", ctxEvery+1)
	if _, err := Read(ctx, strings.NewReader(big), "c.gsi", ReadSettings{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRoundTrip(t *testing.T) {
	in := &survey.Dataset{Points: []survey.Point{
		{ID: "1", Code: "TREE", E: 515836.123, N: 5258712.987, Z: -3.079, HasZ: true},
		{ID: "STAZLIB3", E: -1.5, N: 2.25},
		{ID: "3.1STKE", Code: "FENCE.1", E: 0.001, N: 0.002, Z: 0, HasZ: true},
	}}

	for _, s := range []WriteSettings{{}, {TenthMillimetre: true}} {
		var buf bytes.Buffer
		if err := Write(t.Context(), &buf, in, s); err != nil {
			t.Fatal(err)
		}

		if !strings.HasPrefix(buf.String(), "*110001+0000000000000001 81..0") ||
			strings.Count(buf.String(), "\r\n") != 3 {
			t.Fatalf("output:\n%s", buf.String())
		}

		out, err := Read(t.Context(), &buf, "rt.gsi", ReadSettings{})
		if err != nil {
			t.Fatal(err)
		}

		if diff := cmp.Diff(in.Points, out.Points, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
			t.Errorf("round trip %+v (-in +out):\n%s", s, diff)
		}
	}
}

func TestWriteDeterministic(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "A", Code: "has space", E: 1, N: 2}}}
	var a, b bytes.Buffer
	if err := Write(t.Context(), &a, ds, WriteSettings{}); err != nil {
		t.Fatal(err)
	}

	if err := Write(t.Context(), &b, ds, WriteSettings{}); err != nil {
		t.Fatal(err)
	}

	if a.String() != b.String() {
		t.Errorf("output %q vs %q", a.String(), b.String())
	}
}

// TestWriteChangedIDsAndCodes: ids and codes GSI cannot hold are written
// changed with a warning for each id and one summing up the codes, read
// back as written, and never fail the export or vanish.
func TestWriteChangedIDsAndCodes(t *testing.T) {
	long := "BOUNDARY-PIN-000017" // 19 characters
	tests := []struct {
		name     string
		s        WriteSettings
		in       []survey.Point
		wantIDs  []string
		wantCode []string
		warnings int
	}{
		{"id with spaces (J-LandXML sample)", WriteSettings{},
			[]survey.Point{{ID: "BP (NO.-4-10)", Code: "X"}}, []string{"BP_(NO.-4-10)"}, []string{"X"}, 1},
		{"code with spaces and accents", WriteSettings{},
			[]survey.Point{{ID: "1", Code: "Grenzstein Ä"}, {ID: "2", Code: "Straße"}},
			[]string{"1", "2"}, []string{"Grenzstein_A", "Strasse"}, 1},
		{"non-ASCII id replaced", WriteSettings{},
			[]survey.Point{{ID: "点1"}}, []string{"_1"}, []string{""}, 1},
		{"long id keeps its end", WriteSettings{},
			[]survey.Point{{ID: long}}, []string{long[len(long)-16:]}, []string{""}, 1},
		{"long code keeps its start", WriteSettings{},
			[]survey.Point{{ID: "1", Code: "FENCE POST WOODEN LEFT"}}, []string{"1"},
			[]string{"FENCE_POST_WOODE"}, 1},
		{"changed id does not take another's", WriteSettings{},
			[]survey.Point{{ID: "A B"}, {ID: "A_B"}}, []string{"A_B_2", "A_B"}, []string{"", ""}, 1},
		{"two ids that shorten alike", WriteSettings{GSI8: true},
			[]survey.Point{{ID: "STATION-101"}, {ID: "XTATION-101"}}, []string{"TION-101", "ON-101_2"},
			[]string{"", ""}, 2},
		{"empty id gets the record number", WriteSettings{},
			[]survey.Point{{ID: ""}}, []string{"1"}, []string{""}, 1},
		{"gsi-8 id limit", WriteSettings{GSI8: true},
			[]survey.Point{{ID: "123456789", Code: "ABCDEFGHIJ"}, {ID: "12345678"}},
			[]string{"23456789", "12345678"}, []string{"ABCDEFGH", ""}, 2},
		{"leading zero is padding", WriteSettings{},
			[]survey.Point{{ID: "007", Code: "01"}}, []string{"7"}, []string{"1"}, 2},
		{"plain ids need no warning", WriteSettings{},
			[]survey.Point{{ID: "3.1STKE", Code: "FENCE.1"}}, []string{"3.1STKE"}, []string{"FENCE.1"}, 0},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.in {
				tt.in[i].E, tt.in[i].N = 1000+float64(i), 2000
			}

			var buf bytes.Buffer
			warns, err := WriteWarnings(t.Context(), &buf, &survey.Dataset{Points: tt.in}, tt.s)
			if err != nil {
				t.Fatal(err)
			}

			if len(warns) != tt.warnings {
				t.Errorf("warnings %v, want %d", warns, tt.warnings)
			}

			for _, w := range warns {
				code := strings.HasPrefix(w.Msg, "changed ") || strings.HasPrefix(w.Msg, "a leading")
				if w.Msg == "" || (w.Element == "") != code {
					t.Errorf("warning %+v: an id's names the point, the codes' none", w)
				}
			}

			if tt.s.GSI8 == strings.HasPrefix(buf.String(), "*") {
				t.Errorf("GSI8 %v, output:\n%s", tt.s.GSI8, buf.String())
			}

			out, err := Read(t.Context(), &buf, "rt.gsi", ReadSettings{})
			if err != nil {
				t.Fatal(err)
			}

			var gotIDs, gotCodes []string
			for _, p := range out.Points {
				gotIDs, gotCodes = append(gotIDs, p.ID), append(gotCodes, p.Code)
			}

			if !cmp.Equal(gotIDs, tt.wantIDs) || !cmp.Equal(gotCodes, tt.wantCode) {
				t.Errorf("read back ids %q codes %q, want %q %q", gotIDs, gotCodes, tt.wantIDs, tt.wantCode)
			}
		})
	}
}

// TestWriteGSI8CoordinateLimit: a coordinate that does not fit 8 digits is
// an error naming the point, not a wrong value.
func TestWriteGSI8CoordinateLimit(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "1", E: 515836.123, N: 1}}}
	if err := Write(t.Context(), &bytes.Buffer{}, ds, WriteSettings{GSI8: true}); err == nil ||
		!strings.Contains(err.Error(), `point "1"`) {
		t.Errorf("err = %v", err)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, head string
		min, max   int
	}{
		{"x.gsi", "110001+00000001 81..00+00001000 82..00+00002000\r\n", 90, 100},
		{"x.txt", "*110001+0000000000002017 81..06+0000000000000000\n", 80, 100},
		{"x.csv", "1,2,3,4\n", 0, 0},
		{"X.GSI", "nonsense", 20, 20},
	}

	for _, tt := range tests {
		if got := Sniff(tt.name, []byte(tt.head)); got < tt.min || got > tt.max {
			t.Errorf("Sniff(%q) = %d, want %d..%d", tt.name, got, tt.min, tt.max)
		}
	}
}

func TestKeepObservationsAndAngles(t *testing.T) {
	ds, err := readSample(t, "gsi8_ertola_crlf_coords.gsi", ReadSettings{KeepObservations: true})
	if err != nil {
		t.Fatal(err)
	}

	// 110001: Hz 34.96940 gon, V 93.64360 gon, slope 30.485 m, target 1.500 m.
	want := map[string]string{"hz": "31.472460", "v": "84.279240", "slopeDistance": "30.48500",
		"targetHeight": "1.50000"}
	if diff := cmp.Diff(want, ds.Points[0].Attrs); diff != "" {
		t.Errorf("attrs (-want +got):\n%s", diff)
	}

	tests := []struct {
		word string
		want float64
	}{
		{"21.322+20000000", 180},
		{"21.323+09000000", 90},
		{"21.324+04530000", 45.5},
		{"22.324-01003030", -(10 + 3.0/60 + 3.0/3600)},
		{"21.325+16000000", 90},
	}
	for _, tt := range tests {
		w, err := parseWord(tt.word)
		if err != nil {
			t.Fatal(err)
		}

		got, err := angle(&w)
		if err != nil || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("angle(%s) = %v, %v; want %v", tt.word, got, err, tt.want)
		}
	}

	for _, bad := range []string{"21.324+01075000", "21.320+00000001"} {
		w, _ := parseWord(bad)
		if _, err := angle(&w); err == nil {
			t.Errorf("angle(%s): no error", bad)
		}
	}
}

func TestStationConventions(t *testing.T) {
	in := "410001+0000STN1 42....+00000001\n" +
		"110002+00000001 88..10+00001500\n" +
		"110003+0000STN2 84..00+00001000 85..00+00002000 86..00+00000300\n" +
		"110004+00000010 41....+0000CODE 81..00+00001000 82..00+00002000\n"
	ds, err := Read(t.Context(), strings.NewReader(in), "s.gsi", ReadSettings{StationsAsPoints: true})
	if err != nil {
		t.Fatal(err)
	}

	if !hasWarning(ds, "3 station setups read") {
		t.Errorf("warnings %v", ds.Warnings)
	}

	want := []survey.Point{
		{ID: "STN2", E: 1, N: 2, Z: 0.3, HasZ: true, Attrs: map[string]string{"role": "station"}},
		{ID: "10", Code: "CODE", E: 1, N: 2},
	}
	if diff := cmp.Diff(want, ds.Points, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("points (-want +got):\n%s", diff)
	}
}

// TestZeroPlaceholderNeedsAllZero: only E, N (and H when written) all zero
// mean "no coordinates"; a point at the grid origin with a height is real.
func TestZeroPlaceholderNeedsAllZero(t *testing.T) {
	const zero16 = "+0000000000000000"
	rec := func(e, n, h string) string {
		s := "*110001+000000000000P001 81..00" + e + " 82..00" + n
		if h != "" {
			s += " 83..00" + h
		}

		return s + " \r\n"
	}

	tests := []struct {
		name   string
		in     string
		points int
		hasZ   bool
	}{
		{"all zero with height word", rec(zero16, zero16, zero16), 0, false},
		{"all zero without height word", rec(zero16, zero16, ""), 0, false},
		{"origin with a height", rec(zero16, zero16, "+0000000000012345"), 1, true},
		{"origin with a negative height", rec(zero16, zero16, "-0000000000000500"), 1, true},
		{"zero easting only", rec(zero16, "+0000000000001000", zero16), 1, true},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(t.Context(), strings.NewReader(tt.in), "t.gsi", ReadSettings{})
			if tt.points == 0 {
				if ds != nil && len(ds.Points) > 0 {
					t.Fatalf("placeholder imported: %+v", ds.Points)
				}

				return // a file of placeholders only may be refused; that is fine
			}

			if err != nil {
				t.Fatal(err)
			}

			if len(ds.Points) != tt.points || ds.Points[0].HasZ != tt.hasZ {
				t.Fatalf("points %+v, want %d with HasZ %v (warnings %v)", ds.Points, tt.points, tt.hasZ,
					ds.Warnings)
			}
		})
	}
}

// TestWriteSummarisesCodes: codes GSI cannot hold give one warning, first,
// that counts the codes and points and names the first three codes,
// however many points have them; ids keep a warning each.
func TestWriteSummarisesCodes(t *testing.T) {
	many := make([]survey.Point, 170)
	for i := range many {
		many[i] = survey.Point{ID: strconv.Itoa(i + 1), Code: fmt.Sprintf("TOP BANK %d", i%60)}
	}
	many[5].ID = "A B"

	tests := []struct {
		name string
		in   []survey.Point
		want []string
	}{
		{"170 points, 60 codes", many, []string{
			`changed 60 codes on 170 points (GSI words hold at most 16 ASCII characters ` +
				`without spaces): "TOP BANK 0" written as "TOP_BANK_0", "TOP BANK 1" as ` +
				`"TOP_BANK_1", "TOP BANK 2" as "TOP_BANK_2" and 57 more`,
			`point id "A B" written as "A_B" (GSI words hold at most 16 ASCII characters ` +
				`without spaces)`,
		}},
		{"one code", []survey.Point{{ID: "1", Code: "TOP BANK"}}, []string{
			`changed 1 code on 1 point (GSI words hold at most 16 ASCII characters without ` +
				`spaces): "TOP BANK" written as "TOP_BANK"`,
		}},
		{"leading zeros", []survey.Point{{ID: "1", Code: "01"}, {ID: "2", Code: "01"},
			{ID: "3", Code: "002"}}, []string{
			`a leading '0' in 2 codes on 3 points, which GSI readers take for padding: ` +
				`"01" reads back as "1", "002" as "2"`,
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := &survey.Dataset{Points: tt.in}
			warns, err := WriteWarnings(t.Context(), io.Discard, ds, WriteSettings{})
			if err != nil {
				t.Fatal(err)
			}

			var got []string
			for _, w := range warns {
				got = append(got, w.Msg)
			}

			if !cmp.Equal(got, tt.want) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"),
					strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLengthIsNearestDecimal: a coordinate word reads as the float nearest
// its decimal value in every metric unit digit, so that writers print
// 517.161 and not 517.1610000000001 (the reader multiplied by 0.001).
func TestLengthIsNearestDecimal(t *testing.T) {
	tests := []struct {
		word string
		want float64
	}{
		{"81..00+00517161", 517.161},
		{"82..00-00000588", -0.588},
		{"83..06+05171613", 517.1613},
		{"81..08+51716131", 517.16131},
		{"81..01+00001000", 0.3048},
	}
	for _, tt := range tests {
		w, err := parseWord(tt.word)
		if err != nil {
			t.Fatalf("%s: %v", tt.word, err)
		}
		got, _, err := length(&w)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v (%v), want exactly %v", tt.word, got, err, tt.want)
		}
	}
}
