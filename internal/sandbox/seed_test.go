package sandbox

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/samplefiles"
)

func TestDemoSeedWithSamples(t *testing.T) {
	dir := samplefiles.Require(t)

	srv := startSandbox(t, Options{Seed: "demo", SamplesDir: dir})
	c := demoClient(t, srv, DemoViewer)

	entries, _ := os.ReadDir(dir)
	docs := arr(c.call("GET", fmt.Sprintf("/rest/v1.0/projects/%d/documents?filters[document_type]=file&per_page=1000",
		DemoProjectID), nil, 200))

	names := map[string]bool{}
	for _, d := range docs {
		names[obj(d)["name"].(string)] = true
	}

	for _, e := range entries {
		if sampleFolder(e.Name()) != "" && !names[e.Name()] {
			t.Errorf("sample %s not seeded", e.Name())
		}
	}

	// The first topo sample has two versions, the second one the whole file.
	id, ok := srv.FileID(DemoProjectID, "01 Survey/Topo/csv_tab_header_emptyfields_from_rw5.csv")
	if !ok {
		t.Fatal("topo sample missing")
	}

	f := obj(c.call("GET", "/rest/v1.0/files/"+itoa(id)+"?"+pq(DemoProjectID), nil, 200))
	vers := arr(f["file_versions"])
	whole, _ := os.ReadFile(dir + "/csv_tab_header_emptyfields_from_rw5.csv")
	if len(vers) != 2 || num(obj(vers[1])["size"]) != int64(len(whole)) {
		t.Fatalf("topo versions: %v", vers)
	}

	if _, b := c.download(obj(vers[1])["url"].(string), ""); string(b) != string(whole) {
		t.Fatal("sample content differs")
	}
}

func TestDocumentsSortAndTypes(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now})
	for _, n := range []string{"b.csv", "a.xml", "c.csv"} {
		clk.Add(time.Minute)
		if _, err := srv.AddFile(DemoProject2ID, "Sorted", n, strings.NewReader(n), 0); err != nil {
			t.Fatal(err)
		}
	}

	c := demoClient(t, srv, DemoViewer)
	folder, _ := srv.FolderID(DemoProject2ID, "Sorted")
	base := fmt.Sprintf("/rest/v1.0/projects/%d/documents?filters[folder_id]=%d", DemoProject2ID, folder)

	cases := []struct {
		query string
		want  string
	}{
		{"&sort=name", "a.xml,b.csv,c.csv"},
		{"&sort=-name", "c.csv,b.csv,a.xml"},
		{"&sort=-updated_at", "c.csv,a.xml,b.csv"},
		{"&sort=created_at", "b.csv,a.xml,c.csv"},
		{"&filters[file_type][]=csv", "b.csv,c.csv"},
	}
	for _, tc := range cases {
		var got []string
		for _, d := range arr(c.call("GET", base+tc.query, nil, 200)) {
			got = append(got, obj(d)["name"].(string))
		}

		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: %v, want %s", tc.query, got, tc.want)
		}
	}
}

func TestFaultControls(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)

	srv.SetFaultRate(1, 7)
	resp := c.req("GET", "/rest/v1.0/companies", nil, "")
	_ = resp.Body.Close()

	if resp.StatusCode < 429 {
		t.Fatalf("rate 1 did not fault: %d", resp.StatusCode)
	}

	srv.SetLatency(time.Millisecond)
	srv.ClearFaults()
	c.call("GET", "/rest/v1.0/companies", nil, 200)

	if srv.Stats().Count("GET /rest/v1.0/companies") != 2 {
		t.Fatalf("stats: %+v", srv.Stats())
	}

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, srv.URL()+"/_sandbox/stats", nil)
	if r, err := noRedirect.Do(req); err != nil || r.StatusCode != 204 || srv.Stats().Total != 0 {
		t.Fatalf("reset over HTTP: %v %v", err, r)
	}
}
