// Command importbench imports a PNEZD file into a new project in a
// temporary folder and prints the time taken and the Go heap figures; run it
// under /usr/bin/time -v for the peak resident set size. With -export it
// also times exporting all points to CSV (and LandXML when available).
//
// Usage: go run ./bench/importbench -in points.csv [-keep dir] [-export]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

func main() {
	in := flag.String("in", "", "PNEZD file to import")
	keep := flag.String("dir", "", "project folder (default: a new temporary folder, removed at the end)")
	export := flag.Bool("export", false, "also time exports of all points")
	flag.Parse()

	if err := run(context.Background(), *in, *keep, *export); err != nil {
		fmt.Fprintln(os.Stderr, "importbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, in, dir string, export bool) error {
	if in == "" {
		return fmt.Errorf("-in is required")
	}

	if dir == "" {
		tmp, err := os.MkdirTemp("", "importbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)

		dir = filepath.Join(tmp, "project")
	}

	start := time.Now()
	p, err := project.Create(ctx, dir, project.Settings{Name: "bench"})
	if err != nil {
		return err
	}
	defer p.Close()

	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()

	st, err := f.Stat()
	if err != nil {
		return err
	}

	res, err := p.ImportStream(ctx, project.SourceInfo{Name: filepath.Base(in), Format: "csv", Size: st.Size()},
		project.ImportOptions{}, func(ctx context.Context, emit project.EmitFunc) (*survey.Dataset, error) {
			return csv.ReadEach(ctx, f, filepath.Base(in), csv.ReadSettings{}, emit)
		})
	if err != nil {
		return err
	}

	elapsed := time.Since(start)
	fmt.Printf("import: %d points in %.2f s\n", res.Points, elapsed.Seconds())
	printMem("import")
	if !export {
		return nil
	}

	return exports(ctx, p)
}

func exports(ctx context.Context, p *project.Project) error {
	if prof := os.Getenv("IMPORTBENCH_CPUPROFILE"); prof != "" {
		pf, err := os.Create(prof)
		if err != nil {
			return err
		}
		defer pf.Close()

		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	start := time.Now()
	pw, err := csv.NewPointWriter(io.Discard, csv.WriteSettings{})
	if err != nil {
		return err
	}

	n := 0
	err = p.EachPoint(ctx, project.Selection{}, func(r project.PointRow) error {
		n++

		return pw.Write(&r.Point)
	})
	if err != nil {
		return err
	}

	if err := pw.Flush(); err != nil {
		return err
	}

	fmt.Printf("export csv (streamed from project): %d points in %.2f s\n", n, time.Since(start).Seconds())
	printMem("export")

	return nil
}

func printMem(what string) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("%s: go heap in use %.1f MiB, go sys %.1f MiB, total allocated %.1f MiB\n", what,
		float64(m.HeapInuse)/(1<<20), float64(m.Sys)/(1<<20), float64(m.TotalAlloc)/(1<<20))
}
