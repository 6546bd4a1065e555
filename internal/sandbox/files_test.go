package sandbox

import (
	"bytes"
	"testing"
	"time"
)

func createFile(t *testing.T, c *apiClient, sc string, fields map[string]string, data []byte, want int) map[string]any {
	t.Helper()

	body, ct := multipartBody(fields, "file[data]", data, fields["file[name]"])
	v := decode(t, c.req("POST", sc, body, ct), want)
	if v == nil {
		return nil
	}

	return obj(v)
}

func TestFileLifecycle(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	q := "?" + pq(DemoProjectID)
	folder, _ := srv.FolderID(DemoProjectID, "02 Design")
	parent := itoa(folder)

	f := createFile(t, c, "/rest/v1.0/files"+q, map[string]string{"file[name]": "plan.csv",
		"file[parent_id]": parent, "file[description]": "first"}, []byte("a,b\n1,2\n"), 201)
	if num(f["size"]) != 8 || f["file_type"] != "csv" || len(arr(f["file_versions"])) != 1 {
		t.Fatalf("created: %v", f)
	}

	id := itoa(num(f["id"]))

	// Taken name: 400 unless unique_name.
	body := createFile(t, c, "/rest/v1.0/files"+q, map[string]string{"file[name]": "PLAN.csv",
		"file[parent_id]": parent}, []byte("x"), 400)
	if obj(body["errors"])["name"] == nil {
		t.Fatalf("taken: %v", body)
	}

	dup := createFile(t, c, "/rest/v1.0/files"+q, map[string]string{"file[name]": "plan.csv",
		"file[parent_id]": parent, "file[unique_name]": "true"}, []byte("x"), 201)
	if dup["name"] != "plan (1).csv" {
		t.Fatalf("unique name: %v", dup["name"])
	}

	// PATCH with data makes version 2; file_versions POST makes version 3.
	pb, ct := multipartBody(map[string]string{}, "file[data]", []byte("a,b\n1,2\n3,4\n"), "plan.csv")
	upd := obj(decode(t, c.req("PATCH", "/rest/v1.0/files/"+id+q, pb, ct), 200))
	if len(arr(upd["file_versions"])) != 2 || num(upd["size"]) != 12 {
		t.Fatalf("patch version: %v", upd)
	}

	vb, ct := multipartBody(map[string]string{"file_version[notes]": "rev C"}, "file_version[data]",
		[]byte("v3"), "plan.csv")
	v3 := obj(decode(t, c.req("POST", "/rest/v1.0/file_versions"+q+"&file_id="+id, vb, ct), 201))
	if num(v3["number"]) != 3 || v3["notes"] != "rev C" {
		t.Fatalf("version: %v", v3)
	}

	shown := obj(c.call("GET", "/rest/v1.0/file_versions/"+itoa(num(v3["id"]))+q, nil, 200))
	if num(shown["file_id"]) != num(f["id"]) {
		t.Fatalf("version show: %v", shown)
	}

	full := obj(c.call("GET", "/rest/v1.0/files/"+id+q, nil, 200))
	vers := arr(full["file_versions"])
	for i, v := range vers {
		if num(obj(v)["number"]) != int64(i+1) {
			t.Fatalf("versions not ascending: %v", vers)
		}
	}

	latest := obj(c.call("GET", "/rest/v1.0/files/"+id+q+"&show_latest_version_only=true", nil, 200))
	if n := len(arr(latest["file_versions"])); n != 1 {
		t.Fatalf("latest only: %d", n)
	}

	// Download either version.
	for i, want := range []string{"a,b\n1,2\n", "v3"} {
		v := obj(vers[[]int{0, 2}[i]])
		resp, b := c.download(v["url"].(string), "")
		if resp.StatusCode != 200 || string(b) != want {
			t.Fatalf("download v%d: %d %q", i, resp.StatusCode, b)
		}
	}

	// Rename and move, then delete.
	ren := obj(c.call("PATCH", "/rest/v1.0/files/"+id+q, map[string]any{"file": map[string]any{
		"name": "plan-final.csv", "parent_id": srv.RootFolderID(DemoProjectID)}}, 200))
	if ren["name"] != "plan-final.csv" || num(ren["parent_id"]) != srv.RootFolderID(DemoProjectID) {
		t.Fatalf("rename: %v", ren)
	}

	del := obj(c.call("DELETE", "/rest/v1.0/files/"+id+q, nil, 200))
	if del["is_deleted"] != true {
		t.Fatalf("delete: %v", del)
	}

	c.call("PATCH", "/rest/v1.0/files/"+id+q, map[string]any{"file": map[string]any{"name": "z"}}, 404)
	createFile(t, c, "/rest/v1.0/files"+q, map[string]string{"file[name]": "none.csv"}, nil, 201)
}

func TestFilePermissionsAndCheckout(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now})
	q := "?" + pq(DemoProjectID)
	fid, err := srv.AddFile(DemoProjectID, "03 As-built", "as-built.csv", bytes.NewReader([]byte("1")), 0)
	if err != nil {
		t.Fatal(err)
	}

	id := itoa(fid)
	surveyor := demoClient(t, srv, DemoSurveyor)
	viewer := demoClient(t, srv, DemoViewer)
	admin := demoClient(t, srv, DemoAdmin)

	viewer.call("GET", "/rest/v1.0/files/"+id+q, nil, 200)
	viewer.call("PATCH", "/rest/v1.0/files/"+id+q, map[string]any{"file": map[string]any{"name": "v.csv"}}, 403)
	viewer.call("DELETE", "/rest/v1.0/files/"+id+q, nil, 403)
	createFile(t, viewer, "/rest/v1.0/files"+q, map[string]string{"file[name]": "v.csv"}, []byte("1"), 403)

	until := clk.Now().Add(30 * time.Minute).Format(time.RFC3339)
	out := obj(admin.call("PATCH", "/rest/v1.0/files/"+id+q, map[string]any{"file": map[string]any{
		"checked_out_until": until}}, 200))
	if obj(out["checked_out_by"])["login"] != DemoAdmin {
		t.Fatalf("checkout: %v", out)
	}

	vb, ct := multipartBody(nil, "file_version[data]", []byte("2"), "as-built.csv")
	decode(t, surveyor.req("POST", "/rest/v1.0/file_versions"+q+"&file_id="+id, vb, ct), 409)

	pb, ct := multipartBody(nil, "file[data]", []byte("2"), "as-built.csv")
	decode(t, surveyor.req("PATCH", "/rest/v1.0/files/"+id+q, pb, ct), 409)

	// The checkout lapses with time.
	clk.Add(31 * time.Minute)
	vb, ct = multipartBody(nil, "file_version[data]", []byte("2"), "as-built.csv")
	decode(t, surveyor.req("POST", "/rest/v1.0/file_versions"+q+"&file_id="+id, vb, ct), 201)
}
