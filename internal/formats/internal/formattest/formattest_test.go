package formattest

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/backsight/backsight/internal/formats/internal/numtext"
	"github.com/backsight/backsight/internal/survey"
)

// TestChecksPass runs the checks against trivial parts that meet them.
func TestChecksPass(t *testing.T) {
	FeetWithoutNoise(t, func(w io.Writer, ds *survey.Dataset, u survey.Unit) error {
		for _, p := range ds.Points {
			for _, v := range []float64{p.E, p.N, p.Z} {
				if _, err := fmt.Fprintf(w, "%s ", numtext.AppendLength(nil, v/u.Metres(), 0)); err != nil {
					return err
				}
			}
		}

		return nil
	})

	ds := &survey.Dataset{Points: []survey.Point{{ID: "1", E: 1, N: 2}}}
	EqualGeometry(t, "same", ds, &survey.Dataset{Points: []survey.Point{{ID: "1", E: 1 + 1e-9, N: 2}}})

	ReadThenWrite(t, func() (*survey.Dataset, error) {
		return nil, &survey.ParseError{File: "f", Line: 1, Msg: "bad"}
	}, func(*survey.Dataset) error { return errors.New("not reached") })

	ReadThenWrite(t, func() (*survey.Dataset, error) { return ds, nil },
		func(*survey.Dataset) error { return nil })
}
