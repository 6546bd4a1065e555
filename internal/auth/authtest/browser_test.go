package authtest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBrowserLocalhost: with Localhost set, a URL naming localhost reaches
// that address; the page keeps the localhost URL.
func TestBrowserLocalhost(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<p>done</p>"))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	b := NewBrowser("u", "p")
	b.Localhost = "127.0.0.1"
	page, err := b.Open(t.Context(), "http://localhost:"+port+"/x")
	if err != nil || page.Status != http.StatusOK || page.URL.Hostname() != "localhost" {
		t.Fatalf("page %d at %v, %v", page.Status, page.URL, err)
	}

	// An address where nothing listens: the error hides the code in the URL.
	srv.Close()
	_, err = b.Open(t.Context(), "http://localhost:"+port+"/callback?code=s3cr3t-code&state=x")
	if err == nil || strings.Contains(err.Error(), "s3cr3t-code") ||
		!strings.Contains(err.Error(), "127.0.0.1:"+port) {
		t.Errorf("err = %v, want a dial error for 127.0.0.1:%s without the code", err, port)
	}
}
