package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/sandbox"
)

// TestPutProgressHasTotal runs procore put in this process with stderr
// taken for a terminal: the bar must know the file's size (it once showed
// "0%  1.0 MiB/0.0 MiB" because nobody set the upload's totals). Not
// parallel: it sets the environment and progressTerminal.
func TestPutProgressHasTotal(t *testing.T) {
	srv, err := sandbox.Start(t.Context(), sandbox.Options{Seed: "demo"})
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })

	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":                  filepath.Join(home, ".cache"),
		"DBUS_SESSION_BUS_ADDRESS":        "unix:path=" + filepath.Join(home, "no-bus"),
		"BACKSIGHT_CONFIG":                "",
		"BACKSIGHT_PROCORE_ENVIRONMENT":   "custom",
		"BACKSIGHT_PROCORE_LOGIN_URL":     srv.URL(),
		"BACKSIGHT_PROCORE_API_URL":       srv.URL(),
		"BACKSIGHT_PROCORE_CLIENT_ID":     sandbox.DemoClientID,
		"BACKSIGHT_PROCORE_CLIENT_SECRET": sandbox.DemoClientSecret,
	} {
		t.Setenv(k, v)
	}

	access, refresh, err := srv.IssueToken(sandbox.DemoSurveyor, sandbox.DemoClientID)
	if err != nil {
		t.Fatal(err)
	}
	env, err := auth.CustomEnvironment(srv.URL(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	store, err := auth.NewFileStore(filepath.Join(home, ".config", "backsight", "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	err = store.Save(t.Context(), auth.StoreKey(env, sandbox.DemoClientID), &auth.Record{
		AccessToken: access, RefreshToken: refresh, TokenType: "bearer",
		Expiry: time.Now().Add(time.Hour), Obtained: time.Now(),
		Identity: auth.Identity{Login: sandbox.DemoSurveyor},
	})
	if err != nil {
		t.Fatal(err)
	}

	local := filepath.Join(home, "big.bin")
	if err := os.WriteFile(local, bytes.Repeat([]byte("survey "), 3<<18), 0o600); err != nil {
		t.Fatal(err)
	}

	progressTerminal = func(any) bool { return true }
	t.Cleanup(func() { progressTerminal = isTerminal })

	var stderr bytes.Buffer
	code := Main(t.Context(), []string{"procore", "put",
		"--company", strconv.FormatInt(sandbox.DemoCompanyID, 10),
		"--project", strconv.FormatInt(sandbox.DemoProjectID, 10), local, "/"},
		IO{In: strings.NewReader(""), Out: io.Discard, Err: &stderr}, nil)
	if code != ExitOK {
		t.Fatalf("put: exit %d\n%s", code, stderr.String())
	}

	out := stderr.String()
	if !strings.Contains(out, "100%  5.2 MiB/5.2 MiB") || strings.Contains(out, "/0.0 MiB") {
		t.Errorf("the progress bar does not know the file size:\n%q", out)
	}
}
