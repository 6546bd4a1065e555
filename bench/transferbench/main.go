// Command transferbench measures Backsight's Procore transfers against the
// local sandbox, for the scripts bench/download_vs_curl.sh and
// bench/upload_memory.sh.
//
//	transferbench serve                   start a sandbox, print its coordinates as JSON, run until stdin closes
//	transferbench upload   -size N ...    upload N random bytes; report time and peak memory growth
//	transferbench download -url U ...     download a file link; report time and peak memory growth
//	                                      (-hash: also compute the SHA-256, as `procore get` does)
//
// The sandbox runs in its own process so that the client's memory figures
// are the client's alone.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
	"github.com/backsight/backsight/internal/transfer"
)

// coords is what serve prints and the other commands read.
type coords struct {
	API     string `json:"api"`
	Storage string `json:"storage"`
	Token   string `json:"token"`
	Company int64  `json:"company"`
	Project int64  `json:"project"`
	Folder  int64  `json:"folder"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: transferbench serve|upload|download [flags]")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(ctx, os.Args[2:])
	case "upload":
		err = upload(ctx, os.Args[2:])
	case "download":
		err = download(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}

	if err != nil {
		fmt.Fprintln(os.Stderr, "transferbench:", err)
		os.Exit(1)
	}
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	data := fs.String("data", "", "sandbox data directory (temporary when empty)")
	_ = fs.Parse(args)

	srv, err := sandbox.Start(ctx, sandbox.Options{Seed: "demo", DataDir: *data, RateSpike: -1, RateHourly: -1})
	if err != nil {
		return err
	}
	defer srv.Close()

	access, _, err := srv.IssueToken(sandbox.DemoSurveyor, sandbox.DemoClientID)
	if err != nil {
		return err
	}

	folder, err := srv.AddFolder(sandbox.DemoProjectID, "bench")
	if err != nil {
		return err
	}

	if err := printJSON(coords{
		API: srv.URL(), Storage: srv.StorageURL(), Token: access,
		Company: sandbox.DemoCompanyID, Project: sandbox.DemoProjectID, Folder: folder,
	}); err != nil {
		return err
	}

	// Run until stdin closes or an interrupt.
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(done)
	}()

	select {
	case <-done:
	case <-ctx.Done():
	}

	return nil
}

func client(c coords) (*procore.Client, error) {
	return procore.NewClient(c.API, procore.StaticToken(c.Token), procore.WithCompanyID(c.Company))
}

func readCoords(path string) (coords, error) {
	var c coords
	data, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}

	return c, json.Unmarshal(data, &c)
}

func upload(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("upload", flag.ExitOnError)
	coordsPath := fs.String("coords", "", "JSON file written from serve's output")
	size := fs.Int64("size", 1<<30, "bytes to upload")
	segment := fs.Int64("segment", transfer.DefaultSegmentSize, "segment size")
	conc := fs.Int("concurrency", transfer.DefaultConcurrency, "segments in flight")
	dir := fs.String("dir", os.TempDir(), "where to write the source file")
	_ = fs.Parse(args)

	c, err := readCoords(*coordsPath)
	if err != nil {
		return err
	}

	path, sum, err := writeRandom(*dir, *size)
	if err != nil {
		return err
	}
	defer os.Remove(path)

	cl, err := client(c)
	if err != nil {
		return err
	}

	tr := transfer.New(cl, transfer.Options{SegmentSize: *segment, Concurrency: *conc})
	mon := startMonitor()
	start := time.Now()
	res, err := tr.UploadFile(ctx, procore.ProjectScope(c.Project), c.Folder, path, nil)
	took := time.Since(start)
	peak := mon.stop()
	if err != nil {
		return err
	}

	if res.SHA256 != sum {
		return fmt.Errorf("sent bytes hash %s, file hash %s", res.SHA256, sum)
	}

	bound := int64(*conc)*(*segment) + 16<<20
	file, _, err := cl.Files.Get(ctx, procore.ProjectScope(c.Project), res.FileID, true)
	if err != nil {
		return err
	}

	return printJSON(map[string]any{
		"bytes": res.Size, "seconds": took.Seconds(), "mib_per_s": mibs(res.Size, took),
		"rss_growth_mib": mib(peak), "bound_mib": mib(bound), "within_bound": peak <= bound,
		"sha256": sum, "url": file.LatestVersion().URL,
	})
}

func download(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("download", flag.ExitOnError)
	coordsPath := fs.String("coords", "", "JSON file written from serve's output")
	link := fs.String("url", "", "file version link")
	size := fs.Int64("size", -1, "expected size")
	out := fs.String("out", "", "local file to write")
	hash := fs.Bool("hash", false, "ask the client for the SHA-256 (off in the product's default download)")
	_ = fs.Parse(args)

	c, err := readCoords(*coordsPath)
	if err != nil {
		return err
	}

	cl, err := client(c)
	if err != nil {
		return err
	}

	mon := startMonitor()
	start := time.Now()
	var got, lastByte atomic.Int64
	res, err := cl.DownloadFile(ctx, *link, *out, procore.DownloadOptions{
		Size: *size, Hash: *hash, Progress: func(n int64) {
			if got.Add(n) == *size {
				lastByte.Store(int64(time.Since(start)))
			}
		},
	})
	took := time.Since(start)
	peak := mon.stop()
	if err != nil {
		return err
	}

	return printJSON(map[string]any{
		"bytes": res.Size, "seconds": took.Seconds(), "bytes_per_s": float64(res.Size) / took.Seconds(),
		"mib_per_s": mibs(res.Size, took), "rss_growth_mib": mib(peak), "sha256": res.SHA256,
		"last_byte_seconds": time.Duration(lastByte.Load()).Seconds(), "hashed": *hash,
	})
}

// printJSON writes v as one JSON line without HTML escaping, so that shell
// scripts can cut URLs out of it.
func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)

	return enc.Encode(v)
}

// writeRandom writes size pseudo-random bytes and returns the path and hash.
func writeRandom(dir string, size int64) (string, string, error) {
	f, err := os.CreateTemp(dir, "transferbench-*.bin")
	if err != nil {
		return "", "", err
	}
	defer f.Close()

	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 1<<20)
	for left := size; left > 0; {
		n := min(int64(len(buf)), left)
		for i := 0; i+8 <= int(n); i += 8 {
			v := r.Uint64()
			for j := range 8 {
				buf[i+j] = byte(v >> (8 * j))
			}
		}

		if _, err := w.Write(buf[:n]); err != nil {
			return "", "", err
		}
		left -= n
	}

	if err := w.Flush(); err != nil {
		return "", "", err
	}

	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
}

// monitor samples the resident set size and keeps the peak growth over the
// value at start.
type monitor struct {
	base int64
	peak atomic.Int64
	quit chan struct{}
	done chan struct{}
}

func startMonitor() *monitor {
	runtime.GC()
	debug.FreeOSMemory()
	m := &monitor{base: rss(), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)

		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()

		for {
			select {
			case <-m.quit:
				return
			case <-t.C:
				if g := rss() - m.base; g > m.peak.Load() {
					m.peak.Store(g)
				}
			}
		}
	}()

	return m
}

func (m *monitor) stop() int64 {
	close(m.quit)
	<-m.done

	return m.peak.Load()
}

// rss reads VmRSS from /proc/self/status (Linux); 0 elsewhere.
func rss() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}

	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}

	return 0
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func mibs(n int64, d time.Duration) float64 { return mib(n) / d.Seconds() }
