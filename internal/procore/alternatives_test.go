package procore

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The reference names several answers Procore may give where the sandbox
// picks one. These tests serve each alternative with httptest.

// oneAnswer starts a server that answers every request with status, headers
// and body, and returns a client for it.
func oneAnswer(t *testing.T, status int, h map[string]string, body string) *Client {
	t.Helper()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range h {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)

	c, err := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
	if err != nil {
		t.Fatal(err)
	}

	return c
}

func TestNameTakenAlternatives(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		want   bool
	}{
		{"400 rails errors", 400, "application/json", `{"errors":{"name":["has already been taken"]}}`, true},
		{"422 rails errors", 422, "application/json", `{"errors":{"name":["has already been taken"]}}`, true},
		{"409 message", 409, "application/json", `{"message":"Folder Survey already exists"}`, true},
		{"409 without a body", 409, "", ``, true},
		{"409 html page", 409, "text/html", `<html><body>Conflict</body></html>`, true},
		{"400 error list", 400, "application/json", `{"errors":["Name is already in use"]}`, true},
		{"422 error object", 422, "application/json", `{"error":{"message":"Name must be unique"}}`, true},
		{"400 plain text", 400, "text/plain", `File plan.dxf already exists`, true},
		{"422 generic schema", 422, "application/json",
			`{"code":422,"message":"Validation failed","reason":"name taken","fields":"name"}`, true},
		{"400 other problem", 400, "application/json", `{"errors":{"name":["can't be blank"]}}`, false},
		{"422 other problem", 422, "application/json", `{"message":"parent folder is read only"}`, false},
		{"403", 403, "application/json", `{"message":"already exists"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			c := oneAnswer(t, tt.status, map[string]string{"Content-Type": tt.ctype}, tt.body)
			_, _, err := c.Folders.Create(t.Context(), ProjectScope(1), 0, "Survey")
			if err == nil {
				t.Fatal("want an error")
			}

			if got := errors.Is(err, ErrNameTaken); got != tt.want {
				t.Errorf("Is(ErrNameTaken) = %v, want %v (%v)", got, tt.want, err)
			}

			if tt.want && errors.Is(err, ErrCheckedOut) {
				t.Errorf("a taken name also matches ErrCheckedOut: %v", err)
			}
		})
	}
}

func TestRetryWaitAlternatives(t *testing.T) {
	t.Parallel()

	now := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    map[string]string
		want time.Duration
	}{
		{"nothing", nil, 0},
		{"retry-after seconds", map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"retry-after zero", map[string]string{"Retry-After": "0"}, 0},
		{"retry-after http date", map[string]string{"Retry-After": now.Add(9 * time.Second).Format(http.TimeFormat)},
			9 * time.Second},
		{"retry-after date in the past", map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}, 0},
		{"reset only", map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+5, 10)},
			5 * time.Second},
		{"reset in the past", map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(now.Unix()-5, 10)}, 0},
		{"retry-after wins over reset", map[string]string{"Retry-After": "2",
			"X-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+50, 10)}, 2 * time.Second},
		{"garbage retry-after falls back to reset", map[string]string{"Retry-After": "soon",
			"X-Rate-Limit-Reset": strconv.FormatInt(now.Unix()+3, 10)}, 3 * time.Second},
		{"infinite retry-after", map[string]string{"Retry-After": "+Inf"}, 24 * time.Hour},
		{"server clock an hour ahead, reset", map[string]string{
			"Date":               now.Add(time.Hour).Format(http.TimeFormat),
			"X-Rate-Limit-Reset": strconv.FormatInt(now.Add(time.Hour).Unix()+4, 10)}, 4 * time.Second},
		{"server clock an hour behind, reset", map[string]string{
			"Date":               now.Add(-time.Hour).Format(http.TimeFormat),
			"X-Rate-Limit-Reset": strconv.FormatInt(now.Add(-time.Hour).Unix()+6, 10)}, 6 * time.Second},
		{"server clock behind, retry-after date", map[string]string{
			"Date":        now.Add(-10 * time.Minute).Format(http.TimeFormat),
			"Retry-After": now.Add(-10*time.Minute + 8*time.Second).Format(http.TimeFormat)}, 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			h := http.Header{}
			for k, v := range tt.h {
				h.Set(k, v)
			}

			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

// Test429Alternatives sends one request against a 429 that carries each kind
// of wait, followed by a 200: the client waits and succeeds.
func Test429Alternatives(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		header func() http.Header
	}{
		{"no headers", func() http.Header { return http.Header{} }},
		{"retry-after seconds", func() http.Header { return http.Header{"Retry-After": {"0"}} }},
		{"retry-after date", func() http.Header {
			return http.Header{"Retry-After": {time.Now().UTC().Format(http.TimeFormat)}}
		}},
		{"rate-limit reset only", func() http.Header {
			return http.Header{"X-Rate-Limit-Limit": {"25"}, "X-Rate-Limit-Remaining": {"0"},
				"X-Rate-Limit-Reset": {strconv.FormatInt(time.Now().Unix(), 10)}}
		}},
		{"plain text body", func() http.Header { return http.Header{"Content-Type": {"text/plain"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if calls.Add(1) == 1 {
					for k, v := range tt.header() {
						w.Header()[k] = v
					}
					w.WriteHeader(http.StatusTooManyRequests)
					_, _ = w.Write([]byte("You have surpassed the max number of requests for an hour."))
					return
				}
				_, _ = w.Write([]byte(`{"id":1,"login":"a@b.test"}`))
			}))
			defer srv.Close()

			c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()))
			if _, _, err := c.Me.Get(t.Context()); err != nil {
				t.Fatalf("me: %v", err)
			}

			if calls.Load() != 2 {
				t.Errorf("calls = %d, want 2", calls.Load())
			}
		})
	}
}

func TestDeleteAnswers(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"200 with the folder", 200, `{"id":5,"name":"x","is_deleted":true}`},
		{"200 empty", 200, ``},
		{"200 empty object", 200, `{}`},
		{"200 null", 200, `null`},
		{"200 text", 200, `OK`},
		{"204", 204, ``},
		{"202", 202, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			c := oneAnswer(t, tt.status, nil, tt.body)
			if _, err := c.Folders.Delete(t.Context(), ProjectScope(1), 5); err != nil {
				t.Errorf("folder delete: %v", err)
			}

			if _, err := c.Files.Delete(t.Context(), CompanyScope(1), 5); err != nil {
				t.Errorf("file delete: %v", err)
			}
		})
	}
}

// TestNullableFields decodes resources whose every field is null, and ids
// beyond 32 bits (and beyond float64 precision).
func TestNullableFields(t *testing.T) {
	t.Parallel()

	const big = 9007199254740993 // 2^53+1: lost by a float64 decoder

	folder := `{"id":9007199254740993,"name":null,"parent_id":null,"name_with_path":null,
		"private":null,"is_tracked":null,"tracked_folder":null,"read_only":null,"is_deleted":null,
		"is_recycle_bin":null,"has_children":null,"has_children_files":null,"has_children_folders":null,
		"updated_at":null,"custom_fields":null,"folders":[{"id":null,"folders":null,"files":null}],
		"files":[{"id":4294967297,"name":"a.dxf","parent_id":9007199254740993,"size":null,
		"description":null,"created_at":null,"updated_at":null,"checked_out_until":null,
		"checked_out_by":null,"name_with_path":null,"private":null,"is_tracked":null,
		"file_type":null,"legacy_id":null,"is_deleted":null,"custom_fields":null,
		"file_versions":[{"id":null,"file_id":null,"number":null,"notes":null,"size":null,
		"url":null,"created_at":null,"created_by":null,"prostore_file":null},
		{"id":4294967298,"number":2,"created_by":{"id":null,"login":null,"name":null},
		"prostore_file":{"id":null,"name":null,"url":null,"filename":null}}]}]}`
	var f Folder
	if err := json.Unmarshal([]byte(folder), &f); err != nil {
		t.Fatalf("folder: %v", err)
	}

	if f.ID != big || *f.Files[0].ParentID != big || f.Files[0].ID != 1<<32+1 {
		t.Errorf("ids: %d %d %d", f.ID, *f.Files[0].ParentID, f.Files[0].ID)
	}

	if v := f.Files[0].LatestVersion(); v == nil || v.ID != 1<<32+2 {
		t.Errorf("latest version: %+v", v)
	}

	docs := `[{"id":null,"name":null,"name_with_path":null,"parent_id":null,"document_type":null,
		"created_at":null,"created_by":null,"updated_at":null,"is_deleted":null,"is_recycle_bin":null,
		"private":null,"read_only":null,"custom_fields":null,"children":null,"file":null},
		{"id":9007199254740993,"document_type":"file","file":{"checked_out_by":null,
		"checked_out_until":null,"current_version":null,"description":null,"file_type":null}}]`
	var d []Document
	if err := json.Unmarshal([]byte(docs), &d); err != nil || len(d) != 2 || d[1].ID != big {
		t.Fatalf("documents: %v %+v", err, d)
	}

	for name, body := range map[string]string{
		"project": `{"id":9007199254740993,"name":null,"display_name":null,"project_number":null,` +
			`"active":null,"company":null,"created_at":null,"updated_at":null}`,
		"company": `{"id":9007199254740993,"name":null,"is_active":null,"logo_url":null,"my_company":null}`,
		"upload":  `{"uuid":null,"url":null,"fields":null,"status":null,"segments":[{"size":null,"headers":null}]}`,
		"user":    `{"id":9007199254740993,"login":null,"name":null}`,
	} {
		var v struct{ ID int64 }
		var target any = map[string]any{
			"project": &Project{}, "company": &Company{}, "upload": &Upload{}, "user": &User{},
		}[name]
		if err := json.Unmarshal([]byte(body), target); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		_ = json.Unmarshal([]byte(body), &v)
		if name != "upload" && v.ID != big {
			t.Errorf("%s id = %d", name, v.ID)
		}
	}
}

// TestBigIDsInRequests checks that ids beyond 32 bits reach paths, queries
// and the company header unchanged.
func TestBigIDsInRequests(t *testing.T) {
	t.Parallel()

	const big = int64(1<<40 + 7)
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.String() + " " + r.Header.Get(CompanyHeader))
		_, _ = w.Write([]byte(`{"id":1099511627783}`))
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"), WithCompanyID(big))
	f, _, err := c.Files.Get(t.Context(), ProjectScope(big), big, false)
	if err != nil || f.ID != big {
		t.Fatalf("get: %v %+v", err, f)
	}

	want := "/rest/v1.0/files/1099511627783?project_id=1099511627783 1099511627783"
	if got.Load() != want {
		t.Errorf("request %q, want %q", got.Load(), want)
	}
}

func TestLatestVersionInAnyOrder(t *testing.T) {
	t.Parallel()

	for _, order := range [][]int{{1, 2, 3}, {3, 2, 1}, {2, 3, 1}, {3}, {0, 3, 0}} {
		f := File{}
		for _, n := range order {
			f.FileVersions = append(f.FileVersions, FileVersion{ID: int64(n), Number: n})
		}

		if v := f.LatestVersion(); v == nil || v.Number != 3 {
			t.Errorf("%v: latest %+v", order, v)
		}
	}

	if (&File{}).LatestVersion() != nil {
		t.Error("no versions gives a version")
	}
}

// TestTokenShapes sends JWT-shaped and hex tokens unchanged.
func TestTokenShapes(t *testing.T) {
	t.Parallel()

	for _, tok := range []string{
		"eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzUxMiJ9.eyJzdWIiOiIxMjMifQ.AbC-_dEf+/gh==",
		"76ba4c5c75c96f6087f58a4de10be6c00b29ea1ddc3b2022ee2016d1363e3a7c",
	} {
		var got atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Store(r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"The access token is invalid: ` + tok + `"}`))
		}))

		c, _ := NewClient(srv.URL, StaticToken(tok))
		_, _, err := c.Me.Get(t.Context())
		srv.Close()

		if got.Load() != "Bearer "+tok {
			t.Errorf("sent %q", got.Load())
		}

		if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), tok) {
			t.Errorf("err = %v", err)
		}
	}
}

