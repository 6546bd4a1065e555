package sampledir

import (
	"path/filepath"
	"testing"
)

func TestDirFromEnv(t *testing.T) {
	there := t.TempDir()
	missing := filepath.Join(there, "missing")

	tests := []struct {
		env    string
		wantOK bool
	}{
		{there, true},
		{missing, false},
	}
	for _, tt := range tests {
		t.Setenv(EnvDir, tt.env)
		if d, ok := Dir(); d != tt.env || ok != tt.wantOK {
			t.Errorf("with %s=%s: Dir() = %q, %v; want %q, %v", EnvDir, tt.env, d, ok, tt.env,
				tt.wantOK)
		}
	}
}

func TestDirBesideModule(t *testing.T) {
	t.Setenv(EnvDir, "")

	d, _ := Dir()
	if filepath.Base(d) != "samples" || filepath.Base(filepath.Dir(d)) != "shared" {
		t.Errorf("Dir() = %q, want a path ending in shared/samples", d)
	}
}
