package transfer

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// TestReliabilityWithFaults runs 50 downloads and 50 uploads at once while
// 10% of the sandbox's requests fail (5xx, 429, dropped connections), then
// checks every byte, the absence of temporary files and of duplicates.
func TestReliabilityWithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("moves about 150 MB")
	}

	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{SinglePartMax: MinSegmentSize, SegmentSize: MinSegmentSize, Concurrency: 3})
	const n = 50
	size := func(i int) int64 {
		if i%9 == 0 { // six multi-segment files (5.5 to 11 MiB)
			return MinSegmentSize + int64(i+1)*110_000
		}

		return int64(1_000 + i*i*97)
	}

	// Remote files to download, and five names that already exist, so that
	// their uploads become new versions.
	downloads := make([]procore.File, n)
	downSums := make([]string, n)
	for i := range n {
		dsize := int64(2_000 + i*4_000)
		if i%10 == 0 {
			dsize = 3<<20 + int64(i)
		}
		downloads[i], downSums[i] = e.addRemote("rel/down", fmt.Sprintf("d%02d.bin", i), dsize, uint64(100+i))
	}

	up := e.folder("rel/up")
	for i := 0; i < n; i += 10 {
		e.addRemote("rel/up", fmt.Sprintf("u%02d.bin", i), 500, uint64(900+i))
	}

	srcDir, outDir := t.TempDir(), t.TempDir()
	upPaths := make([]string, n)
	upSums := map[string]string{}
	for i := range n {
		name := fmt.Sprintf("u%02d.bin", i)
		upPaths[i], upSums[name] = randomFile(t, srcDir, name, size(i), uint64(i))
	}

	// Random faults cover API calls and downloads; storage uploads get
	// their own 10%.
	e.srv.SetFaultRate(0.10, 42)
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultSegmentPut, Probability: 0.1, Status: 500})
	e.srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultFormPost, Probability: 0.1, Status: 503})
	m := NewManager(t.Context(), 8)
	var (
		mu      sync.Mutex
		results = map[string]*UploadResult{}
		got     = make([]*DownloadResult, n)
	)
	var handles []*Handle
	for i := range n {
		handles = append(handles, m.Submit("upload", func(ctx context.Context, p *Progress) error {
			r, err := e.tr.UploadFile(ctx, e.scope, up, upPaths[i], p)
			if err == nil {
				mu.Lock()
				results[r.Name] = r
				mu.Unlock()
			}

			return err
		}))
		handles = append(handles, m.Submit("download", func(ctx context.Context, p *Progress) error {
			// Every other download asks for the hash, so that both ways
			// meet the faults.
			d, err := e.tr.Download(ctx, DownloadRequest{
				Version: *downloads[i].LatestVersion(), Path: []string{downloads[i].Name}, DestDir: outDir,
				Hash: i%2 == 0,
			}, p)
			got[i] = d

			return err
		}))
	}

	start := time.Now()
	m.Wait()
	stats := e.srv.Stats()
	e.srv.ClearFaults()

	var failed int64
	for _, byStatus := range stats.Endpoints {
		for status, c := range byStatus {
			if status >= 429 || status == 0 {
				failed += c
			}
		}
	}
	t.Logf("100 transfers in %s; %d of %d requests failed on purpose",
		time.Since(start).Round(time.Millisecond), failed, stats.Total)

	if failed < stats.Total/20 {
		t.Errorf("only %d of %d requests failed: faults are not on", failed, stats.Total)
	}

	secrets := e.tokens.secrets()
	for _, h := range handles {
		if err := h.Err(); err != nil {
			assertClean(t, "error", err.Error(), secrets)
			t.Errorf("%s %d: %v", h.Name, h.ID, err)
		}
	}

	for i, d := range got {
		if d == nil {
			continue
		}

		if fileSHA(t, d.LocalPath) != downSums[i] {
			t.Errorf("download %d differs", i)
		}

		want := ""
		if i%2 == 0 {
			want = downSums[i]
		}

		if d.SHA256 != want {
			t.Errorf("download %d: reported hash %q, want %q", i, d.SHA256, want)
		}
	}
	noTempFiles(t, outDir)

	e.checkUploads(up, upSums, results)
}

// checkUploads lists the upload folder (no faults now) and checks that each
// name is there once, with the bytes sent and the expected outcome.
func (e *env) checkUploads(folder int64, sums map[string]string, results map[string]*UploadResult) {
	t := e.t
	f, err := e.tr.ListFolder(t.Context(), e.scope, folder)
	if err != nil {
		t.Fatal(err)
	}

	seen := map[string]int{}
	verify := t.TempDir()
	for _, file := range f.Files {
		seen[file.Name]++
		v := file.LatestVersion()
		d, err := e.tr.Download(t.Context(), DownloadRequest{Version: *v, Path: []string{file.Name}, DestDir: verify}, nil)
		if err != nil {
			t.Fatal(err)
		}

		if fileSHA(t, d.LocalPath) != sums[file.Name] {
			t.Errorf("%s: uploaded bytes differ", file.Name)
		}

		wantOutcome, wantVersion := Created, 1
		var idx int
		_, _ = fmt.Sscanf(file.Name, "u%02d.bin", &idx)
		if idx%10 == 0 {
			wantOutcome, wantVersion = NewVersion, 2
		}

		r := results[file.Name]
		if r == nil || r.Outcome != wantOutcome || r.Version != wantVersion || v.Number != wantVersion {
			t.Errorf("%s: result %+v, remote version %d; want %v v%d", file.Name, r, v.Number, wantOutcome, wantVersion)
		}
	}

	for name := range sums {
		if seen[name] != 1 {
			t.Errorf("%s is in procore %d times", name, seen[name])
		}
	}

	if len(f.Files) != len(sums) {
		t.Errorf("%d files in procore, want %d", len(f.Files), len(sums))
	}

}

// TestTokenExpiresDuringSegmentedUpload expires every access token once the
// first segment is on its way; the upload still finishes with a new token.
func TestTokenExpiresDuringSegmentedUpload(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{SinglePartMax: MinSegmentSize, SegmentSize: MinSegmentSize, Concurrency: 1})
	folder := e.folder("token-expiry")
	path, sum := randomFile(t, t.TempDir(), "dtm.xml", 3*MinSegmentSize+99, 11)

	p := &Progress{}
	var once sync.Once
	stop := p.Report(time.Millisecond, func(s Snapshot) {
		if s.BytesDone > MinSegmentSize/2 {
			once.Do(e.srv.ExpireAccessTokens)
		}
	})
	res, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, p)
	stop()
	if err != nil {
		t.Fatal(err)
	}

	if res.SHA256 != sum || e.tokens.renewed == 0 {
		t.Fatalf("result %+v, token renewed %d times", res, e.tokens.renewed)
	}

	if e.srv.Stats().CountStatus("PATCH /rest/v1.1/projects/{project_id}/uploads/{uuid}", 401) == 0 {
		t.Error("the token did not expire before completion")
	}

	file, _ := e.remoteFile(folder, "dtm.xml")
	dl, err := e.downloadLatest(t.Context(), file, t.TempDir())
	if err != nil || fileSHA(t, dl.LocalPath) != sum {
		t.Fatalf("download: %v", err)
	}
}
