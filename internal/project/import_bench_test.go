package project

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/survey"
)

// benchPNEZD returns a PNEZD file of n points.
func benchPNEZD(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "%d,%.3f,%.3f,%.3f,TOP BANK\n", i+1, 538000+float64(i%1200), 1454000+float64(i%1800)*0.5,
			650+float64(i%60))
	}

	return b.Bytes()
}

// BenchmarkImportPNEZD1M streams a million-point PNEZD file into a new
// project (run with -benchtime=1x; bench/import_vs_ogr2ogr.sh compares it
// with ogr2ogr and reports peak memory).
func BenchmarkImportPNEZD1M(b *testing.B) {
	data := benchPNEZD(1_000_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		p, err := Create(b.Context(), filepath.Join(b.TempDir(), "p"), Settings{})
		if err != nil {
			b.Fatal(err)
		}

		res, err := p.ImportStream(b.Context(), SourceInfo{Name: "bench.csv"}, ImportOptions{},
			func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
				return csv.ReadEach(ctx, bytes.NewReader(data), "bench.csv", csv.ReadSettings{}, emit)
			})
		if err != nil || res.Points != 1_000_000 {
			b.Fatal(res.Points, err)
		}

		b.StopTimer()
		benchExports(b, p)
		p.Close()
		b.StartTimer()
	}
}

// benchExports reports the time of Project.Export to CSV and LandXML as
// extra metrics (seconds per export of the million points).
func benchExports(b *testing.B, p *Project) {
	for _, f := range []string{formats.CSV, formats.LandXML} {
		start := time.Now()
		if _, err := p.Export(b.Context(), io.Discard, f, Selection{}, formats.Settings{}); err != nil {
			b.Fatal(err)
		}

		b.ReportMetric(time.Since(start).Seconds(), "s-export-"+f)
	}
}
