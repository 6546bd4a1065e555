package numtext

import (
	"math"
	"strconv"
	"testing"

	"github.com/backsight/backsight/internal/survey"
)

func TestAppendLength(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		dec  int
		want string
	}{
		{"shortest", 1455644.371, 0, "1455644.371"},
		{"decimals", 1455644.371, 2, "1455644.37"},
		{"decimals pad", 2, 3, "2.000"},
		{"conversion noise dropped", 2000.0000000000002, 0, "2000"},
		{"arithmetic noise dropped", 517.1610000000001, 0, "517.161"},
		{"computed digits kept", 517.16123456789, 0, "517.16123456789"},
		{"negative", -538542.57, 0, "-538542.57"},
		{"small", 0.001, 0, "0.001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendLength([]byte("x="), tt.v, tt.dec)); got != "x="+tt.want {
				t.Errorf("AppendLength(%v, %d) = %q, want %q", tt.v, tt.dec, got, "x="+tt.want)
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
			if got := string(AppendLength(nil, m/u.Metres(), 0)); got != want {
				t.Errorf("%s %v divided: got %q", u, x, got)
			}

			if got := string(AppendLength(nil, m*(1/u.Metres()), 0)); got != want {
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
