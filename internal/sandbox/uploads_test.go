package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// testData returns n deterministic bytes.
func testData(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}

	return b
}

func putSegment(t *testing.T, seg map[string]any, body []byte) *http.Response {
	t.Helper()

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, seg["url"].(string), bytes.NewReader(body))
	for k, v := range obj(seg["headers"]) {
		if k != "content-length" {
			req.Header.Set(k, v.(string))
		}
	}

	req.Header.Set("Content-Type", "application/octet-stream")

	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}

	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	return resp
}

func segmentsOf(parts ...[]byte) []map[string]any {
	var out []map[string]any
	for _, p := range parts {
		out = append(out, map[string]any{"size": len(p), "sha256": sha(p)})
	}

	return out
}

// segmentedUpload uploads parts through a v1.1 segmented upload and returns its uuid.
func segmentedUpload(t *testing.T, c *apiClient, base string, name string, parts ...[]byte) string {
	t.Helper()

	up := obj(c.call("POST", base, map[string]any{"response_filename": name, "segments": segmentsOf(parts...)}, 201))
	segs := arr(up["segments"])

	var etags []map[string]any
	for i, p := range parts {
		resp := putSegment(t, obj(segs[i]), p)
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
			t.Fatalf("segment %d: %d", i+1, resp.StatusCode)
		}

		etags = append(etags, map[string]any{"etag": resp.Header.Get("ETag")})
	}

	done := obj(c.call("PATCH", base+"/"+up["uuid"].(string), map[string]any{"segments": etags}, 200))
	if done["status"] != "complete" {
		t.Fatalf("complete: %v", done)
	}

	return up["uuid"].(string)
}

func TestSegmentedUploadAndVersions(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	q := "?" + pq(DemoProjectID)
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)

	p1, p2 := testData(minSegment, 1), testData(1000, 2)
	uuid := segmentedUpload(t, c, base, "scan.bin", p1, p2)

	f := obj(c.call("POST", "/rest/v1.0/files"+q, map[string]any{"file": map[string]any{
		"name": "scan.bin", "upload_uuid": uuid}}, 201))
	if num(f["size"]) != int64(len(p1)+len(p2)) {
		t.Fatalf("size %v", f["size"])
	}

	second := testData(2000, 3)
	uuid2 := segmentedUpload(t, c, base, "scan.bin", second)
	v := obj(c.call("POST", "/rest/v1.0/file_versions"+q+"&file_id="+itoa(num(f["id"])),
		map[string]any{"file_version": map[string]any{"upload_uuid": uuid2}}, 201))
	if num(v["number"]) != 2 {
		t.Fatalf("version %v", v)
	}

	resp, b := c.download(v["url"].(string), "")
	if resp.StatusCode != 200 || !bytes.Equal(b, second) {
		t.Fatalf("download v2: %d, %d bytes", resp.StatusCode, len(b))
	}

	v1 := obj(arr(obj(c.call("GET", "/rest/v1.0/files/"+itoa(num(f["id"]))+q, nil, 200))["file_versions"])[0])

	_, b = c.download(v1["url"].(string), "")
	if !bytes.Equal(b, append(append([]byte{}, p1...), p2...)) {
		t.Fatalf("download v1: %d bytes", len(b))
	}
}

