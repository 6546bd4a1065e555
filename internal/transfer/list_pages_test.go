package transfer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/backsight/backsight/internal/procore"
)

// TestListTreeWithoutLinkHeader pages through an index that sends no Link
// header (only Per-Page, or nothing, or a per_page cap below the one asked
// for): every item is listed, with no request past the end.
func TestListTreeWithoutLinkHeader(t *testing.T) {
	t.Parallel()

	const items = 25
	tests := []struct {
		name      string
		cap       int  // the server's largest page
		perPage   bool // send Per-Page
		total     bool // send Total
		wantPages int
	}{
		{"per-page and total", 10, true, true, 3},
		{"per-page only", 10, true, false, 3},
		{"nothing, full pages of what was asked", 1000, false, false, 1},
		{"total only, capped pages", 10, false, true, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
				per = min(per, tt.cap)
				if tt.perPage {
					w.Header().Set("Per-Page", strconv.Itoa(per))
				}
				if tt.total {
					w.Header().Set("Total", strconv.Itoa(items))
				}

				var out []map[string]any
				for i := (page - 1) * per; i < min(items, page*per); i++ {
					out = append(out, map[string]any{"id": 1000 + i, "name": fmt.Sprintf("f%02d", i),
						"document_type": "file", "parent_id": nil})
				}
				_ = json.NewEncoder(w).Encode(out)
			}))
			defer srv.Close()

			c, _ := procore.NewClient(srv.URL, procore.StaticToken("t"))
			tree, err := New(c, Options{}).ListTree(t.Context(), procore.ProjectScope(1), 0)
			if err != nil {
				t.Fatal(err)
			}

			_, files := countNodes(tree)
			wantFiles := items
			if n := int(requests.Load()); files != wantFiles || n != tt.wantPages || tree.Requests != n {
				t.Errorf("%d files in %d requests (counted %d), want %d in %d",
					files, n, tree.Requests, wantFiles, tt.wantPages)
			}
		})
	}
}

// TestBuildTreeNullFields builds the tree of a folder's subtree from index
// items with null ids, parents, names and types: nothing is lost, and
// nothing hangs from an item without an id (the items with a null parent
// used to, and vanished with it).
func TestBuildTreeNullFields(t *testing.T) {
	t.Parallel()

	var docs []procore.Document
	err := json.Unmarshal([]byte(`[
		{"id":null,"name":null,"document_type":"folder","parent_id":null},
		{"id":4294967296,"name":"Top","document_type":"folder","parent_id":77},
		{"id":4294967297,"name":"a.dxf","document_type":"file","parent_id":4294967296,"file":null},
		{"id":4294967298,"name":"b.csv","document_type":"file","parent_id":null,
		 "file":{"current_version":null}},
		{"id":4294967299,"name":null,"document_type":null,"parent_id":null,"is_deleted":null}
	]`), &docs)
	if err != nil {
		t.Fatal(err)
	}

	tree := &Tree{Root: &Node{ID: 77, IsFolder: true}, ByID: map[int64]*Node{}}
	buildTree(tree, docs, 77)

	var names []string
	tree.Root.Walk(func(n *Node) { names = append(names, strings.Join(n.Path, "/")) })
	want := "Top,Top/a.dxf,,b.csv"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("tree %q, want %q", got, want)
	}
}
