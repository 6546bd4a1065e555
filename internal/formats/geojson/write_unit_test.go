package geojson

import (
	"io"
	"testing"

	"github.com/backsight/backsight/internal/formats/internal/formattest"
	"github.com/backsight/backsight/internal/survey"
)

// TestWriteFeetWithoutNoise: a coordinate read in feet and written back in
// feet keeps its text (2000, not 2000.0000000000002).
func TestWriteFeetWithoutNoise(t *testing.T) {
	formattest.FeetWithoutNoise(t, func(w io.Writer, ds *survey.Dataset, u survey.Unit) error {
		return Write(t.Context(), w, ds, WriteSettings{Unit: u})
	})
}
