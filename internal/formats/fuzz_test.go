package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/backsight/backsight/internal/samplefiles"
)

// FuzzDetectRead checks that detection and reading by detection never
// panic, whatever the bytes and the name.
func FuzzDetectRead(f *testing.F) {
	for _, s := range []string{"1,10,20,30,A\n", `{"type":"Point","coordinates":[1,2,3]}`,
		"%PDF-1.4", "  0\nSECTION\n", "*110001+0000000000000001 81..00+0000000000001000 \n",
		`<?xml version="1.0"?><LandXML><CgPoints><CgPoint name="1">1 2 3</CgPoint></CgPoints></LandXML>`} {
		f.Add("x", []byte(s))
	}

	if dir, ok := samplefiles.Dir(); ok {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err == nil && e.Name() != "README.md" {
				f.Add(e.Name(), b[:min(len(b), 4096)])
			}
		}
	}

	f.Fuzz(func(t *testing.T, name string, in []byte) {
		Detect(name, in)
		Read(t.Context(), bytes.NewReader(in), name, "", Settings{})
		Preview(t.Context(), bytes.NewReader(in), name, "", Settings{}, 3)
	})
}