func TestStoragePostAnswers(t *testing.T) {
	t.Parallel()

	for _, tt := range []struct {
		status int
		body   string
	}{
		{204, ""},
		{201, `<?xml version="1.0"?><PostResponse><Location>x</Location><ETag>"e"</ETag></PostResponse>`},
		{200, ""},
	} {
		c := oneAnswer(t, tt.status, nil, tt.body)
		up := &Upload{URL: c.BaseURL.String() + "/bucket", Fields: map[string]string{"key": "k"}}
		if err := c.Uploads.PostToStorage(t.Context(), up, "f.dxf", strings.NewReader("abc"), 3, nil); err != nil {
			t.Errorf("%d: %v", tt.status, err)
		}
	}
}

func TestDownloadRedirectCodes(t *testing.T) {
	t.Parallel()

	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()

			var storageAuth atomic.Value
			storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				storageAuth.Store(r.Header.Get("Authorization"))
				_, _ = w.Write([]byte("content"))
			}))
			defer storage.Close()

			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer tok" {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				http.Redirect(w, r, storage.URL+"/blob?sig=x", code)
			}))
			defer api.Close()

			c, _ := NewClient(api.URL, StaticToken("tok"))
			res, err := c.DownloadFile(t.Context(), api.URL+"/f", filepath.Join(t.TempDir(), "f"),
				DownloadOptions{Size: 7})
			if err != nil || res.Size != 7 {
				t.Fatalf("download: %v", err)
			}

			if storageAuth.Load() != "" {
				t.Errorf("storage saw %q", storageAuth.Load())
			}
		})
	}
}

