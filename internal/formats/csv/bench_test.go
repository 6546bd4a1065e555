package csv

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/backsight/backsight/internal/survey"
)

// benchPoints is the size of the benchmark files: a million points, as in
// the export target (each must take under 3 s). Run with -benchtime=1x.
const benchPoints = 1_000_000

func benchDataset() *survey.Dataset {
	ds := &survey.Dataset{Points: make([]survey.Point, benchPoints)}
	for i := range ds.Points {
		ds.Points[i] = survey.Point{ID: fmt.Sprint(i + 1), Code: "TOP BANK", N: 538000 + float64(i)*0.001,
			E: 1454000 + float64(i%1000), Z: 680.125, HasZ: i%10 != 0}
	}

	return ds
}

func BenchmarkWrite1M(b *testing.B) {
	ds := benchDataset()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(b.Context(), io.Discard, ds, WriteSettings{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead1M(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(b.Context(), &buf, benchDataset(), WriteSettings{}); err != nil {
		b.Fatal(err)
	}

	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		n := 0
		_, err := ReadEach(b.Context(), bytes.NewReader(buf.Bytes()), "bench.csv", ReadSettings{},
			func(survey.Point) error { n++; return nil })
		if err != nil || n != benchPoints {
			b.Fatal(err, n)
		}
	}
}
