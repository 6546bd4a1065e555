package gsi

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

// station is a setup at E 1000, N 2000, H 100 with instrument height 1.5.
const station = "110001+0000STN1 84..00+01000000 85..00+02000000 86..00+00100000 88..00+00001500\n"

// TestReducePolar checks single shots from station against coordinates
// worked out by hand.
func TestReducePolar(t *testing.T) {
	tests := []struct {
		name, shot string
		want       survey.Point
	}{
		{"gon, slope distance, level", // Hz 45°, hd 10, H = 100 + 1.5 + 0 - 1.5
			"110002+00000101 21.322+05000000 22.322+10000000 31..00+00010000 87..00+00001500",
			survey.Point{ID: "101", E: 1007.0711, N: 2007.0711, Z: 100, HasZ: true}},
		{"degrees, slope distance, 30° above level", // hd 20·sin60, dh 20·cos60 = 10
			"110002+00000102 21.323+09000000 22.323+06000000 31..00+00020000 87..00+00002000",
			survey.Point{ID: "102", E: 1017.3205, N: 2000, Z: 109.5, HasZ: true}},
		{"horizontal distance and height difference, due south",
			"110002+00000103 21.322+20000000 32..00+00012345 33..00-00001000",
			survey.Point{ID: "103", E: 1000, N: 1987.655, Z: 100.5, HasZ: true}},
		{"horizontal distance and zenith angle, due west", // dh = 50·tan 4.5° = 3.9351
			"110002+00000104 21.322+30000000 22.322+09500000 32..00+00050000 87..00+00001300",
			survey.Point{ID: "104", E: 950, N: 2000, Z: 104.1351, HasZ: true}},
		{"DMS angles, code kept",
			"110002+00000105 21.324+03000000 22.324+09000000 31..06+00100000 71....+0000TREE",
			survey.Point{ID: "105", Code: "TREE", E: 1005, N: 2008.6603, Z: 101.5, HasZ: true}},
		{"face II gives the face I point",
			"110002+00000106 21.322+25000000 22.322+30000000 31..00+00010000 87..00+00001500",
			survey.Point{ID: "106", E: 1007.0711, N: 2007.0711, Z: 100, HasZ: true}},
		{"25 word of the record is added to Hz",
			"110002+00000107 21.322+04000000 25.322+01000000 22.322+10000000 31..00+00010000",
			survey.Point{ID: "107", E: 1007.0711, N: 2007.0711, Z: 101.5, HasZ: true}},
		{"mil, feet",
			"110002+00000108 21.325+16000000 22.325+16000000 32..01+00010000",
			survey.Point{ID: "108", E: 1003.048, N: 2000, Z: 101.5, HasZ: true}},
		{"no vertical component, no height",
			"110002+00000109 21.322+10000000 32..00+00005000",
			survey.Point{ID: "109", E: 1005, N: 2000}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(t.Context(), strings.NewReader(station+tt.shot+"\n"), "p.gsi",
				ReadSettings{Polar: PolarOn})
			if err != nil {
				t.Fatal(err)
			}

			if diff := cmp.Diff([]survey.Point{tt.want}, ds.Points, cmpopts.EquateApprox(0, 1e-4)); diff != "" {
				t.Errorf("points (-want +got):\n%s", diff)
			}

			if ds.Observations != 0 {
				t.Errorf("observations = %d, want 0 (all reduced)", ds.Observations)
			}
		})
	}
}

