package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStatsEndpoint(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)

	c.call("GET", "/rest/v1.0/me", nil, 200)
	c.call("GET", "/rest/v1.0/me", nil, 200)
	c.call("GET", "/rest/v1.0/folders/1?"+pq(DemoProjectID), nil, 404)

	resp, err := http.Get(srv.URL() + "/_sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}

	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}

	_ = resp.Body.Close()

	if st.CountStatus("GET /rest/v1.0/me", 200) != 2 || st.CountStatus("GET /rest/v1.0/folders/{id}", 404) != 1 {
		t.Fatalf("stats: %+v", st)
	}

	srv.ResetStats()
	if srv.Stats().Total != 0 {
		t.Fatal("reset")
	}
}

func TestPersistenceAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	srv, err := Start(t.Context(), Options{DataDir: dir, Seed: "demo"})
	if err != nil {
		t.Fatal(err)
	}

	c := demoClient(t, srv, DemoSurveyor)
	data := testData(300000, 6)
	body, ct := multipartBody(map[string]string{"file[name]": "kept.bin"}, "file[data]", data, "kept.bin")
	f := obj(decode(t, c.req("POST", "/rest/v1.0/files?"+pq(DemoProjectID), body, ct), 201))
	token := c.token

	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	srv2 := startSandbox(t, Options{DataDir: dir, Seed: "demo"})
	c2 := &apiClient{t: t, srv: srv2, token: token, company: DemoCompanyID}

	again := obj(c2.call("GET", "/rest/v1.0/files/"+itoa(num(f["id"]))+"?"+pq(DemoProjectID), nil, 200))
	_, b := c2.download(obj(arr(again["file_versions"])[0])["url"].(string), "")
	if !bytes.Equal(b, data) {
		t.Fatalf("content after restart: %d bytes", len(b))
	}

	// The seed is not applied twice.
	root := obj(c2.call("GET", "/rest/v1.0/folders?"+pq(DemoProjectID), nil, 200))
	n := 0
	for _, x := range arr(root["folders"]) {
		if obj(x)["name"] == "01 Survey" {
			n++
		}
	}

	if n != 1 {
		t.Fatalf("01 Survey x%d", n)
	}
}

func TestHelpersFindSeed(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})

	id, ok := srv.FileID(DemoProjectID, "01 Survey/Control/control_points.csv")
	if !ok {
		t.Fatal("seeded control file not found")
	}

	c := demoClient(t, srv, DemoViewer)
	f := obj(c.call("GET", "/rest/v1.0/files/"+itoa(id)+"?"+pq(DemoProjectID), nil, 200))
	if len(arr(f["file_versions"])) != 3 {
		t.Fatalf("seeded versions: %v", f["file_versions"])
	}

	if _, ok := srv.FileID(DemoProjectID, "nope/x.csv"); ok {
		t.Fatal("found a missing file")
	}
}

func TestMetadataSavedWhileRunning(t *testing.T) {
	dir := t.TempDir()
	srv := startSandbox(t, Options{DataDir: dir})
	srv.AddCompany("Saved Co")

	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(dir, metaFile))
		if err == nil && bytes.Contains(b, []byte("Saved Co")) {
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("metadata not valid JSON: %v", err)
			}

			break
		}

		if time.Now().After(deadline) {
			t.Fatal("metadata not written")
		}

		time.Sleep(20 * time.Millisecond)
	}

	tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(tmps) != 0 {
		t.Fatalf("temp files left: %v", tmps)
	}
}
