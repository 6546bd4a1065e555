package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/sandbox"
)

// TestDownloadDistinctLocalNames downloads two Procore files whose names
// become one local name when made safe ("a:b.csv" and "a_b.csv"): each
// lands in a file of its own with its own bytes, and the import step reads
// each from there.
func TestDownloadDistinctLocalNames(t *testing.T) {
	content := map[string]string{
		"a:b.csv": "1,5000.125,2000.250,100.5,COLON\n",
		"a_b.csv": "2,5001.125,2001.250,101.5,UNDERSCORE\n",
	}
	u, _ := downloadNewFolder(t, content, nil)
	w := u.importWin

	eventually(t, wait, "the first import step", func() bool { return w.step != nil })

	// The step shows the first file; the second waits in the queue.
	var paths []string
	onUI(func() { paths = append([]string{w.step.file.path}, queuedPaths(w.queue)...) })
	if len(paths) != 2 || paths[0] == paths[1] {
		t.Fatalf("local paths = %q, want two distinct files", paths)
	}

	got := map[string]string{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got[filepath.Base(p)] = string(data)
	}
	want := map[string]string{
		"a_b.csv":     content["a_b.csv"], // its name needed no change: it keeps it
		"a_b (2).csv": content["a:b.csv"],
	}
	for name, body := range want {
		if got[name] != body {
			t.Errorf("%s holds %q, want %q (all: %q)", name, got[name], body, got)
		}
	}
}

func queuedPaths(q []queuedFile) []string {
	out := make([]string, len(q))
	for i, f := range q {
		out[i] = f.path
	}

	return out
}

// TestDownloadFailedLeavesNoFolders: a download that fails leaves none of
// the folders of the Procore path ("01 Survey/Names") empty in the
// project's Procore/ folder.
func TestDownloadFailedLeavesNoFolders(t *testing.T) {
	u, demo := downloadNewFolder(t, map[string]string{"a.csv": "1,1,1\n"},
		&sandbox.FaultRule{Endpoint: sandbox.FaultDownload, Status: 404})

	eventually(t, wait, "the download's error", func() bool {
		return u.importWin.win.Canvas().Overlays().Top() != nil
	})

	dir := filepath.Join(demo.ProjectDir, project.ProcoreDir)
	eventually(t, wait, "an empty Procore folder", func() bool {
		entries, err := os.ReadDir(dir)
		return err == nil && len(entries) == 0
	})
}

// downloadNewFolder adds the files of content to a new Procore folder
// "01 Survey/Names" of the demo project, logs in, highlights them in the
// import window and taps Download. With fault, the sandbox answers with it.
func downloadNewFolder(t *testing.T, content map[string]string, fault *sandbox.FaultRule,
) (*UI, *app.Demo) {
	t.Helper()
	u, demo := newDemoSession(t, app.Options{}, Options{})

	const folder = "01 Survey/Names"
	if _, err := demo.Server.AddFolder(demo.ProjectID, folder); err != nil {
		t.Fatal(err)
	}
	for name, body := range content {
		if _, err := demo.Server.AddFile(demo.ProjectID, folder, name, strings.NewReader(body),
			0); err != nil {
			t.Fatal(err)
		}
	}
	if fault != nil {
		demo.Server.AddFault(*fault)
	}

	onUI(func() { u.showImport(importProcore) })
	w := u.importWin
	b := w.browser
	eventually(t, wait, "the root folder", func() bool {
		n := b.nodes[rootID]
		return b.projectID != 0 && n != nil && n.loaded
	})
	openFolder(t, b, "01 Survey", "Names")
	onUI(func() {
		for name := range content {
			if !b.mark(name) {
				t.Fatalf("%s not listed; files: %v", name, labelsUnder(b.fileTable))
			}
		}
		test.Tap(w.download)
	})

	return u, demo
}
