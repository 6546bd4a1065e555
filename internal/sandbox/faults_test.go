package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestStatusFaults(t *testing.T) {
	cases := []struct {
		status     int
		retryAfter string
	}{
		{500, ""}, {502, ""}, {503, "7"}, {429, "7"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			srv := startSandbox(t, Options{Seed: "demo"})
			srv.AddFault(FaultRule{Endpoint: "GET /rest/v1.0/me", Nth: 2, Status: tc.status, RetryAfter: 7 * time.Second})
			c := demoClient(t, srv, DemoSurveyor)

			c.call("GET", "/rest/v1.0/me", nil, 200)

			resp := c.req("GET", "/rest/v1.0/me", nil, "")
			_ = resp.Body.Close()

			if resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter {
				t.Fatalf("status %d retry-after %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}

			c.call("GET", "/rest/v1.0/me", nil, 200)

			if n := srv.Stats().CountStatus("GET /rest/v1.0/me", tc.status); n != 1 {
				t.Fatalf("stats: %d", n)
			}
		})
	}
}

func TestDropNthDownload(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	data := testData(2_000_000, 3)
	fid, _ := srv.AddFile(DemoProjectID, "04 Photos", "big.bin", bytes.NewReader(data), 0)
	srv.AddFault(FaultRule{Endpoint: FaultDownload, FileID: fid, Nth: 3, Drop: true, DropAfter: 1_000_000})

	c := demoClient(t, srv, DemoSurveyor)
	f := obj(c.call("GET", "/rest/v1.0/files/"+itoa(fid)+"?"+pq(DemoProjectID), nil, 200))
	u := obj(arr(f["file_versions"])[0])["url"].(string)

	for i := 1; i <= 4; i++ {
		resp := c.req("GET", u, nil, "")
		_ = resp.Body.Close()

		sresp, err := http.Get(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}

		b, err := io.ReadAll(sresp.Body)
		_ = sresp.Body.Close()

		if i == 3 {
			if err == nil || len(b) != 1_000_000 {
				t.Fatalf("download 3: %d bytes, err %v", len(b), err)
			}

			continue
		}

		if err != nil || !bytes.Equal(b, data) {
			t.Fatalf("download %d: %d bytes, err %v", i, len(b), err)
		}
	}

	// The dropped download counts as status 0 ("no answer"), the others as 200.
	st := srv.Stats()
	if st.CountStatus("storage GET /s3/pro-core.com/blobs/{blob}", 0) != 1 ||
		st.CountStatus("storage GET /s3/pro-core.com/blobs/{blob}", 200) != 3 {
		t.Errorf("storage stats %v, want one 0 and three 200", st.Endpoints["storage GET /s3/pro-core.com/blobs/{blob}"])
	}
}

func TestLatencyAndTokenAndUploadFaults(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)

	srv.AddFault(FaultRule{Endpoint: "GET /rest/v1.0/companies", Latency: 50 * time.Millisecond, Count: 1})
	start := time.Now()
	c.call("GET", "/rest/v1.0/companies", nil, 200)

	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("no latency added")
	}

	srv.AddFault(FaultRule{Endpoint: FaultAPI, Nth: 1, ExpireToken: true})
	c.call("GET", "/rest/v1.0/me", nil, 401)
	c.call("GET", "/rest/v1.0/me", nil, 401) // stays expired

	c = demoClient(t, srv, DemoSurveyor)
	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	small := testData(100, 1)
	srv.AddFault(FaultRule{Endpoint: FaultSegmentPut, Nth: 1, ExpireUpload: true})

	up := obj(c.call("POST", base, map[string]any{"response_filename": "a", "segments": segmentsOf(small)}, 201))
	if r := putSegment(t, obj(arr(up["segments"])[0]), small); r.StatusCode != 403 {
		t.Fatalf("expired upload: %d", r.StatusCode)
	}

	up = obj(c.call("POST", base, map[string]any{"response_filename": "b", "size": 100}, 201))
	srv.ExpireUploads()
	if r := formPost(t, up, small); r.StatusCode != 403 {
		t.Fatalf("expired form upload: %d", r.StatusCode)
	}

	srv.ExpireAccessTokens()
	c.call("GET", "/rest/v1.0/me", nil, 401)
}