// TestStationConventionsPolar: every way of marking a station gives the
// setup its shots are reduced from.
func TestStationConventionsPolar(t *testing.T) {
	shot := "110009+00000201 21.322+00000000 22.322+10000000 31..00+00010000\n"
	tests := []struct {
		name, in string
		want     []survey.Point
		warning  string
	}{
		{"41 code block, then 84-86 and 88 records",
			"410001+0000STN1 42....+00000001\n" +
				"110002+00000000 84..00+00001000 85..00+00002000 86..00+00003000\n" +
				"110003+00000000 88..00+00001600\n" + shot,
			[]survey.Point{{ID: "201", E: 1, N: 12, Z: 4.6, HasZ: true}}, ""},
		{"Stonex: 84/85/86/88 words open the station",
			"110001+0000STN1 84..00+00001000 85..00+00002000 86..00+00003000 88..00+00001600\n" + shot,
			[]survey.Point{{ID: "201", E: 1, N: 12, Z: 4.6, HasZ: true}}, ""},
		{"88 record for the same station keeps its coordinates",
			"110001+0000STN1 84..00+00001000 85..00+00002000 86..00+00003000 88..00+00001600\n" + shot +
				"110003+0000STN1 88..00+00000000\n" + shot,
			[]survey.Point{{ID: "201", E: 1, N: 12, Z: 4.6, HasZ: true},
				{ID: "201", E: 1, N: 12, Z: 3, HasZ: true}}, ""},
		{"88 record for a new station without coordinates",
			"110001+0000STN1 84..00+00001000 85..00+00002000 88..00+00001600\n" + shot +
				"110003+0000STN2 88..00+00001000\n" + shot,
			[]survey.Point{{ID: "201", E: 1, N: 12}},
			"1 observation from station setups without coordinates"},
		{"station at the local origin is real",
			"110001+0000STN1 84..00+00000000 85..00+00000000 86..00+00000000\n" + shot,
			[]survey.Point{{ID: "201", E: 0, N: 10, Z: 0, HasZ: true}}, ""},
		{"target height carried from the last 87",
			"110001+0000STN1 84..00+00001000 85..00+00002000 86..00+00003000 87..00+00000500\n" + shot,
			[]survey.Point{{ID: "201", E: 1, N: 12, Z: 2.5, HasZ: true}}, ""},
		{"shots before the first station are not reduced",
			shot + "110001+0000STN1 84..00+00001000 85..00+00002000\n" + shot,
			[]survey.Point{{ID: "201", E: 1, N: 12}},
			"1 observation read before the first station setup"},
		{"zero and missing distances are counted",
			"110001+0000STN1 84..00+00001000 85..00+00002000\n" + shot +
				"110010+00000202 21.322+00000000 22.322+10000000 31..00+00000000\n" +
				"110011+00000203 21.322+00000000 22.322+10000000\n",
			[]survey.Point{{ID: "201", E: 1, N: 12}},
			"2 observations with a zero or missing distance (station or backsight shots)"},
		{"coordinates of the record win over its observations",
			"110001+0000STN1 84..00+00001000 85..00+00002000\n" +
				"110002+00000301 21.322+00000000 22.322+10000000 31..00+00010000 " +
				"81..00+00005000 82..00+00006000\n",
			[]survey.Point{{ID: "301", E: 5, N: 6}}, ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(t.Context(), strings.NewReader(tt.in), "s.gsi", ReadSettings{Polar: PolarOn})
			if err != nil {
				t.Fatal(err)
			}

			if diff := cmp.Diff(tt.want, ds.Points, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("points (-want +got):\n%s", diff)
			}

			if tt.warning != "" && !hasWarning(ds, tt.warning) {
				t.Errorf("no warning %q in %v", tt.warning, ds.Warnings)
			}
		})
	}
}

