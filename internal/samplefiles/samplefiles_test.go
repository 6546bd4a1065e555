package samplefiles

import (
	"bytes"
	"os"
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

func TestReadFile(t *testing.T) {
	const name = "pnezd_topo0_charlotte_crlf.asc"
	want, err := os.ReadFile(Path(t, name))
	if err != nil {
		t.Fatal(err)
	}

	if got := ReadFile(t, name); !bytes.Equal(got, want) {
		t.Errorf("ReadFile gave %d bytes, want %d", len(got), len(want))
	}
}

func TestSeeds(t *testing.T) {
	Require(t)
	if got := Seeds("pnezd_topo0_charlotte_crlf.asc", "no such sample"); len(got) != 1 {
		t.Errorf("Seeds gave %d files, want 1", len(got))
	}

	t.Setenv(EnvDir, filepath.Join(t.TempDir(), "absent"))
	if got := Seeds("pnezd_topo0_charlotte_crlf.asc"); got != nil {
		t.Errorf("Seeds without samples gave %d files", len(got))
	}
}