func TestLinkHeaderAlternatives(t *testing.T) {
	t.Parallel()

	const base = "https://api.procore.com/rest/v1.0/projects/1/documents"
	tests := []struct {
		name       string
		link       string
		next, last int
	}{
		{"page 1", `<` + base + `?page=2&per_page=5>; rel="next", <` + base + `?page=9&per_page=5>; rel="last"`, 2, 9},
		{"page 2 without prev", `<` + base + `?page=1&per_page=5>; rel="first", <` + base +
			`?page=3&per_page=5>; rel="next", <` + base + `?page=9&per_page=5>; rel="last"`, 3, 9},
		{"middle page, all four", `<` + base + `?page=1>; rel="first", <` + base + `?page=4>; rel="prev", <` +
			base + `?page=6>; rel="next", <` + base + `?page=9>; rel="last"`, 6, 9},
		{"last page", `<` + base + `?page=1>; rel="first", <` + base + `?page=8>; rel="prev"`, 0, 0},
		{"unquoted rel", `<` + base + `?page=2>; rel=next`, 2, 0},
		{"no space, other order", `<` + base + `?page=9>;rel="last",<` + base + `?page=2>;rel="next"`, 2, 9},
		{"comma inside the url", `<` + base + `?filters[search]=a,b&page=2>; rel="next", <` + base +
			`?filters[search]=a,b&page=4>; rel="last"`, 2, 4},
		{"relative url", `</rest/v1.0/companies?page=2>; rel="next"`, 2, 0},
		{"two rels in one", `<` + base + `?page=3>; rel="next last"`, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			r := &Response{Response: &http.Response{Header: http.Header{"Link": {tt.link}}}}
			r.parseLinks()
			if r.NextPage != tt.next || r.LastPage != tt.last {
				t.Errorf("next %d last %d, want %d %d", r.NextPage, r.LastPage, tt.next, tt.last)
			}
		})
	}
}