// TestPolarModes: off only counts, auto reduces a raw observation file but
// not the shots of a coordinate file, on reduces both.
func TestPolarModes(t *testing.T) {
	shot := "110009+00000201 21.322+00000000 22.322+10000000 31..00+00010000\n"
	raw := "110001+0000STN1 84..00+00001000 85..00+00002000\n" + shot
	mixed := raw + "110003+00000301 81..00+00005000 82..00+00006000\n"
	// The raw file with all-zero coordinate words on its shot ("no
	// coordinates"), after a record that holds only such words.
	zeros := "110001+0000STN1 84..00+00001000 85..00+00002000\n" +
		"110008+00000200 81..00+00000000 82..00+00000000\n" +
		strings.TrimSuffix(shot, "\n") + " 81..00+00000000 82..00+00000000 83..00+00000000\n"

	tests := []struct {
		name         string
		in           string
		mode         PolarMode
		points, obs  int
		err, warning string
	}{
		{"off, raw file", raw, PolarOff, 0, 1, "only raw observations", "polar reduction is off"},
		{"auto, raw file", raw, PolarAuto, 1, 0, "", ""},
		{"on, raw file", raw, PolarOn, 1, 0, "", ""},
		{"off, coordinate file", mixed, PolarOff, 1, 1, "", "1 observation without coordinates not reduced (polar reduction off)"},
		{"auto, coordinate file", mixed, PolarAuto, 1, 1, "", `set Polar observations to "Always reduce to points" (--gsi-polar on)`},
		{"on, coordinate file", mixed, PolarOn, 2, 0, "", ""},
		{"off, placeholder coordinates", zeros, PolarOff, 0, 0, "zero placeholders", ""},
		{"auto, placeholder coordinates", zeros, PolarAuto, 1, 0, "", "1 record with all-zero"},
		{"on, placeholder coordinates", zeros, PolarOn, 1, 0, "", "1 record with all-zero"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(t.Context(), strings.NewReader(tt.in), "m.gsi", ReadSettings{Polar: tt.mode})
			if (err != nil || tt.err != "") && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}

			if len(ds.Points) != tt.points || ds.Observations != tt.obs {
				t.Errorf("points %d observations %d, want %d and %d", len(ds.Points), ds.Observations,
					tt.points, tt.obs)
			}

			if tt.warning != "" && !hasWarning(ds, tt.warning) {
				t.Errorf("no warning %q in %v", tt.warning, ds.Warnings)
			}
		})
	}

	for _, m := range []PolarMode{PolarOff, PolarAuto, PolarOn} {
		if got, err := ParsePolarMode(strings.ToUpper(m.String())); got != m || err != nil {
			t.Errorf("ParsePolarMode(%q) = %v, %v", m, got, err)
		}
	}

	if _, err := ParsePolarMode("yes"); err == nil {
		t.Error("ParsePolarMode(yes): no error")
	}
}

// TestSampleRilievoAssumedStation: the 23 shots of the file with no station
// record become points on an assumed station at 0,0,0, with one warning that
// says so; the two with zero distance are counted, not placed.
func TestSampleRilievoAssumedStation(t *testing.T) {
	for _, mode := range []PolarMode{PolarAuto, PolarOn} {
		ds, err := readSample(t, "gsi8_rilievo_cr_only_polar.gsi", ReadSettings{Polar: mode})
		if err != nil {
			t.Fatal(err)
		}

		if len(ds.Points) != 21 || ds.Points[0].ID != "102" || ds.Points[20].ID != "122" {
			t.Fatalf("%v: %d points, want 21 (102…122)", mode, len(ds.Points))
		}

		for i, p := range ds.Points {
			if p.ID != strconv.Itoa(102+i) {
				t.Errorf("point %d id %q, want %d", i, p.ID, 102+i)
			}
		}

		// 102: Hz 132.4710 gon, V 103.7820 gon, slope 5.165 m, horizontal 5.156 m.
		// E = 5.156·sin(132.471 gon) = 4.4997, N = 5.156·cos(132.471 gon) = -2.5173,
		// H = 5.165·cos(103.782 gon) = -0.3067.
		p := ds.Points[0]
		if math.Abs(p.E-4.4997) > 5e-4 || math.Abs(p.N+2.5173) > 5e-4 || !p.HasZ ||
			math.Abs(p.Z+0.3067) > 5e-4 {
			t.Errorf("102 = %+v", p)
		}

		// 114: Hz 186.891 gon, horizontal 50.671 m: E = 10.360, N = -49.601.
		p = ds.Points[12]
		if p.ID != "114" || math.Abs(p.E-10.360) > 5e-4 || math.Abs(p.N+49.601) > 5e-4 {
			t.Errorf("114 = %+v", p)
		}

		assumed := 0
		for _, w := range ds.Warnings {
			if strings.Contains(w.Msg, "assumed station") {
				assumed++
			}
		}

		if assumed != 1 || !hasWarning(ds, "21 observations reduced from an assumed station") ||
			!hasWarning(ds, "2 observations with a zero or missing distance") || ds.Observations != 2 {
			t.Errorf("%v: observations %d, warnings %v", mode, ds.Observations, ds.Warnings)
		}
	}
}

