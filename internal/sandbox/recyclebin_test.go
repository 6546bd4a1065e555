package sandbox

import (
	"fmt"
	"strings"
	"testing"
)

// TestRecycleBinConsistent: a deleted file is in the recycle bin for every
// way of looking (the bin's folder listing, the documents index under the
// bin), and writes into the bin are refused with 403 and a message, not a
// 404 that says the bin does not exist.
func TestRecycleBinConsistent(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	q := "?" + pq(DemoProjectID)
	design, _ := srv.FolderID(DemoProjectID, "02 Design")
	f := createFile(t, c, "/rest/v1.0/files"+q, map[string]string{"file[name]": "gone.csv",
		"file[parent_id]": itoa(design)}, []byte("1,2\n"), 201)
	fid := num(f["id"])
	c.call("DELETE", "/rest/v1.0/files/"+itoa(fid)+q, nil, 200)

	bin := num(folderNamed(t, obj(c.call("GET", "/rest/v1.0/folders"+q, nil, 200)), "Recycle Bin")["id"])
	binQ := itoa(bin)

	listed := obj(c.call("GET", "/rest/v1.0/folders/"+binQ+q, nil, 200))
	if !hasID(arr(listed["files"]), fid) {
		t.Fatalf("bin listing lacks the deleted file: %v", listed["files"])
	}

	docs := fmt.Sprintf("/rest/v1.0/projects/%d/documents?filters[folder_id]=%d", DemoProjectID, bin)
	tests := []struct {
		name  string
		query string
		want  bool
	}{
		{"subtree of the bin", "", true},
		{"subtree of the bin, in the bin", "&filters[is_in_recycle_bin]=true", true},
		{"subtree of the bin, not in the bin", "&filters[is_in_recycle_bin]=false", false},
	}

	for _, tt := range tests {
		items := arr(c.call("GET", docs+tt.query, nil, 200))
		if hasID(items, fid) != tt.want {
			t.Errorf("%s: deleted file listed %v, want %v", tt.name, !tt.want, tt.want)
		}

		for _, x := range items {
			if tt.want && (num(obj(x)["id"]) == bin || obj(x)["is_deleted"] != true) {
				t.Errorf("%s: %v is not a deleted item", tt.name, obj(x)["name"])
			}
		}
	}

	// Writes into the bin: 403 with a message naming it.
	refused := []struct {
		name string
		do   func() map[string]any
	}{
		{"upload a file", func() map[string]any {
			return createFile(t, c, "/rest/v1.0/files"+q, map[string]string{"file[name]": "x.csv",
				"file[parent_id]": binQ}, []byte("1\n"), 403)
		}},
		{"create a folder", func() map[string]any {
			return obj(c.call("POST", "/rest/v1.0/folders"+q,
				map[string]any{"folder": map[string]any{"name": "x", "parent_id": bin}}, 403))
		}},
		{"move a folder in", func() map[string]any {
			return obj(c.call("PATCH", "/rest/v1.0/folders/"+itoa(design)+q,
				map[string]any{"folder": map[string]any{"parent_id": bin}}, 403))
		}},
	}

	for _, r := range refused {
		if body := r.do(); !strings.Contains(fmt.Sprint(body["message"]), "Recycle Bin") {
			t.Errorf("%s: body %v does not name the Recycle Bin", r.name, body)
		}
	}
}

func hasID(items []any, id int64) bool {
	for _, x := range items {
		if num(obj(x)["id"]) == id {
			return true
		}
	}

	return false
}
