package sandbox

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestDownloadRedirectAndRange(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	data := testData(100000, 7)
	fid, _ := srv.AddFile(DemoProjectID, "04 Photos", "photo.jpg", bytes.NewReader(data), 0)
	q := "?" + pq(DemoProjectID)

	viewer := demoClient(t, srv, DemoViewer)
	f := obj(viewer.call("GET", "/rest/v1.0/files/"+itoa(fid)+q, nil, 200))
	u := obj(arr(f["file_versions"])[0])["url"].(string)

	// Without a token: 401; no company header needed.
	anon := &apiClient{t: t, srv: srv}
	anon.call("GET", u, nil, 401)

	viewer.company = 0
	resp := viewer.req("GET", u, nil, "")
	_ = resp.Body.Close()

	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, srv.StorageURL()) {
		t.Fatalf("redirect: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Storage refuses a forwarded Authorization header.
	req, _ := http.NewRequestWithContext(t.Context(), "GET", loc, nil)
	req.Header.Set("Authorization", "Bearer "+viewer.token)
	sresp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}

	_ = sresp.Body.Close()
	if sresp.StatusCode != 400 {
		t.Fatalf("storage with Authorization: %d", sresp.StatusCode)
	}

	rresp, b := viewer.download(u, "bytes=1000-1999")
	if rresp.StatusCode != http.StatusPartialContent || !bytes.Equal(b, data[1000:2000]) ||
		rresp.Header.Get("Content-Range") != "bytes 1000-1999/100000" {
		t.Fatalf("range: %d %d %s", rresp.StatusCode, len(b), rresp.Header.Get("Content-Range"))
	}

	if !strings.Contains(rresp.Header.Get("Content-Disposition"), "photo.jpg") {
		t.Fatalf("disposition: %s", rresp.Header.Get("Content-Disposition"))
	}

	// A tampered link is refused; a user without access gets 404.
	anon.token = viewer.token
	anon.call("GET", strings.Replace(u, "sig=", "sig=0", 1), nil, 404)

	srv.AddUser("stranger@demo.test", "S", "pw")
	stranger := demoClient(t, srv, "stranger@demo.test")
	stranger.company = 0
	stranger.call("GET", u, nil, 404)

	// Tampered storage URL.
	bad, _ := http.NewRequestWithContext(t.Context(), "GET", strings.Replace(loc, "vid=", "vid=9", 1), nil)
	if r, _ := noRedirect.Do(bad); r.StatusCode != 403 {
		t.Fatalf("tampered storage url: %d", r.StatusCode)
	}
}
