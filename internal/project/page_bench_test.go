package project

import (
	"os"
	"testing"
)

// BenchmarkPointsPage pages through the project named by
// BACKSIGHT_BENCH_PROJECT (e.g. one made by bench/importbench -dir) at
// spread offsets; each op is one 50-row page. The first page also builds
// the anchor cache.
func BenchmarkPointsPage(b *testing.B) {
	dir := os.Getenv("BACKSIGHT_BENCH_PROJECT")
	if dir == "" {
		b.Skip("set BACKSIGHT_BENCH_PROJECT to a project folder with many points")
	}

	p, err := Open(b.Context(), dir)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()

	n, err := p.PointCount(b.Context(), Selection{})
	if err != nil || n == 0 {
		b.Fatal(n, err)
	}

	i := 0
	for b.Loop() {
		off := (i * 7919 * 1024) % n
		i++
		page, err := p.PointsPage(b.Context(), off, 50)
		if err != nil || len(page) == 0 {
			b.Fatal(off, err)
		}
	}
}
