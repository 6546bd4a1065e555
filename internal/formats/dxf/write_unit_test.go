package dxf

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/formats/internal/formattest"
	"github.com/backsight/backsight/internal/survey"
)

// TestWriteFeetWithoutNoise: a coordinate read in feet and written back in
// feet keeps its text (2000, not 2000.0000000000002).
func TestWriteFeetWithoutNoise(t *testing.T) {
	formattest.FeetWithoutNoise(t, func(w io.Writer, ds *survey.Dataset, u survey.Unit) error {
		return Write(t.Context(), w, ds, WriteSettings{Unit: u})
	})
}

// TestWriteLayersCaseInsensitive: CAD layer names ignore case, so codes that
// differ only in case share one table entry, and every entity names it.
func TestWriteLayersCaseInsensitive(t *testing.T) {
	ds := &survey.Dataset{
		Points: []survey.Point{{ID: "1", Code: "tree", E: 1, N: 2}, {ID: "2", Code: "TREE", E: 3, N: 4},
			{ID: "3", Code: "STEP/SW", E: 5, N: 6}, {ID: "4", Code: "step_sw", E: 7, N: 8}},
		Lines: []survey.Line{{Code: "Tree", Vertices: []survey.Vertex{{E: 0, N: 0}, {E: 1, N: 1}}}},
	}

	var b bytes.Buffer
	if err := Write(t.Context(), &b, ds, WriteSettings{}); err != nil {
		t.Fatal(err)
	}

	lines := strings.Split(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n")
	table := map[string]string{}
	var used []string
	for i := 0; i+3 < len(lines); i += 2 {
		code, val := strings.TrimSpace(lines[i]), lines[i+1]
		switch {
		case code == "0" && val == "LAYER" && strings.TrimSpace(lines[i+2]) == "2":
			name := lines[i+3]
			if prev, dup := table[strings.ToUpper(name)]; dup {
				t.Errorf("layer %q and %q both in the table", prev, name)
			}

			table[strings.ToUpper(name)] = name
		case code == "8":
			used = append(used, val)
		}
	}

	if len(table) != 3 { // 0, tree, STEP_SW
		t.Errorf("layer table %v, want 0, tree and STEP_SW", table)
	}

	for _, u := range used {
		if table[strings.ToUpper(u)] != u {
			t.Errorf("entity on layer %q, table has %q", u, table[strings.ToUpper(u)])
		}
	}
}
