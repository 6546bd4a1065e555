package cli_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login()

	prod := e.with("BACKSIGHT_PROCORE_ENVIRONMENT=production",
		"BACKSIGHT_PROCORE_LOGIN_URL=", "BACKSIGHT_PROCORE_API_URL=")
	var who struct {
		Environment string
		APIURL      string `json:"api_url"`
	}
	decode(t, prod.must(0, "procore", "whoami", "--json", "--env", "custom",
		"--login-url", e.srv.URL(), "--api-url", e.srv.URL()), &who)
	if who.Environment != "custom" || who.APIURL != e.srv.URL() {
		t.Errorf("whoami with flags: %+v", who)
	}

	// --company falls back to the configuration file.
	cfg := writeFile(t, "config.yaml", "procore:\n  company_id: "+company+"\n")
	e.must(0, "procore", "projects", "--config", cfg)
}

func TestInterrupt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	it := e.start("procore", "login")
	it.waitURL(t)
	if err := it.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if status := it.wait(t); status != 130 {
		t.Errorf("interrupted login: exit %d\n%s", status, it.errText())
	}
}

// TestLoginWithoutBrowser: on a box with no display and no $BROWSER (cron,
// ssh) the browser login says that no browser can open and names
// --no-browser; with a browser it says it opens one. Both print the address
// and stop with 130 on Ctrl+C.
func TestLoginWithoutBrowser(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		env     []string
		want    string
		notWant string
	}{
		{"headless", []string{"BROWSER=", "DISPLAY=", "WAYLAND_DISPLAY="},
			"No browser can be opened here (no display and no $BROWSER)", "Opening Procore's"},
		{"browser", []string{"BROWSER=true"}, "Opening Procore's login page", "--no-browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t).with(tt.env...)

			it := e.start("procore", "login")
			it.waitURL(t)
			if err := it.cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			status := it.wait(t)
			text := it.errText()
			if status != 130 || !strings.Contains(text, tt.want) ||
				strings.Contains(text, tt.notWant) {
				t.Errorf("exit %d, want 130, %q and not %q:\n%s", status, tt.want,
					tt.notWant, text)
			}
		})
	}
}

func TestSandboxCommand(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	it := e.start("sandbox", "--seed", "demo", "--json", "--data", t.TempDir())

	var addr struct{ URL string }
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if err := json.Unmarshal([]byte(it.stdoutText()), &addr); err == nil && addr.URL != "" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if addr.URL == "" {
		t.Fatalf("no URL on stdout:\n%s", it.errText())
	}

	resp, err := http.Get(addr.URL + "/rest/v1.0/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /me without a token: %d", resp.StatusCode)
	}
	if err := it.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if status := it.wait(t); status != 0 {
		t.Errorf("sandbox after Ctrl+C: exit %d\n%s", status, it.errText())
	}
	if !strings.Contains(it.errText(), "surveyor@demo.test") {
		t.Errorf("demo login not shown:\n%s", it.errText())
	}
}

func TestDebugOutput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	r := e.must(0, "project", "new", t.TempDir(), "--debug")
	if !strings.Contains(r.stderr, "command started") {
		t.Errorf("--debug gave no debug output: %s", r)
	}
}

func TestNoDisplay(t *testing.T) {
	t.Parallel()
	e := newEnv(t).with("DISPLAY=", "WAYLAND_DISPLAY=")

	for _, args := range [][]string{{}, {"--demo"}} {
		r := e.must(1, args...)
		if !strings.Contains(r.stderr, "No display was found") {
			t.Errorf("backsight %v without a display: %s", args, r)
		}
	}
}
