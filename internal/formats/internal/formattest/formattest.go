// Package formattest holds checks that every format writer must pass, for
// the writers' own tests.
package formattest

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/survey"
)

// WriteFunc writes ds in unit u to w, with the writer's other settings at
// their defaults.
type WriteFunc func(w io.Writer, ds *survey.Dataset, u survey.Unit) error

// FeetWithoutNoise checks that a coordinate read in feet and written back in
// feet keeps its text (2000, not 2000.0000000000002) in E, N and Z.
func FeetWithoutNoise(t *testing.T, write WriteFunc) {
	t.Helper()
	for _, u := range []survey.Unit{survey.Foot, survey.USSurveyFoot} {
		for _, x := range []float64{2000, 5000, 1455644.371, 538542.57, 0.001, 1234567.891} {
			ds := &survey.Dataset{Points: []survey.Point{{ID: "1", E: x * u.Metres(), N: x * u.Metres(),
				Z: x * u.Metres(), HasZ: true}}}

			var b bytes.Buffer
			if err := write(&b, ds, u); err != nil {
				t.Fatal(err)
			}

			want := strconv.FormatFloat(x, 'f', -1, 64)
			if strings.Count(b.String(), want) < 3 || strings.Contains(b.String(), want+"00000") {
				t.Errorf("%s %v: %q not written as is:\n%s", u, x, want, b.String())
			}
		}
	}
}
