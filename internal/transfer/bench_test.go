package transfer

import (
	"encoding/binary"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// benchEnv starts a demo sandbox without rate limits for benchmarks.
func benchEnv(b *testing.B) (*sandbox.Server, *procore.Client, *Transferer) {
	b.Helper()

	srv, err := sandbox.Start(b.Context(), sandbox.Options{Seed: "demo", RateSpike: -1, RateHourly: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })

	access, _, err := srv.IssueToken(sandbox.DemoSurveyor, sandbox.DemoClientID)
	if err != nil {
		b.Fatal(err)
	}

	c, err := procore.NewClient(srv.URL(), procore.StaticToken(access),
		procore.WithCompanyID(sandbox.DemoCompanyID), procore.WithHTTPClient(&http.Client{}))
	if err != nil {
		b.Fatal(err)
	}

	return srv, c, New(c, Options{})
}

// BenchmarkDownload downloads a 64 MiB file version from the in-process
// sandbox (bench/download_vs_curl.sh compares 1 GiB with curl).
func BenchmarkDownload(b *testing.B) {
	srv, c, tr := benchEnv(b)
	const size = 64 << 20
	path, _ := randomFileTB(b, b.TempDir(), "src.bin", size)
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()

	id, err := srv.AddFile(sandbox.DemoProjectID, "bench", "big.bin", f, 0)
	if err != nil {
		b.Fatal(err)
	}

	file, _, err := c.Files.Get(b.Context(), procore.ProjectScope(sandbox.DemoProjectID), id, true)
	if err != nil {
		b.Fatal(err)
	}

	dest := b.TempDir()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Download(b.Context(), DownloadRequest{
			Version: *file.LatestVersion(), Path: []string{"big.bin"}, DestDir: dest,
		}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUploadSegmented uploads a 64 MiB file in 8 MiB segments, four at
// a time (bench/upload_memory.sh does 1 GiB and checks memory).
func BenchmarkUploadSegmented(b *testing.B) {
	srv, _, tr := benchEnv(b)
	const size = 64 << 20
	path, _ := randomFileTB(b, b.TempDir(), "up.bin", size)
	folder, err := srv.AddFolder(sandbox.DemoProjectID, "bench-up")
	if err != nil {
		b.Fatal(err)
	}

	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.UploadFile(b.Context(), procore.ProjectScope(sandbox.DemoProjectID), folder, path, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// randomFileTB writes size pseudo-random bytes.
func randomFileTB(tb testing.TB, dir, name string, size int64) (string, error) {
	tb.Helper()

	path := filepath.Join(dir, name)
	buf := make([]byte, size)
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i+8 <= len(buf); i += 8 {
		binary.LittleEndian.PutUint64(buf[i:], r.Uint64())
	}

	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.Fatal(err)
	}

	return path, nil
}
