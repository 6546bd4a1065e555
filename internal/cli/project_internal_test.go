package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestPrintProjectAligned: the counts of every source start in the same
// column, however long the source names are (ASCII or not).
func TestPrintProjectAligned(t *testing.T) {
	tests := []struct {
		name    string
		names   []string
		formats []string
	}{
		{"short names", []string{"a.csv", "topo.asc"}, []string{"csv", "csv"}},
		{"long names", []string{"landxml12_tin_ussurveyfoot_blender_S3.xml", "a.csv"},
			[]string{"landxml", "csv"}},
		{"non-ASCII names", []string{"測量データ_第二工区_基準点.xml", "control.gsi"},
			[]string{"landxml", "gsi"}},
		{"attachment", []string{"a.csv", "report.pdf"}, []string{"csv", "attachment"}},
	}

	for _, tt := range tests {
		p := projectJSON{Name: "p", Dir: "/p", Unit: "m"}
		for i, n := range tt.names {
			p.Sources = append(p.Sources, sourceJSON{Name: n, Format: tt.formats[i], Points: 1})
		}

		var b bytes.Buffer
		printProject(&b, p)

		col := -1
		for _, line := range strings.Split(b.String(), "\n") {
			i := strings.Index(line, " point")
			if !strings.HasPrefix(line, "  ") || i < 0 {
				continue
			}

			if n := len([]rune(line[:i])); col < 0 {
				col = n
			} else if n != col {
				t.Errorf("%s: counts not aligned:\n%s", tt.name, b.String())
			}
		}

		if col < 0 {
			t.Errorf("%s: no source lines:\n%s", tt.name, b.String())
		}
	}
}
