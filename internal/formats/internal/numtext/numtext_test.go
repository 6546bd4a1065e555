package numtext

import (
	"math"
	"strconv"
	"testing"

	"github.com/backsight/backsight/internal/survey"
)

func TestAppendLength(t *testing.T) {
	tests := []struct {
		name      string
		v         float64
		dec       int
		converted bool
		want      string
	}{
		{"shortest", 1455644.371, 0, false, "1455644.371"},
		{"decimals", 1455644.371, 2, false, "1455644.37"},
		{"decimals pad", 2, 3, true, "2.000"},
		{"noise kept when not converted", 2000.0000000000002, 0, false, "2000.0000000000002"},
		{"noise dropped when converted", 2000.0000000000002, 0, true, "2000"},
		{"negative", -538542.57, 0, true, "-538542.57"},
		{"small", 0.001, 0, true, "0.001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendLength([]byte("x="), tt.v, tt.dec, tt.converted)); got != "x="+tt.want {
				t.Errorf("AppendLength(%v, %d, %v) = %q, want %q", tt.v, tt.dec, tt.converted, got, "x="+tt.want)
			}
		})
	}
}

// TestAppendLengthFeetRoundTrip: a length read in feet (to metres) and
// written back in feet keeps its text.
func TestAppendLengthFeetRoundTrip(t *testing.T) {
	for _, u := range []survey.Unit{survey.Foot, survey.USSurveyFoot} {
		for _, x := range []float64{2000, 5000, 1455644.371, 538542.57, 0.001, 1234567.891} {
			want := strconv.FormatFloat(x, 'f', -1, 64)
			m := x * u.Metres()
			if got := string(AppendLength(nil, m/u.Metres(), 0, true)); got != want {
				t.Errorf("%s %v divided: got %q", u, x, got)
			}

			if got := string(AppendLength(nil, m*(1/u.Metres()), 0, true)); got != want {
				t.Errorf("%s %v multiplied: got %q", u, x, got)
			}
		}
	}
}

func TestDropNoiseNotFinite(t *testing.T) {
	for _, v := range []float64{math.Inf(1), math.Inf(-1)} {
		if got := DropNoise(v); got != v {
			t.Errorf("DropNoise(%v) = %v", v, got)
		}
	}

	if got := DropNoise(math.NaN()); !math.IsNaN(got) {
		t.Errorf("DropNoise(NaN) = %v", got)
	}
}