func TestUploadRules(t *testing.T) {
	clk := newClock()
	srv := startSandbox(t, Options{Seed: "demo", Clock: clk.Now})
	c := demoClient(t, srv, DemoSurveyor)
	admin := demoClient(t, srv, DemoAdmin)
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	small := testData(1000, 9)

	// Creation checks.
	c.call("POST", base, map[string]any{"segments": segmentsOf(small)}, 400) // no response_filename on v1.1
	c.call("POST", base, map[string]any{"response_filename": "a", "segments": segmentsOf(small, small)}, 400)
	c.call("POST", base, map[string]any{"response_filename": "a",
		"segments": []map[string]any{{"size": 10}}}, 400) // no sha256
	demoClient(t, srv, DemoViewer).call("POST", base, map[string]any{"response_filename": "a"}, 403)

	up := obj(c.call("POST", base, map[string]any{"response_filename": "a.txt", "segments": segmentsOf(small)}, 201))
	seg := obj(arr(up["segments"])[0])
	uuid := up["uuid"].(string)

	// Wrong body: SHA-256 mismatch.
	if r := putSegment(t, seg, testData(1000, 8)); r.StatusCode != 400 {
		t.Fatalf("bad sha: %d", r.StatusCode)
	}

	// Authorization header refused by storage.
	req, _ := http.NewRequestWithContext(t.Context(), "PUT", seg["url"].(string), bytes.NewReader(small))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("x-amz-content-sha256", sha(small))
	if r, _ := noRedirect.Do(req); r.StatusCode != 400 {
		t.Fatalf("authorization accepted: %d", r.StatusCode)
	}

	// Owner only.
	admin.call("GET", base+"/"+uuid, nil, 403)
	admin.call("PATCH", base+"/"+uuid, map[string]any{"segments": []any{}}, 403)

	// Not uploaded yet: completion fails; attach fails.
	c.call("PATCH", base+"/"+uuid, map[string]any{"segments": []map[string]any{{"etag": "x"}}}, 400)
	c.call("POST", "/rest/v1.0/files?"+pq(DemoProjectID), map[string]any{"file": map[string]any{
		"name": "a.txt", "upload_uuid": uuid}}, 400)

	r := putSegment(t, seg, small)
	c.call("PATCH", base+"/"+uuid, map[string]any{"segments": []map[string]any{{"etag": "\"0000\""}}}, 400)
	c.call("PATCH", base+"/"+uuid, map[string]any{"segments": []map[string]any{{"etag": r.Header.Get("ETag")}}}, 200)
	admin.call("POST", "/rest/v1.0/files?"+pq(DemoProjectID), map[string]any{"file": map[string]any{
		"name": "a.txt", "upload_uuid": uuid}}, 403)

	// The one-hour start limit.
	late := obj(c.call("POST", base, map[string]any{"response_filename": "b.txt", "segments": segmentsOf(small)}, 201))
	clk.Add(time.Hour + time.Second)
	if r := putSegment(t, obj(arr(late["segments"])[0]), small); r.StatusCode != 403 {
		t.Fatalf("late put: %d", r.StatusCode)
	}
}

func TestPartOrder(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	p1, p2 := testData(minSegment, 4), testData(10, 5)

	up := obj(c.call("POST", base, map[string]any{"response_filename": "o", "segments": segmentsOf(p1, p2)}, 201))
	segs := arr(up["segments"])
	e1 := putSegment(t, obj(segs[0]), p1).Header.Get("ETag")
	e2 := putSegment(t, obj(segs[1]), p2).Header.Get("ETag")

	body := obj(c.call("PATCH", base+"/"+up["uuid"].(string), map[string]any{"segments": []map[string]any{
		{"etag": e2}, {"etag": e1}}}, 400))
	if body["message"] == nil {
		t.Fatalf("order: %v", body)
	}
}

func formPost(t *testing.T, up map[string]any, data []byte) *http.Response {
	t.Helper()

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range obj(up["fields"]) {
		_ = mw.WriteField(k, v.(string))
	}

	fw, _ := mw.CreateFormFile("file", "x")
	_, _ = fw.Write(data)
	_ = mw.Close()

	resp, err := noRedirect.Post(up["url"].(string), mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}

	_ = resp.Body.Close()

	return resp
}

func TestSinglePartUploadCompany(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	base := fmt.Sprintf("/rest/v1.1/companies/%d/uploads", DemoCompanyID)
	data := []byte("company standards\n")

	up := obj(c.call("POST", base, map[string]any{"response_filename": "codes.txt", "size": len(data)}, 201))
	if r := formPost(t, up, data); r.StatusCode != 204 {
		t.Fatalf("storage post: %d", r.StatusCode)
	}

	cq := fmt.Sprintf("/rest/v1.0/companies/%d", DemoCompanyID)
	f := obj(c.call("POST", cq+"/files", map[string]any{"file": map[string]any{
		"name": "codes.txt", "upload_uuid": up["uuid"]}}, 201))

	root := obj(c.call("GET", cq+"/folders", nil, 200))
	if len(arr(root["files"])) != 1 {
		t.Fatalf("company root: %v", root)
	}

	v := obj(arr(f["file_versions"])[0])
	if _, b := c.download(v["url"].(string), ""); string(b) != string(data) {
		t.Fatalf("company download %q", b)
	}

	// Company folders and versions work like project ones.
	fo := obj(c.call("POST", cq+"/folders", map[string]any{"folder": map[string]any{"name": "Standards"}}, 201))
	c.call("GET", cq+"/folders/"+itoa(num(fo["id"])), nil, 200)

	vb, ct := multipartBody(nil, "file_version[data]", []byte("v2"), "codes.txt")
	nv := obj(decode(t, c.req("POST", cq+"/file_versions?file_id="+itoa(num(f["id"])), vb, ct), 201))
	c.call("GET", cq+"/file_versions/"+itoa(num(nv["id"])), nil, 200)

	demoClient(t, srv, DemoViewer).call("POST", cq+"/folders", map[string]any{"folder": map[string]any{"name": "X"}}, 403)
}

