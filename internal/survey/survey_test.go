package survey

import (
	"errors"
	"io"
	"math"
	"testing"
)

func TestParseUnit(t *testing.T) {
	tests := []struct {
		in   string
		want Unit
		m    float64
	}{
		{"m", Metre, 1},
		{"meter", Metre, 1},
		{"ft", Foot, 0.3048},
		{"foot", Foot, 0.3048},
		{"usft", USSurveyFoot, 1200.0 / 3937.0},
		{"USSurveyFoot", USSurveyFoot, 1200.0 / 3937.0},
	}
	for _, tt := range tests {
		got, err := ParseUnit(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseUnit(%q) = %q, %v", tt.in, got, err)
		}
		if math.Abs(got.Metres()-tt.m) > 1e-15 {
			t.Errorf("%s.Metres() = %v", got, got.Metres())
		}
	}

	if _, err := ParseUnit("furlong"); err == nil {
		t.Error("ParseUnit accepted furlong")
	}
}

// The two feet differ by 2 ppm: about 2 ft at a coordinate of 1,000,000 ft.
func TestFeetDiffer(t *testing.T) {
	d := 1e6 * (USSurveyFoot.Metres() - Foot.Metres()) / Foot.Metres()
	if d < 1.9 || d > 2.1 {
		t.Errorf("difference at 1,000,000 ft = %.3f ft", d)
	}
}

func TestWarningAndParseError(t *testing.T) {
	w := Warning{File: "a.csv", Line: 7, Msg: "no easting"}
	if w.String() != "a.csv:7: no easting" {
		t.Errorf("Warning.String() = %q", w)
	}

	e := &ParseError{File: "s.xml", Element: "CgPoint", Msg: "want N E [Z]", Err: io.ErrUnexpectedEOF}
	if e.Error() != "s.xml: CgPoint: want N E [Z]: unexpected EOF" {
		t.Errorf("ParseError = %q", e)
	}
	if !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Error("ParseError does not unwrap")
	}
}

func TestCounts(t *testing.T) {
	var d Dataset
	d.Points = append(d.Points, Point{ID: "1"})
	d.Warnf("f", 2, "skipped %d", 1)
	if c := d.Counts(); c.Points != 1 || c.Warnings != 1 {
		t.Errorf("Counts = %+v", c)
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "0 points"}, {1, "1 point"}, {2, "2 points"}, {-1, "-1 points"}}
	for _, tt := range tests {
		if got := Plural(tt.n, "point", "points"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
