package transfer

import (
	"testing"

	"github.com/backsight/backsight/internal/sandbox"
)

// folderShow is the sandbox's endpoint that lists a folder.
const folderShow = "GET /rest/v1.0/folders/{id}"

// TestUploadFileListedListsNothing uploads into a folder the caller has
// just listed: no second listing, and the name taken in that listing gets a
// new version.
func TestUploadFileListedListsNothing(t *testing.T) {
	t.Parallel()

	e := newEnv(t, sandbox.Options{}, Options{})
	folder := e.folder("upload-listed")
	dir := t.TempDir()

	path, _ := randomFile(t, dir, "Stakeout.csv", 3000, 1)
	first, err := e.tr.UploadFile(t.Context(), e.scope, folder, path, nil)
	if err != nil {
		t.Fatal(err)
	}

	listed, err := e.tr.ListFolder(t.Context(), e.scope, folder)
	if err != nil {
		t.Fatal(err)
	}

	randomFile(t, dir, "Stakeout.csv", 4000, 2)
	before := e.srv.Stats().Count(folderShow)
	if before == 0 {
		t.Fatalf("no request counted as %q", folderShow)
	}
	res, err := e.tr.UploadFileListed(t.Context(), e.scope, folder, listed, path, nil)
	if err != nil {
		t.Fatal(err)
	}

	if res.Outcome != NewVersion || res.FileID != first.FileID || res.Version != 2 {
		t.Fatalf("upload: %+v, want version 2 of file %d", res, first.FileID)
	}

	if n := e.srv.Stats().Count(folderShow) - before; n != 0 {
		t.Errorf("the upload listed the folder %d times, want none", n)
	}
}
