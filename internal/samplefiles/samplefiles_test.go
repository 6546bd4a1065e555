package samplefiles

import (
	"path/filepath"
	"testing"
)

func TestPath(t *testing.T) {
	p := Path(t, "pnezd_topo0_charlotte_crlf.asc")
	if filepath.Base(p) != "pnezd_topo0_charlotte_crlf.asc" {
		t.Errorf("Path = %s", p)
	}
}

func TestOverride(t *testing.T) {
	t.Setenv(EnvDir, t.TempDir())
	if _, ok := Dir(); !ok {
		t.Error("override folder not found")
	}
}
