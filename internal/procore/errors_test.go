package procore

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestErrorTypes(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		method string
		path   string
		status int
		body   string
		is     []error
		isNot  []error
	}{
		{"404", "GET", "/rest/v1.0/folders/1?project_id=2", 404, `{"errors":"Not Found"}`,
			[]error{ErrNotFound}, []error{ErrForbidden, ErrNameTaken}},
		{"403", "GET", "/rest/v1.0/folders/1?project_id=2", 403, `{"message":"no access"}`,
			[]error{ErrForbidden}, []error{ErrNotFound}},
		{"401", "GET", "/rest/v1.0/me", 401, `{"error":"The access token is invalid"}`,
			[]error{ErrUnauthorized}, nil},
		{"400 name taken", "POST", "/rest/v1.0/files?project_id=2", 400,
			`{"errors":{"name":["has already been taken"]}}`, []error{ErrNameTaken}, []error{ErrCheckedOut}},
		{"422 already exists", "POST", "/rest/v1.0/folders?project_id=2", 422,
			`{"message":"Folder already exists"}`, []error{ErrNameTaken}, nil},
		{"409 name", "PATCH", "/rest/v1.0/files/3?project_id=2", 409,
			`{"errors":"Name is taken"}`, []error{ErrNameTaken}, []error{ErrCheckedOut}},
		{"409 checked out", "PATCH", "/rest/v1.0/files/3?project_id=2", 409,
			`{"errors":"File is checked out by Jane"}`, []error{ErrCheckedOut}, []error{ErrNameTaken}},
		{"409 on a version", "POST", "/rest/v1.0/file_versions?project_id=2&file_id=3", 409,
			`conflict`, []error{ErrCheckedOut}, nil},
		{"400 other", "POST", "/rest/v1.0/files?project_id=2", 400, `{"errors":{"parent_id":["is invalid"]}}`,
			nil, []error{ErrNameTaken, ErrCheckedOut, ErrNotFound}},
		{"429", "GET", "/rest/v1.0/me", 429, "You have surpassed the max number of requests",
			[]error{ErrRateLimited}, []error{ErrForbidden}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "7200")
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()

			c, err := NewClient(srv.URL, StaticToken("secret-token-123"), WithRetryPolicy(fastPolicy()))
			if err != nil {
				t.Fatal(err)
			}

			req, _ := c.NewRequest(t.Context(), tt.method, tt.path, nil)
			_, err = c.Do(req, nil)
			if err == nil {
				t.Fatal("want an error")
			}

			var er *ErrorResponse
			if !errors.As(err, &er) || er.StatusCode != tt.status {
				t.Fatalf("errors.As ErrorResponse: %v", err)
			}

			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("%v does not match %v", err, target)
				}
			}

			for _, target := range tt.isNot {
				if errors.Is(err, target) {
					t.Errorf("%v matches %v", err, target)
				}
			}

			if strings.Contains(err.Error(), "secret-token-123") {
				t.Errorf("error carries the token: %v", err)
			}
		})
	}
}

func TestRateLimitErrorFields(t *testing.T) {
	t.Parallel()

	reset := time.Now().Add(90 * time.Minute).Unix()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Rate-Limit-Limit", "3600")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", fmt.Sprint(reset))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"), WithRetryPolicy(fastPolicy()), WithPacing(false))
	_, _, err := c.Me.Get(t.Context())

	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("want RateLimitError, got %v", err)
	}

	if rl.Reset.Unix() != reset || rl.RetryAfter < 80*time.Minute || rl.Limit != 3600 {
		t.Errorf("reset %v retry after %v limit %d", rl.Reset, rl.RetryAfter, rl.Limit)
	}

	var er *ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 429 {
		t.Errorf("errors.As ErrorResponse through RateLimitError: %v", err)
	}
}

func TestErrorRedactsSignedURL(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`)
	}))
	defer srv.Close()

	c, _ := NewClient("https://api.example.test", StaticToken("t"), WithRetryPolicy(fastPolicy()))
	seg := UploadSegment{URL: srv.URL + "/bucket/key?X-Amz-Signature=abcdef0123&X-Amz-Credential=cred9", Size: 3}
	_, err := c.Uploads.PutSegment(t.Context(), seg, strings.NewReader("abc"), 0, nil)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("want ErrForbidden, got %v", err)
	}

	var er *ErrorResponse
	if !errors.As(err, &er) || !er.Storage {
		t.Errorf("want a storage ErrorResponse, got %#v", err)
	}

	if !strings.Contains(err.Error(), "Request has expired") {
		t.Errorf("storage message missing: %v", err)
	}

	for _, secret := range []string{"abcdef0123", "cred9"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error carries %q: %v", secret, err)
		}
	}
}

func TestErrorBodyIsLimited(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		// A 4 MiB body: only 1 MiB may be read.
		_, _ = w.Write([]byte(strings.Repeat("x", 4<<20)))
	}))
	defer srv.Close()

	c, _ := NewClient(srv.URL, StaticToken("t"))
	_, _, err := c.Me.Get(t.Context())

	var er *ErrorResponse
	if !errors.As(err, &er) || len(er.Error()) > 1000 {
		t.Fatalf("unexpected error (len %d)", len(err.Error()))
	}
}

func FuzzParseMessages(f *testing.F) {
	for _, seed := range []string{
		`{"errors":{"name":["has already been taken"]}}`, `{"message":"x"}`, `plain text`,
		`{"error":{"code":"X","message":"y"}}`, `[]`, `{"errors":[1,{"a":"b"}]}`, ``,
	} {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		_ = parseMessages(data)
	})
}
