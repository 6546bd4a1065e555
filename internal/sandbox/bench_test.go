package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// patternReader yields n deterministic bytes without holding them.
type patternReader struct {
	n, off int64
}

var pattern = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i*31 + i/251)
	}

	return b
}()

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}

	k := 0
	for k < len(b) && p.off < p.n {
		i := p.off % int64(len(pattern))
		c := copy(b[k:], pattern[i:min(int64(len(pattern)), i+p.n-p.off)])
		k += c
		p.off += int64(c)
	}

	return k, nil
}

// section reads bytes [start, start+n) of the pattern stream.
func section(start, n int64) io.Reader {
	return &patternReader{n: start + n, off: start}
}

// memPeak samples HeapInuse and Sys while a transfer runs.
type memPeak struct {
	heap, sys atomic.Uint64
	stop      chan struct{}
	wg        sync.WaitGroup
}

func startPeak() *memPeak {
	m := &memPeak{stop: make(chan struct{})}
	m.wg.Add(1)

	go func() {
		defer m.wg.Done()

		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()

		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > m.heap.Load() {
				m.heap.Store(ms.HeapInuse)
			}

			if ms.Sys > m.sys.Load() {
				m.sys.Store(ms.Sys)
			}

			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()

	return m
}

func (m *memPeak) end() (uint64, uint64) {
	close(m.stop)
	m.wg.Wait()

	return m.heap.Load(), m.sys.Load()
}

// BenchmarkStreamLargeFile uploads a file through a segmented upload and
// downloads it through the redirect, and reports how far the process's memory
// grew (heap-growth-MiB, sys-growth-MiB). Size: SANDBOX_BENCH_BYTES (default
// 256 MiB). Target: a 2 GiB transfer grows memory by less than 64 MiB.
//
//	SANDBOX_BENCH_BYTES=2147483648 go test ./internal/sandbox -run '^$' -bench StreamLargeFile -benchtime 1x
func BenchmarkStreamLargeFile(b *testing.B) {
	size := int64(256 << 20)
	if v := os.Getenv("SANDBOX_BENCH_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			b.Fatal(err)
		}

		size = n
	}

	srv := startSandbox(b, Options{Seed: "demo"})
	c := demoClient(b, srv, DemoSurveyor)
	segSize := int64(64 << 20)

	var segs []map[string]any
	for off := int64(0); off < size; off += segSize {
		n := min(segSize, size-off)
		h := sha256.New()
		_, _ = io.Copy(h, section(off, n))
		segs = append(segs, map[string]any{"size": n, "sha256": hex.EncodeToString(h.Sum(nil))})
	}

	b.SetBytes(size * 2)
	b.ResetTimer()

	for i := 0; i < b.N; i++ {
		runtime.GC()

		var before runtime.MemStats
		runtime.ReadMemStats(&before)

		peak := startPeak()
		benchTransfer(b, srv, c, size, segSize, segs)
		heap, sys := peak.end()

		b.ReportMetric(float64(heap-min(heap, before.HeapInuse))/(1<<20), "heap-growth-MiB")
		b.ReportMetric(float64(sys-min(sys, before.Sys))/(1<<20), "sys-growth-MiB")
	}
}

func benchTransfer(b *testing.B, srv *Server, c *apiClient, size, segSize int64, segs []map[string]any) {
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	up := obj(c.call("POST", base, map[string]any{"response_filename": "big.bin", "segments": segs}, 201))

	var etags []map[string]any
	for i, s := range arr(up["segments"]) {
		seg := obj(s)
		n := num(seg["size"])

		req, _ := http.NewRequestWithContext(b.Context(), http.MethodPut, seg["url"].(string),
			section(int64(i)*segSize, n))
		req.ContentLength = n
		req.Header.Set("x-amz-content-sha256", seg["sha256"].(string))

		resp, err := noRedirect.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("segment %d: %v %v", i, err, resp)
		}

		_ = resp.Body.Close()
		etags = append(etags, map[string]any{"etag": resp.Header.Get("ETag")})
	}

	c.call("PATCH", base+"/"+up["uuid"].(string), map[string]any{"segments": etags}, 200)
	f := obj(c.call("POST", "/rest/v1.0/files?"+pq(DemoProjectID), map[string]any{"file": map[string]any{
		"name": "big.bin", "upload_uuid": up["uuid"], "unique_name": true}}, 201))

	resp := c.req("GET", obj(arr(f["file_versions"])[0])["url"].(string), nil, "")
	_ = resp.Body.Close()

	sresp, err := http.Get(resp.Header.Get("Location"))
	if err != nil {
		b.Fatal(err)
	}

	n, err := io.Copy(io.Discard, sresp.Body)
	_ = sresp.Body.Close()

	if err != nil || n != size {
		b.Fatalf("download: %d bytes, %v", n, err)
	}

	_ = srv
}

// BenchmarkDocumentsIndex lists a project of 1,000 folders and 5,000 files
// through the paginated index, 1,000 items a page.
func BenchmarkDocumentsIndex(b *testing.B) {
	srv := startSandbox(b, Options{Seed: "demo"})
	pid := srv.AddProject(DemoCompanyID, "Big")
	uid := srv.AddUser("big@demo.test", "Big", "pw")
	srv.SetPermission(uid, pid, LevelReadOnly)

	for i := 0; i < 1000; i++ {
		dir := fmt.Sprintf("Area %02d/Sub %03d", i/50, i)
		if _, err := srv.AddFolder(pid, dir); err != nil {
			b.Fatal(err)
		}

		for j := 0; j < 5; j++ {
			if _, err := srv.AddFile(pid, dir, fmt.Sprintf("f%d.csv", j), strings.NewReader("1"), uid); err != nil {
				b.Fatal(err)
			}
		}
	}

	c := demoClient(b, srv, "big@demo.test")
	b.ResetTimer()

	for i := 0; i < b.N; i++ {
		total := 0
		for page := 1; ; page++ {
			items := arr(c.call("GET", fmt.Sprintf("/rest/v1.0/projects/%d/documents?per_page=1000&page=%d", pid, page), nil, 200))
			total += len(items)

			if len(items) < 1000 {
				break
			}
		}

		if total < 6000 {
			b.Fatalf("listed %d", total)
		}
	}
}
