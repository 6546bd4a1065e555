// Package formattest holds checks that every format writer must pass, for
// the writers' own tests.
package formattest

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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

// EqualGeometry reports as test errors, each prefixed with what, how the
// points, lines and surfaces of out differ from in beyond a micrometre
// (nil and empty slices are equal).
func EqualGeometry(t *testing.T, what string, in, out *survey.Dataset) {
	t.Helper()
	opts := []cmp.Option{cmpopts.EquateApprox(0, 1e-6), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(in.Points, out.Points, opts...); diff != "" {
		t.Errorf("%s points (-in +out):\n%s", what, diff)
	}

	if diff := cmp.Diff(in.Lines, out.Lines, opts...); diff != "" {
		t.Errorf("%s lines (-in +out):\n%s", what, diff)
	}

	if diff := cmp.Diff(in.Surfaces, out.Surfaces, opts...); diff != "" {
		t.Errorf("%s surfaces (-in +out):\n%s", what, diff)
	}
}

// ReadThenWrite is the body of a reader's fuzz target: read either fails with
// a *survey.ParseError or gives a dataset that write takes without an error.
func ReadThenWrite(t *testing.T, read func() (*survey.Dataset, error), write func(*survey.Dataset) error) {
	t.Helper()
	ds, err := read()
	if err != nil {
		var pe *survey.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %T is not a *survey.ParseError: %v", err, err)
		}

		return
	}

	if err := write(ds); err != nil {
		t.Fatalf("write after read: %v", err)
	}
}

// BenchRead benchmarks read on the file write makes of n points (ids 0 to
// n-1, code TOPO, E = i, N = 2, Z = 3), reporting bytes per second.
func BenchRead(b *testing.B, n int, write func(io.Writer, *survey.Dataset) error, read func(io.Reader) error) {
	b.Helper()
	ds := &survey.Dataset{Points: make([]survey.Point, n)}
	for i := range ds.Points {
		ds.Points[i] = survey.Point{ID: strconv.Itoa(i), Code: "TOPO", E: float64(i), N: 2, Z: 3, HasZ: true}
	}

	var buf bytes.Buffer
	if err := write(&buf, ds); err != nil {
		b.Fatal(err)
	}

	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if err := read(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
