package dxf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ezdxfScript reads a DXF with ezdxf's recover mode and prints what a second
// reader sees: audit problems, entity counts, layer names and label texts.
const ezdxfScript = `
import sys
from collections import Counter
from ezdxf import recover
doc, auditor = recover.readfile(sys.argv[1])
print("version", doc.dxfversion)
print("errors", len(auditor.errors))
msp = doc.modelspace()
for k, v in sorted(Counter(e.dxftype() for e in msp).items()):
    print("count", k, v)
for layer in doc.layers:
    print("layer", layer.dxf.name)
for e in msp.query("TEXT"):
    print("text", e.dxf.text)
`

// TestSecondReaderEzdxf checks the writer's output with ezdxf (Debian package
// python3-ezdxf) when it is installed: text in Windows-1252 and \U+ escapes
// must not turn into mojibake in another reader.
func TestSecondReaderEzdxf(t *testing.T) {
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import ezdxf").Run(); err != nil {
		t.Skip("ezdxf not installed (apt-get install python3-ezdxf)")
	}

	path := filepath.Join(t.TempDir(), "out.dxf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}

	if err := Write(t.Context(), f, sampleDataset(), WriteSettings{}); err != nil {
		t.Fatal(err)
	}

	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	out, err := exec.CommandContext(t.Context(), python, "-c", ezdxfScript, path).CombinedOutput()
	if err != nil {
		t.Fatalf("ezdxf: %v\n%s", err, out)
	}

	got := string(out)
	for _, want := range []string{
		"version AC1009", "errors 0", "count 3DFACE 2", "count POINT 4", "count POLYLINE 2",
		"count TEXT 4", "layer Höhe", "layer FENCE 1", "text STAZ 3", "text 道路",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("ezdxf output lacks %q:\n%s", want, got)
		}
	}
}
