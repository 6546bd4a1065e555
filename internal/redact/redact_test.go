package redact

import (
	"net/http"
	"strings"
	"testing"
)

const tok = "76ba4c5c75c96f6087f58a4de10be6c00b29ea1ddc3b2022ee2016d1363e3a7c"

func TestURL(t *testing.T) {
	tests := []struct {
		name, in string
		leak     []string
		keep     []string
	}{
		{"access token in query", "https://api.procore.com/rest/v1.0/me?access_token=" + tok + "&company_id=5",
			[]string{tok}, []string{"company_id=5", "/rest/v1.0/me"}},
		{"code and state", "http://127.0.0.1:8719/callback?code=authcode123&state=xyz",
			[]string{"authcode123"}, []string{"state=xyz"}},
		{"signed storage URL", "https://storage.example.com/v4/d/files/1?companyId=1&sig=abcdef&expires=99",
			[]string{"abcdef", "companyId"}, []string{"storage.example.com/v4/d/files/1"}},
		{"presigned S3", "https://s3.amazonaws.com/b/k?X-Amz-Credential=AKIA/x&X-Amz-Signature=deadbeef",
			[]string{"deadbeef", "AKIA"}, []string{"s3.amazonaws.com/b/k"}},
		{"userinfo", "https://user:pw@example.com/", []string{"pw"}, []string{"example.com"}},
		{"plain", "https://api.procore.com/rest/v1.0/folders?project_id=3", nil, []string{"project_id=3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := URL(tt.in)
			for _, l := range tt.leak {
				if strings.Contains(got, l) {
					t.Errorf("URL(%q) = %q still holds %q", tt.in, got, l)
				}
			}
			for _, k := range tt.keep {
				if !strings.Contains(got, k) {
					t.Errorf("URL(%q) = %q lost %q", tt.in, got, k)
				}
			}
		})
	}
}

func TestHeader(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+tok)
	h.Set("Procore-Company-Id", "42")

	got := Header(h)
	if got.Get("Authorization") != Mask {
		t.Errorf("Authorization = %q", got.Get("Authorization"))
	}
	if got.Get("Procore-Company-Id") != "42" {
		t.Error("harmless header lost")
	}
	if h.Get("Authorization") == Mask {
		t.Error("Header modified its argument")
	}
}

func TestString(t *testing.T) {
	in := `401 from https://api.procore.com/x?access_token=` + tok +
		`: Authorization: Bearer ` + tok + ` body {"refresh_token": "r-` + tok + `", "ok":"yes"} ` +
		`form grant_type=refresh_token&refresh_token=` + tok + `&client_secret=s3cr3tvalue`
	got := String(in)
	for _, l := range []string{tok, "s3cr3tvalue"} {
		if strings.Contains(got, l) {
			t.Errorf("String leaked %q: %s", l, got)
		}
	}
	if !strings.Contains(got, `"ok":"yes"`) || !strings.Contains(got, "grant_type=refresh_token") {
		t.Errorf("String removed harmless text: %s", got)
	}
}

func TestStringUserinfo(t *testing.T) {
	for _, in := range []string{
		`"http://user:pw1234@example.com"`,
		`dial http://user:pw1234@example.com/rest/v1.0/me: refused`,
	} {
		if got := String(in); strings.Contains(got, "pw1234") {
			t.Errorf("String(%s) = %s", in, got)
		}
	}
}

func TestSecrets(t *testing.T) {
	got := Secrets("the verifier was abcdefghijkl and more", "abcdefghijkl", "")
	if strings.Contains(got, "abcdefghijkl") {
		t.Errorf("Secrets leaked: %s", got)
	}
}

func FuzzString(f *testing.F) {
	f.Add("https://x.test/?sig=1&code=2")
	f.Add("Bearer abc")
	f.Fuzz(func(t *testing.T, s string) {
		_ = String(s)
		_ = URL(s)
	})
}