// TestSampleErtolaDefaults: the shots without coordinates of a coordinate
// file (orientation and check shots to known points) add no points with the
// zero value or auto, and auto's warning says how to reduce them.
func TestSampleErtolaDefaults(t *testing.T) {
	for _, mode := range []PolarMode{PolarOff, PolarAuto} {
		ds, err := readSample(t, "gsi8_ertola_crlf_coords.gsi", ReadSettings{Polar: mode})
		if err != nil {
			t.Fatal(err)
		}

		if len(ds.Points) != 688 || ds.Observations != 6 || !hasWarning(ds, "1 record with all-zero") ||
			!hasWarning(ds, "6 observations without coordinates not reduced") {
			t.Errorf("%v: %d points, %d observations, warnings %v", mode, len(ds.Points),
				ds.Observations, ds.Warnings)
		}
	}

	ds, err := readSample(t, "GSI16_rycon_cartesian_zero_placeholders.GSI", ReadSettings{Polar: PolarAuto})
	if err != nil || len(ds.Points) != 13 || !hasWarning(ds, "3 records with all-zero") {
		t.Errorf("rycon with auto: %v, %d points", err, len(ds.Points))
	}
}

// TestSampleErtolaReductionMatchesInstrument removes the coordinates from
// the records measured from the file's station setups (points 850 to 991)
// and reduces their observations: the result is the instrument's own
// coordinates within the millimetre rounding of the file. This pins the
// orientation convention: Hz is already oriented and the station record's
// 25 word is not added. (Points 1100 on were measured from a setup the file
// does not record: their coordinates sit 0.26 m off any reduction from
// STAZLIB4.)
func TestSampleErtolaReductionMatchesInstrument(t *testing.T) {
	data := string(samplefiles.ReadFile(t, "gsi8_ertola_crlf_coords.gsi"))
	var orig, stripped strings.Builder
	started := false
	for _, l := range strings.Split(data, "\r\n") {
		if id, _, _ := strings.Cut(l, " "); strings.HasSuffix(id, "+00001100") {
			break
		}

		isStation := strings.Contains(l, " 84..")
		started = started || isStation
		switch {
		case !started:
		case isStation:
			stripped.WriteString(l + "\n")
		case strings.Contains(l, " 81..") && strings.Contains(l, " 21."):
			orig.WriteString(l + "\n")
			var kept []string
			for _, f := range strings.Fields(l) {
				if !strings.HasPrefix(f, "81") && !strings.HasPrefix(f, "82") && !strings.HasPrefix(f, "83") {
					kept = append(kept, f)
				}
			}

			stripped.WriteString(strings.Join(kept, " ") + "\n")
		}
	}

	want, err := Read(t.Context(), strings.NewReader(orig.String()), "o.gsi", ReadSettings{})
	if err != nil {
		t.Fatal(err)
	}

	got, err := Read(t.Context(), strings.NewReader(stripped.String()), "s.gsi", ReadSettings{Polar: PolarOn})
	if err != nil {
		t.Fatal(err)
	}

	if len(want.Points) != 117 || len(got.Points) != len(want.Points) {
		t.Fatalf("reduced %d points, want %d", len(got.Points), len(want.Points))
	}

	var worst float64
	for i, w := range want.Points {
		g := got.Points[i]
		d := max(math.Abs(g.E-w.E), math.Abs(g.N-w.N), math.Abs(g.Z-w.Z))
		if g.ID != w.ID || !g.HasZ || d > 0.0015 {
			t.Errorf("%s: reduced %+v, instrument %+v", w.ID, g, w)
		}

		worst = max(worst, d)
	}

	t.Logf("%d points, worst difference %.4f m", len(want.Points), worst)
}

// TestPolarErrorsStayParseErrors: a raw file whose shots all fail still
// returns ErrObservationsOnly.
func TestPolarErrorsStayParseErrors(t *testing.T) {
	in := "110001+00000100 21.322+00000000 22.322+10000000 31..00+00000000\n"
	_, err := Read(t.Context(), strings.NewReader(in), "z.gsi", ReadSettings{Polar: PolarOn})
	if !errors.Is(err, ErrObservationsOnly) {
		t.Errorf("err = %v, want ErrObservationsOnly", err)
	}
}

