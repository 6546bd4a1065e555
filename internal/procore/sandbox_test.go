package procore

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/backsight/backsight/internal/sandbox"
)

// startSandbox starts a demo sandbox and returns a client signed in as
// login.
func startSandbox(t *testing.T, o sandbox.Options, login string, opts ...Option) (*sandbox.Server, *Client) {
	t.Helper()

	o.Seed = "demo"
	if o.RateSpike == 0 {
		o.RateSpike = -1
	}

	if o.RateHourly == 0 {
		o.RateHourly = -1
	}

	srv, err := sandbox.Start(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	access, _, err := srv.IssueToken(login, sandbox.DemoClientID)
	if err != nil {
		t.Fatal(err)
	}

	opts = append([]Option{WithCompanyID(sandbox.DemoCompanyID), WithRetryPolicy(fastPolicy())}, opts...)
	c, err := NewClient(srv.URL(), StaticToken(access), opts...)
	if err != nil {
		t.Fatal(err)
	}

	return srv, c
}

func TestSandboxMeCompaniesProjects(t *testing.T) {
	t.Parallel()

	srv, c := startSandbox(t, sandbox.Options{}, sandbox.DemoSurveyor)
	me, _, err := c.Me.Get(t.Context())
	if err != nil || me.Login != sandbox.DemoSurveyor {
		t.Fatalf("me: %+v, %v", me, err)
	}

	for i := range 23 {
		srv.SetPermission(me.ID, srv.AddProject(sandbox.DemoCompanyID, fmt.Sprintf("P%02d", i)), sandbox.LevelStandard)
	}

	var companies int
	for co, err := range c.WithCompany(0).Companies.All(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}

		if co.ID == sandbox.DemoCompanyID {
			companies++
		}
	}

	if companies != 1 {
		t.Fatalf("demo company seen %d times", companies)
	}

	srv.ResetStats()
	var names []string
	opts := ProjectListOptions{ListOptions: ListOptions{PerPage: 5}}
	for p, err := range c.Projects.All(t.Context(), sandbox.DemoCompanyID, opts) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
	}

	pages := (len(names) + 4) / 5
	if len(names) < 25 || srv.Stats().Total != int64(pages) {
		t.Fatalf("%d projects in %d requests, want >= 25 in %d", len(names), srv.Stats().Total, pages)
	}
}

func TestSandboxFolderLifecycle(t *testing.T) {
	t.Parallel()

	_, c := startSandbox(t, sandbox.Options{}, sandbox.DemoSurveyor)
	ctx := t.Context()
	scope := ProjectScope(sandbox.DemoProjectID)

	root, _, err := c.Folders.Root(ctx, scope, nil)
	if err != nil || root.ParentID != nil {
		t.Fatalf("root: %+v, %v", root, err)
	}

	a, _, err := c.Folders.Create(ctx, scope, 0, "Lifecycle A")
	if err != nil {
		t.Fatal(err)
	}

	b, _, err := c.Folders.Create(ctx, scope, 0, "Lifecycle B")
	if err != nil {
		t.Fatal(err)
	}

	if _, _, err := c.Folders.Create(ctx, scope, 0, "Lifecycle A"); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("second create: %v, want ErrNameTaken", err)
	}

	renamed, _, err := c.Folders.Rename(ctx, scope, a.ID, "Lifecycle A2")
	if err != nil || renamed.Name != "Lifecycle A2" {
		t.Fatalf("rename: %+v, %v", renamed, err)
	}

	moved, _, err := c.Folders.Move(ctx, scope, a.ID, b.ID)
	if err != nil || moved.ParentID == nil || *moved.ParentID != b.ID {
		t.Fatalf("move: %+v, %v", moved, err)
	}

	shown, _, err := c.Folders.Get(ctx, scope, b.ID, nil)
	if err != nil || len(shown.Folders) != 1 || shown.Folders[0].ID != a.ID {
		t.Fatalf("show: %+v, %v", shown, err)
	}

	if _, err := c.Folders.Delete(ctx, scope, b.ID); err != nil {
		t.Fatal(err)
	}

	if _, _, err := c.Folders.Rename(ctx, scope, b.ID, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("rename deleted: %v, want ErrNotFound", err)
	}

	if _, _, err := c.Folders.Get(ctx, scope, 999999999, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown folder: %v, want ErrNotFound", err)
	}
}

