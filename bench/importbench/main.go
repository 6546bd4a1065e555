// Command importbench imports a PNEZD file into a new project in a
// temporary folder and prints the time taken and the Go heap figures; run it
// under /usr/bin/time -v for the peak resident set size. With -export it
// also times Project.Export of all points to CSV (streamed from the
// database) and to LandXML (selected into a dataset, then written).
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
	"syscall"
	"time"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

func main() {
	in := flag.String("in", "", "PNEZD file to import")
	keep := flag.String("dir", "", "project folder (default: a new temporary folder, removed at the end); "+
		"with -export, an existing project is only exported")
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

	if _, err := os.Stat(filepath.Join(dir, project.DBName)); err == nil && export {
		// An existing project from an earlier run: time the exports only.
		p, err := project.Open(ctx, dir)
		if err != nil {
			return err
		}
		defer p.Close()

		return exports(ctx, p)
	}

	start, cpu0 := time.Now(), cpu()
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
	fmt.Printf("import: %d points in %.2f s (cpu %.2f s)\n", res.Points, elapsed.Seconds(), cpu()-cpu0)
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

	for _, format := range []string{formats.CSV, formats.LandXML} {
		start, cpu0 := time.Now(), cpu()
		c, err := p.Export(ctx, io.Discard, format, project.Selection{}, formats.Settings{})
		if err != nil {
			return err
		}

		fmt.Printf("export %s: %d points in %.2f s (cpu %.2f s)\n", format, c.Points,
			time.Since(start).Seconds(), cpu()-cpu0)
	}

	printMem("export")

	return nil
}

func printMem(what string) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("%s: go heap in use %.1f MiB, go sys %.1f MiB, total allocated %.1f MiB\n", what,
		float64(m.HeapInuse)/(1<<20), float64(m.Sys)/(1<<20), float64(m.TotalAlloc)/(1<<20))
}

// cpu returns the user plus system CPU seconds used by the process so far:
// on a busy machine it shows the work done apart from waiting for a core.
func cpu() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}

	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

	return tv(ru.Utime) + tv(ru.Stime)
}