func TestUploadV10AndPatchFile(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	q := "?" + pq(DemoProjectID)
	base := fmt.Sprintf("/rest/v1.0/projects/%d/uploads", DemoProjectID)
	data := []byte("legacy v1.0 upload")

	// v1.0 does not need response_filename.
	up := obj(c.call("POST", base, map[string]any{"size": len(data)}, 201))
	if r := formPost(t, up, data[:5]); r.StatusCode != 400 {
		t.Fatalf("short body: %d", r.StatusCode)
	}

	if r := formPost(t, up, data); r.StatusCode != 204 {
		t.Fatalf("storage post: %d", r.StatusCode)
	}

	shown := obj(c.call("GET", base+"/"+up["uuid"].(string), nil, 200))
	if shown["status"] != "complete" {
		t.Fatalf("upload show: %v", shown)
	}

	fid, _ := srv.AddFile(DemoProjectID, "05 Reports", "log.txt", bytes.NewReader([]byte("v1")), 0)
	f := obj(c.call("PATCH", "/rest/v1.0/files/"+itoa(fid)+q, map[string]any{"file": map[string]any{
		"upload_uuid": up["uuid"]}}, 200))

	vers := arr(f["file_versions"])
	if len(vers) != 2 || num(obj(vers[1])["size"]) != int64(len(data)) {
		t.Fatalf("patch with upload: %v", vers)
	}

	// data and upload_uuid together are refused.
	body, ct := multipartBody(map[string]string{"file[upload_uuid]": up["uuid"].(string)}, "file[data]", data, "x.txt")
	decode(t, c.req("POST", "/rest/v1.0/files"+q, body, ct), 400)
}

func TestCompanyFileUpdateDelete(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	cq := fmt.Sprintf("/rest/v1.0/companies/%d", DemoCompanyID)

	body, ct := multipartBody(map[string]string{"file[name]": "template.csv"}, "file[data]", []byte("a"), "template.csv")
	f := obj(decode(t, c.req("POST", cq+"/files", body, ct), 201))
	id := itoa(num(f["id"]))

	c.call("PATCH", cq+"/files/"+id, map[string]any{"file": map[string]any{"description": "std"}}, 200)
	demoClient(t, srv, DemoViewer).call("DELETE", cq+"/files/"+id, nil, 403)
	c.call("DELETE", cq+"/files/"+id, nil, 200)
	c.call("POST", cq+"/files/"+id+"/send_email", nil, 204)

	docs := arr(c.call("GET", cq+"/documents?filters[is_in_recycle_bin]=true&filters[document_type]=file", nil, 200))
	if len(docs) != 1 || obj(docs[0])["is_deleted"] != true {
		t.Fatalf("recycle bin docs: %v", docs)
	}

	// Project ids are not company file ids.
	c.call("GET", "/rest/v1.0/files/"+id+"?"+pq(DemoProjectID), nil, 404)
}

// TestFormPostNeedsEveryField: the storage POST must carry every pair of
// "fields" unchanged, as S3 checks each against the signed policy.
func TestFormPostNeedsEveryField(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	data := []byte("single part\n")

	up := obj(c.call("POST", base, map[string]any{"response_filename": "a.txt", "size": len(data)}, 201))
	fields := obj(up["fields"])

	tests := []struct {
		name, field, value string // value "" drops the field
	}{
		{"no content type", "Content-Type", ""},
		{"other content type", "Content-Type", "text/html"},
		{"no disposition", "Content-Disposition", ""},
		{"no credential", "x-amz-credential", ""},
		{"other date", "x-amz-date", "20200101T000000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := map[string]any{}
			for k, v := range fields {
				changed[k] = v
			}

			delete(changed, tt.field)
			if tt.value != "" {
				changed[tt.field] = tt.value
			}

			r := formPost(t, map[string]any{"url": up["url"], "fields": changed}, data)
			if r.StatusCode != 403 {
				t.Fatalf("storage post without %s unchanged: %d, want 403", tt.field, r.StatusCode)
			}
		})
	}

	if r := formPost(t, up, data); r.StatusCode != 204 {
		t.Fatalf("storage post with every field: %d", r.StatusCode)
	}
}

func TestUploadCreateRefusesBadSizeAndMD5(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	empty := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	tests := []struct {
		name string
		body map[string]any
		want int
	}{
		{"negative size", map[string]any{"response_filename": "a", "size": -5}, 400},
		{"md5 not hex", map[string]any{"response_filename": "a", "segments": []map[string]any{
			{"size": 0, "sha256": empty, "md5": "zz"}}}, 400},
		{"md5 ok", map[string]any{"response_filename": "a", "segments": []map[string]any{
			{"size": 0, "sha256": empty, "md5": "d41d8cd98f00b204e9800998ecf8427e"}}}, 201},
		{"zero size", map[string]any{"response_filename": "a", "size": 0}, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.call("POST", base, tt.body, tt.want)
		})
	}
}