// TestConnectionReused makes several calls whose JSON answers are streamed
// (chunked): the client reads each body to its end, so one connection
// serves them all instead of one new connection per call.
func TestConnectionReused(t *testing.T) {
	t.Parallel()

	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`[{"id":1,"name":"` + strings.Repeat("x", 8<<10) + `"}]`))
		w.(http.Flusher).Flush()
		_, _ = w.Write([]byte("\n"))
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"))
	for range 5 {
		if _, _, err := c.Companies.List(t.Context(), ListOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 5 calls, want 1", n)
	}
}

// TestDownloadKeepsStoredBytes: a stored object served with Content-Encoding
// gzip (object metadata on S3) is saved as stored, byte for byte; Go's
// transport would otherwise unpack it on the first request but not on a
// ranged resume, mixing both forms in one file.
func TestDownloadKeepsStoredBytes(t *testing.T) {
	t.Parallel()

	var stored bytes.Buffer
	zw := gzip.NewWriter(&stored)
	_, _ = zw.Write(bytes.Repeat([]byte("survey point 1,2,3\n"), 1000))
	_ = zw.Close()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, "points.csv.gz", time.Time{}, bytes.NewReader(stored.Bytes()))
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"))
	path := filepath.Join(t.TempDir(), "f")
	if _, err := c.DownloadFile(t.Context(), srv.URL+"/f", path, DownloadOptions{Size: int64(stored.Len())}); err != nil {
		t.Fatal(err)
	}

	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, stored.Bytes()) {
		t.Fatalf("saved %d bytes, want the %d stored (%v)", len(got), stored.Len(), err)
	}
}