func TestSandboxErrors(t *testing.T) {
	t.Parallel()

	_, viewer := startSandbox(t, sandbox.Options{}, sandbox.DemoViewer)
	scope := ProjectScope(sandbox.DemoProjectID)
	_, _, err := viewer.Folders.Create(t.Context(), scope, 0, "not allowed")
	var er *ErrorResponse
	if !errors.Is(err, ErrForbidden) || !errors.As(err, &er) || er.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer create: %v, want ErrForbidden", err)
	}

	if _, _, err := viewer.WithCompany(0).Folders.Root(t.Context(), scope, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("without company header: %v, want 404", err)
	}

	bad, _ := NewClient(viewer.BaseURL.String(), StaticToken("not-a-token"), WithRetryPolicy(fastPolicy()))
	_, _, err = bad.Me.Get(t.Context())
	if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "not-a-token") {
		t.Fatalf("bad token: %v", err)
	}
}

func TestSandboxDocumentsIndex(t *testing.T) {
	t.Parallel()

	srv, c := startSandbox(t, sandbox.Options{}, sandbox.DemoSurveyor)
	scope := ProjectScope(sandbox.DemoProjectID)

	var all []Document
	for d, err := range c.Documents.All(t.Context(), scope, DocumentListOptions{Extended: true}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, d)
	}

	srv.ResetStats()
	var paged int
	opts := DocumentListOptions{ListOptions: ListOptions{PerPage: 3}, DocumentType: DocumentTypeFile}
	for d, err := range c.Documents.All(t.Context(), scope, opts) {
		if err != nil {
			t.Fatal(err)
		}

		if d.IsFolder() {
			t.Fatalf("folder %q in a file-only list", d.Name)
		}
		paged++
	}

	var files int
	for _, d := range all {
		if !d.IsFolder() {
			files++
			if d.File == nil || d.File.CurrentVersion == nil || d.File.CurrentVersion.URL == "" {
				t.Fatalf("extended file %q has no current version", d.Name)
			}
		}
	}

	if files == 0 || paged != files || srv.Stats().Total != int64((files+2)/3) {
		t.Fatalf("%d files, %d paged in %d requests", files, paged, srv.Stats().Total)
	}
}

// TestSandboxPacingAvoids429 sends twice the spike limit: the pacer must
// spread the requests so that none is refused.
func TestSandboxPacingAvoids429(t *testing.T) {
	t.Parallel()

	srv, c := startSandbox(t, sandbox.Options{RateSpike: 20, RateSpikeWindow: 2 * time.Second}, sandbox.DemoSurveyor)
	for range 45 {
		if _, _, err := c.Me.Get(t.Context()); err != nil {
			t.Fatal(err)
		}
	}

	if n := srv.Stats().CountStatus("GET /rest/v1.0/me", http.StatusTooManyRequests); n != 0 {
		t.Fatalf("%d requests were refused with 429", n)
	}
}

// TestSandboxDownloadStallResumes holds the first storage answer back longer
// than the stall timeout: the download gives up on it and starts again.
func TestSandboxDownloadStallResumes(t *testing.T) {
	t.Parallel()

	srv, c := startSandbox(t, sandbox.Options{}, sandbox.DemoSurveyor)
	data := strings.Repeat("survey data ", 100_000)
	id, err := srv.AddFile(sandbox.DemoProjectID, "stall", "slow.txt", strings.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}

	f, _, err := c.Files.Get(t.Context(), ProjectScope(sandbox.DemoProjectID), id, true)
	if err != nil {
		t.Fatal(err)
	}

	srv.AddFault(sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Nth: 1, Latency: 3 * time.Second})
	dest := filepath.Join(t.TempDir(), "slow.txt")
	res, err := c.DownloadFile(t.Context(), f.LatestVersion().URL, dest,
		DownloadOptions{Size: int64(len(data)), StallTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}

	var gets int64
	for ep, n := range srv.Stats().Endpoints {
		if strings.HasPrefix(ep, "storage GET") {
			for _, c := range n {
				gets += c
			}
		}
	}

	if res.Size != int64(len(data)) || gets < 2 {
		t.Fatalf("size %d after %d storage requests: the stalled attempt was not abandoned", res.Size, gets)
	}

	got, _ := os.ReadFile(dest)
	if string(got) != data {
		t.Fatal("content differs")
	}
}

