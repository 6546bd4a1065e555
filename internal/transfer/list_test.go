package transfer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// bigProject seeds a project with folders and files (files spread evenly),
// readable by the demo surveyor, and returns its id.
func bigProject(tb testing.TB, srv *sandbox.Server, c *procore.Client, folders, files int) int64 {
	tb.Helper()

	me, _, err := c.Me.Get(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}

	pid := srv.AddProject(sandbox.DemoCompanyID, fmt.Sprintf("Big %d", time.Now().UnixNano()))
	srv.SetPermission(me.ID, pid, sandbox.LevelStandard)
	paths := make([]string, folders)
	for i := range folders {
		// Ten top folders, the rest nested two levels below them.
		switch {
		case i < 10:
			paths[i] = fmt.Sprintf("F%02d", i)
		case i < 100:
			paths[i] = fmt.Sprintf("%s/G%03d", paths[i%10], i)
		default:
			paths[i] = fmt.Sprintf("%s/H%04d", paths[10+i%90], i)
		}

		if _, err := srv.AddFolder(pid, paths[i]); err != nil {
			tb.Fatal(err)
		}
	}

	for i := range files {
		if _, err := srv.AddFile(pid, paths[i%folders], fmt.Sprintf("f%05d.csv", i),
			strings.NewReader("1,2,3\n"), 0); err != nil {
			tb.Fatal(err)
		}
	}

	return pid
}

// TestListTreeInFewRequests lists 200 folders and 1,000 files in one page
// request; BenchmarkListTree does the 1,000 folders and 5,000 files of the
// target (seeding those takes the sandbox about 30 s).
func TestListTreeInFewRequests(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	pid := bigProject(t, e.srv, e.client, 200, 1000)

	e.srv.ResetStats()
	tree, err := e.tr.ListTree(t.Context(), procore.ProjectScope(pid), 0)
	if err != nil {
		t.Fatal(err)
	}

	folders, files := countNodes(tree)
	requests := e.srv.Stats().Total
	if folders != 200 || files != 1000 {
		t.Fatalf("tree has %d folders and %d files, want 200 and 1000", folders, files)
	}

	if requests != 2 || tree.Requests != 2 {
		t.Fatalf("%d requests (tree says %d), want 2 pages of 1000", requests, tree.Requests)
	}

	n := tree.ByID[e.folderIDOf(t, pid, "F03/G023/H0103")]
	if n == nil || strings.Join(n.Path, "/") != "F03/G023/H0103" {
		t.Fatalf("node path: %+v", n)
	}
}

func countNodes(tree *Tree) (folders, files int) {
	tree.Root.Walk(func(n *Node) {
		if n.IsFolder {
			folders++
		} else {
			files++
		}
	})

	return folders, files
}

// BenchmarkListTree lists a project of 1,000 folders and 5,000 files and
// reports the requests it took (target: at most 10).
func BenchmarkListTree(b *testing.B) {
	srv, c, tr := benchEnv(b)
	pid := bigProject(b, srv, c, 1000, 5000)
	srv.ResetStats()

	var tree *Tree
	for b.Loop() {
		var err error
		tree, err = tr.ListTree(b.Context(), procore.ProjectScope(pid), 0)
		if err != nil {
			b.Fatal(err)
		}
	}

	folders, files := countNodes(tree)
	if folders != 1000 || files != 5000 {
		b.Fatalf("tree has %d folders and %d files", folders, files)
	}

	b.ReportMetric(float64(srv.Stats().Total)/float64(b.N), "requests/op")
}

func (e *env) folderIDOf(t *testing.T, pid int64, path string) int64 {
	id, ok := e.srv.FolderID(pid, path)
	if !ok {
		t.Fatalf("no folder %s", path)
	}

	return id
}
