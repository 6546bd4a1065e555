package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}

	return p
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(Options{File: filepath.Join(t.TempDir(), "none.yaml"), Environ: []string{}})
	if err == nil {
		t.Fatal("an explicit missing file should be an error")
	}

	c, err = Load(Options{Environ: []string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Procore.Environment != EnvProduction || c.Procore.RedirectPort != DefaultRedirectPort {
		t.Errorf("defaults: got %+v", c.Procore)
	}
	if c.Transfer.Concurrency != 4 || c.Log.Level != "info" {
		t.Errorf("defaults: got %+v %+v", c.Transfer, c.Log)
	}
}

func TestPrecedence(t *testing.T) {
	file := writeFile(t, "procore:\n  client_id: from-file\n  company_id: 1\n  project_id: 7\n")

	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	company := fs.Int64("company", 0, "")
	_ = company
	if err := fs.Parse([]string{"--company", "3"}); err != nil {
		t.Fatal(err)
	}

	c, err := Load(Options{
		File: file,
		Environ: []string{
			"BACKSIGHT_PROCORE_CLIENT_ID=from-env",
			"BACKSIGHT_PROCORE_COMPANY_ID=2",
		},
		Flags: map[string]*pflag.Flag{"procore.company_id": fs.Lookup("company")},
	})
	if err != nil {
		t.Fatal(err)
	}

	if c.Procore.ClientID != "from-env" {
		t.Errorf("environment should beat the file: client_id = %q", c.Procore.ClientID)
	}
	if c.Procore.CompanyID != 3 {
		t.Errorf("a flag should beat the environment: company_id = %d", c.Procore.CompanyID)
	}
	if c.Procore.ProjectID != 7 {
		t.Errorf("the file should beat the default: project_id = %d", c.Procore.ProjectID)
	}
}

func TestUnchangedFlagDoesNotOverride(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.Int64("company", 0, "")

	c, err := Load(Options{
		File:    writeFile(t, "procore:\n  company_id: 9\n"),
		Environ: []string{},
		Flags:   map[string]*pflag.Flag{"procore.company_id": fs.Lookup("company")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Procore.CompanyID != 9 {
		t.Errorf("company_id = %d, want 9 from the file", c.Procore.CompanyID)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		environ []string
		want    string
	}{
		{"unknown key", "procore:\n  client_idd: x\n", nil, "procore.client_idd"},
		{"unknown section", "colour: red\n", nil, "colour"},
		{"unknown variable", "", []string{"BACKSIGHT_PROCORE_CLIENTID=x"}, "BACKSIGHT_PROCORE_CLIENTID"},
		{"bad environment", "procore:\n  environment: staging\n", nil, "procore.environment"},
		{"bad port", "procore:\n  redirect_port: 70000\n", nil, "procore.redirect_port"},
		{"not a number", "procore:\n  company_id: abc\n", nil, "company_id"},
		{"plain http", "procore:\n  environment: custom\n  login_url: http://example.com\n" +
			"  api_url: https://example.com\n", nil, "procore.login_url"},
		{"custom without urls", "procore:\n  environment: custom\n", nil, "procore.login_url"},
		{"bad level", "log:\n  level: loud\n", nil, "log.level"},
		{"small segment", "transfer:\n  segment_size_mb: 1\n", nil, "transfer.segment_size_mb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			environ := tt.environ
			if environ == nil {
				environ = []string{}
			}
			_, err := Load(Options{File: writeFile(t, tt.file), Environ: environ})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %q", err, tt.want)
			}
		})
	}
}

func TestLoopbackHTTPAllowed(t *testing.T) {
	_, err := Load(Options{
		File: writeFile(t, "procore:\n  environment: custom\n  login_url: http://127.0.0.1:4000\n"+
			"  api_url: http://localhost:4000\n"),
		Environ: []string{},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSecretIsNotAFlag(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.String("secret", "", "")
	_, err := Load(Options{
		Environ: []string{},
		File:    writeFile(t, ""),
		Flags:   map[string]*pflag.Flag{"procore.client_secret": fs.Lookup("secret")},
	})
	if err == nil || !strings.Contains(err.Error(), "procore.client_secret") {
		t.Fatalf("err = %v", err)
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("procore.client_id"); got != "BACKSIGHT_PROCORE_CLIENT_ID" {
		t.Errorf("EnvName = %q", got)
	}
}

// TestOtherVariables: BACKSIGHT_ variables that are not settings (the
// configuration file's, the samples folder's) are not refused as unknown; an
// unknown one wraps ErrUnknownVariable, so the message can say how to fix it.
func TestOtherVariables(t *testing.T) {
	t.Parallel()

	_, err := Load(Options{File: writeFile(t, ""), Environ: []string{
		"BACKSIGHT_SAMPLES=" + t.TempDir(),
	}})
	if err != nil {
		t.Errorf("BACKSIGHT_SAMPLES: %v", err)
	}

	_, err = Load(Options{File: writeFile(t, ""), Environ: []string{"BACKSIGHT_FOO=1"}})
	if !errors.Is(err, ErrUnknownVariable) {
		t.Errorf("BACKSIGHT_FOO: %v, want ErrUnknownVariable", err)
	}
}