// TestZeroPlaceholdersWithObservations: a file whose coordinate records all
// hold zero placeholders, some with observations that were not reduced, is
// refused with an error that counts them and names the polar reduction that
// reduces them; read with that reduction, the file gives its points.
func TestZeroPlaceholdersWithObservations(t *testing.T) {
	const zeros = " 81..00+00000000 82..00+00000000 83..00+00000000"
	shot := "110009+00000201 21.322+00000000 22.322+10000000 31..00+00010000"
	setup := "110001+0000STN1 84..00+00001000 85..00+00002000\n"
	noID := "81..00+00005000 82..00+00006000\n" // a coordinate record that gives no point

	tests := []struct {
		name  string
		in    string
		mode  PolarMode
		msg   string      // the error's message
		fixes []PolarMode // modes the message offers: each reads 1 point
	}{
		{"off, a shot", setup + "110008+00000200" + zeros + "\n" + shot + zeros + "\n", PolarOff,
			"all 2 coordinate records hold zero placeholders; the file holds 1 observation " +
				"(angles and distances): to reduce them to points, set Polar observations to \"Reduce to points when the " +
				"file has no coordinates\" (--gsi-polar auto)",
			[]PolarMode{PolarOn, PolarAuto}},
		{"off, no observations", "110008+00000200" + zeros + "\n", PolarOff,
			"the only coordinate record holds zero placeholders", nil},
		{"auto, after a coordinate record", noID + setup + shot + zeros + "\n", PolarAuto,
			"the only coordinate record holds zero placeholders; the file holds 1 observation " +
				"(angles and distances): to reduce them to points, set Polar observations to \"Always reduce to points\" " +
				"(--gsi-polar on)",
			[]PolarMode{PolarOn}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(t.Context(), strings.NewReader(tt.in), "z.gsi", ReadSettings{Polar: tt.mode})
			var pe *survey.ParseError
			if !errors.Is(err, ErrNoRecords) || !errors.As(err, &pe) || pe.Msg != tt.msg {
				t.Fatalf("err = %v, want a ParseError saying %q", err, tt.msg)
			}

			if len(ds.Points) != 0 {
				t.Errorf("%d points, want none", len(ds.Points))
			}

			for _, m := range tt.fixes {
				ds, err := Read(t.Context(), strings.NewReader(tt.in), "z.gsi", ReadSettings{Polar: m})
				if err != nil || len(ds.Points) != 1 || ds.Points[0].ID != "201" {
					t.Errorf("%v: %v, %+v; want point 201", m, err, ds)
				}
			}
		})
	}
}

// TestSampleRilievoZeroPlaceholders: the raw observation file with all-zero
// coordinate words added to its 23 shots, as instruments write "no
// coordinates". Off refuses it naming the 23 observations and the way to
// reduce them; auto and on reduce the same 21 points as from the file as
// it is.
func TestSampleRilievoZeroPlaceholders(t *testing.T) {
	const file = "gsi8_rilievo_cr_only_polar.gsi"
	var b strings.Builder
	for rec := range strings.SplitSeq(string(samplefiles.ReadFile(t, file)), "\r") {
		if strings.Contains(rec, " 21.") {
			rec = strings.TrimRight(rec, " ") + " 81..00+00000000 82..00+00000000 83..00+00000000 "
		}

		b.WriteString(rec + "\r")
	}
	in := b.String()

	_, err := Read(t.Context(), strings.NewReader(in), file, ReadSettings{Polar: PolarOff})
	want := "all 23 coordinate records hold zero placeholders; the file holds 23 observations " +
		"(angles and distances): to reduce them to points, set Polar observations to " +
		"\"Reduce to points when the file has no coordinates\" (--gsi-polar auto)"
	var pe *survey.ParseError
	if !errors.As(err, &pe) || pe.File != file || pe.Msg != want {
		t.Fatalf("err = %v, want a ParseError saying %q", err, want)
	}

	plain, err := readSample(t, file, ReadSettings{Polar: PolarAuto})
	if err != nil {
		t.Fatal(err)
	}

	for _, mode := range []PolarMode{PolarAuto, PolarOn} {
		ds, err := Read(t.Context(), strings.NewReader(in), file, ReadSettings{Polar: mode})
		if err != nil {
			t.Fatalf("%v: %v", mode, err)
		}

		if diff := cmp.Diff(plain.Points, ds.Points); diff != "" || len(ds.Points) != 21 {
			t.Errorf("%v: %d points, differing from the file without placeholders (-want +got):\n%s",
				mode, len(ds.Points), diff)
		}
	}
}