func TestRandomFaultsRepeat(t *testing.T) {
	run := func() []int {
		srv := startSandbox(t, Options{Seed: "demo", FaultRate: 0.4, FaultSeed: 42})
		c := demoClient(t, srv, DemoSurveyor)

		var out []int
		for i := 0; i < 30; i++ {
			resp := c.req("GET", "/rest/v1.0/companies", nil, "")
			_ = resp.Body.Close()
			out = append(out, resp.StatusCode)
		}

		return out
	}

	a, b := run(), run()
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("not repeatable:\n%v\n%v", a, b)
	}

	seen := map[int]bool{}
	for _, s := range a {
		seen[s] = true
	}

	if !seen[200] || len(seen) < 3 {
		t.Fatalf("statuses %v", a)
	}
}

func TestParseFaultRule(t *testing.T) {
	cases := []struct {
		spec string
		want FaultRule
		ok   bool
	}{
		{"endpoint=download,file=42,nth=3,drop=1000000",
			FaultRule{Endpoint: FaultDownload, FileID: 42, Nth: 3, Drop: true, DropAfter: 1000000}, true},
		{"endpoint=api,p=0.25,status=503,retry_after=5",
			FaultRule{Endpoint: FaultAPI, Probability: 0.25, Status: 503, RetryAfter: 5 * time.Second}, true},
		{"endpoint=GET /rest/v1.0/me,latency=250ms,count=2",
			FaultRule{Endpoint: "GET /rest/v1.0/me", Latency: 250 * time.Millisecond, Count: 2}, true},
		{"expire_token,nth=1", FaultRule{ExpireToken: true, Nth: 1}, true},
		{"endpoint=storage_put,nth=1,status=400,s3_code=RequestTimeout",
			FaultRule{Endpoint: FaultSegmentPut, Nth: 1, Status: 400, S3Code: "RequestTimeout"}, true},
		{"nth=x", FaultRule{}, false},
		{"bogus=1", FaultRule{}, false},
	}
	for _, tc := range cases {
		got, err := ParseFaultRule(tc.spec)
		if (err == nil) != tc.ok || (tc.ok && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("%q: %+v, %v", tc.spec, got, err)
		}
	}
}

func FuzzParseFaultRule(f *testing.F) {
	for _, s := range []string{"endpoint=download,file=42,nth=3,drop=1000000", "p=0.5", "", ",,=", "latency=1h"} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, spec string) {
		_, _ = ParseFaultRule(spec)
	})
}

func TestLoseResponseAndUploadDrop(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	q := "?" + pq(DemoProjectID)

	srv.AddFault(FaultRule{Endpoint: "POST /rest/v1.0/folders", Nth: 1, LoseResponse: true})

	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL()+"/rest/v1.0/folders"+q,
		bytes.NewReader([]byte(`{"folder":{"name":"Lost"}}`)))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Procore-Company-Id", itoa(DemoCompanyID))
	req.Header.Set("Content-Type", "application/json")

	if resp, err := noRedirect.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("answer arrived: %d", resp.StatusCode)
	}

	// The folder was created all the same: a retry finds the name taken.
	c.call("POST", "/rest/v1.0/folders"+q, map[string]any{"folder": map[string]any{"name": "Lost"}}, 400)

	if _, ok := srv.FolderID(DemoProjectID, "Lost"); !ok {
		t.Fatal("folder not created")
	}

	base := fmt.Sprintf("/rest/v1.1/projects/%d/uploads", DemoProjectID)
	part := testData(100000, 2)
	srv.AddFault(FaultRule{Endpoint: FaultSegmentPut, Nth: 1, Drop: true, DropAfter: 5000})

	up := obj(c.call("POST", base, map[string]any{"response_filename": "d", "segments": segmentsOf(part)}, 201))
	seg := obj(arr(up["segments"])[0])

	preq, _ := http.NewRequestWithContext(t.Context(), "PUT", seg["url"].(string), bytes.NewReader(part))
	preq.Header.Set("x-amz-content-sha256", sha(part))

	if resp, err := noRedirect.Do(preq); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("segment answer arrived: %d", resp.StatusCode)
	}

	if r := putSegment(t, seg, part); r.StatusCode != 200 {
		t.Fatalf("retry: %d", r.StatusCode)
	}
}