// TestSandboxCheckedOut: a file checked out by another user refuses a new
// version with ErrCheckedOut.
func TestSandboxCheckedOut(t *testing.T) {
	t.Parallel()

	srv, surveyor := startSandbox(t, sandbox.Options{}, sandbox.DemoSurveyor)
	adminToken, _, err := srv.IssueToken(sandbox.DemoAdmin, sandbox.DemoClientID)
	if err != nil {
		t.Fatal(err)
	}

	admin, _ := NewClient(srv.URL(), StaticToken(adminToken), WithCompanyID(sandbox.DemoCompanyID))
	scope := ProjectScope(sandbox.DemoProjectID)
	id, err := srv.AddFile(sandbox.DemoProjectID, "checkout", "locked.csv", strings.NewReader("1,2,3\n"), 0)
	if err != nil {
		t.Fatal(err)
	}

	until := time.Now().Add(time.Hour)
	if _, _, err := admin.Files.Update(t.Context(), scope, id, FileUpdate{CheckedOutUntil: &until}); err != nil {
		t.Fatal(err)
	}

	up, _, err := surveyor.Uploads.Create(t.Context(), scope, UploadRequest{ResponseFilename: "locked.csv"})
	if err != nil {
		t.Fatal(err)
	}

	if err := surveyor.Uploads.PostToStorage(t.Context(), up, "locked.csv", strings.NewReader("4,5,6\n"), 6, nil); err != nil {
		t.Fatal(err)
	}

	_, _, err = surveyor.FileVersions.Create(t.Context(), scope, id, FileVersionCreate{UploadUUID: up.UUID})
	if !errors.Is(err, ErrCheckedOut) || errors.Is(err, ErrNameTaken) {
		t.Fatalf("new version of a checked-out file: %v, want ErrCheckedOut", err)
	}
}

// TestSandboxDeleteAfterLostAnswer: the sandbox carries out a DELETE and
// drops its answer; the retry is answered 404, which means the first
// attempt did the delete, so Delete succeeds and says so at debug level.
// A 404 to a first attempt stays an error.
func TestSandboxDeleteAfterLostAnswer(t *testing.T) {
	t.Parallel()

	tests := []struct {
		kind   string
		make   func(srv *sandbox.Server, path string) (int64, error)
		delete func(c *Client, id int64) error
		get    func(c *Client, id int64) (deleted bool, err error)
	}{
		{
			kind: "files",
			make: func(srv *sandbox.Server, path string) (int64, error) {
				return srv.AddFile(sandbox.DemoProjectID, path, "gone.csv", strings.NewReader("1,2,3"), 0)
			},
			delete: func(c *Client, id int64) error {
				_, err := c.Files.Delete(t.Context(), ProjectScope(sandbox.DemoProjectID), id)
				return err
			},
			get: func(c *Client, id int64) (bool, error) {
				f, _, err := c.Files.Get(t.Context(), ProjectScope(sandbox.DemoProjectID), id, true)
				return err == nil && f.IsDeleted, err
			},
		},
		{
			kind: "folders",
			make: func(srv *sandbox.Server, path string) (int64, error) {
				return srv.AddFolder(sandbox.DemoProjectID, path)
			},
			delete: func(c *Client, id int64) error {
				_, err := c.Folders.Delete(t.Context(), ProjectScope(sandbox.DemoProjectID), id)
				return err
			},
			get: func(c *Client, id int64) (bool, error) {
				f, _, err := c.Folders.Get(t.Context(), ProjectScope(sandbox.DemoProjectID), id, nil)
				return err == nil && f.IsDeleted, err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()

			core, logs := observer.New(zapcore.DebugLevel)
			srv, c := startSandbox(t, sandbox.Options{}, sandbox.DemoSurveyor, WithLogger(zap.New(core)))
			endpoint := "DELETE /rest/v1.0/" + tt.kind + "/{id}"

			id, err := tt.make(srv, "lost-answer")
			if err != nil {
				t.Fatal(err)
			}

			srv.AddFault(sandbox.FaultRule{Endpoint: endpoint, Nth: 1, LoseResponse: true})
			if err := tt.delete(c, id); err != nil {
				t.Fatalf("delete after a lost answer: %v", err)
			}

			st := srv.Stats()
			if lost, notFound := st.CountStatus(endpoint, 0), st.CountStatus(endpoint, 404); lost != 1 ||
				notFound != 1 {
				t.Errorf("%d lost answers and %d 404s, want 1 and 1", lost, notFound)
			}

			if deleted, err := tt.get(c, id); !deleted {
				t.Errorf("not in the recycle bin: %v", err)
			}

			if n := logs.FilterMessage("procore delete already done after a lost answer").
				FilterLevelExact(zapcore.DebugLevel).Len(); n != 1 {
				t.Errorf("%d debug lines about the delete, want 1", n)
			}

			// No fault now: the first attempt's 404 is an error.
			if err := tt.delete(c, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("delete of a deleted item: %v, want ErrNotFound", err)
			}
		})
	}
}
