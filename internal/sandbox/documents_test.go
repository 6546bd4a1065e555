package sandbox

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestDocumentsIndex(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoViewer)
	survey, _ := srv.FolderID(DemoProjectID, "01 Survey")
	base := fmt.Sprintf("/rest/v1.0/projects/%d/documents?", DemoProjectID)

	list := func(q url.Values) []map[string]any {
		var out []map[string]any
		for _, x := range arr(c.call("GET", base+q.Encode(), nil, 200)) {
			out = append(out, obj(x))
		}

		return out
	}

	sub := list(form("filters[folder_id]", itoa(survey)))
	if len(sub) == 0 {
		t.Fatal("empty subtree")
	}

	for _, d := range sub {
		if !strings.HasPrefix(d["name_with_path"].(string), "Riverside Subdivision Stage 2/01 Survey/") {
			t.Fatalf("outside subtree: %v", d["name_with_path"])
		}
	}

	files := list(form("filters[folder_id]", itoa(survey), "filters[document_type]", "file"))
	for _, d := range files {
		if d["document_type"] != "file" {
			t.Fatalf("type filter: %v", d)
		}
	}

	found := list(form("filters[search]", "CONTROL_points", "filters[document_type]", "file", "view", "extended"))
	if len(found) != 1 {
		t.Fatalf("search: %d", len(found))
	}

	cur := obj(obj(found[0]["file"])["current_version"])
	if num(cur["number"]) != 3 {
		t.Fatalf("current version: %v", cur)
	}

	folders := list(form("filters[document_type]", "folder"))
	for _, d := range folders {
		if d["document_type"] != "folder" {
			t.Fatalf("folder filter: %v", d)
		}
	}

	resp := c.req("GET", base+"per_page=2&page=2", nil, "")
	items := arr(decode(t, resp, 200))
	if len(items) != 2 || resp.Header.Get("Total") == "" || !strings.Contains(resp.Header.Get("Link"), `rel="first"`) {
		t.Fatalf("documents paging: %d %v", len(items), resp.Header)
	}

	// Company documents.
	_, _ = srv.AddFile(DemoProjectID, "x", "y.csv", bytes.NewReader([]byte("1")), 0)
	c.call("GET", fmt.Sprintf("/rest/v1.0/companies/%d/documents", DemoCompanyID), nil, 200)
}
