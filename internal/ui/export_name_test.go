package ui

import (
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/transfer"
)

// TestUnsafeNameMessage: the export window says why a file name cannot be
// used, and offers the safe name.
func TestUnsafeNameMessage(t *testing.T) {
	tests := []struct {
		name, why string
	}{
		{"pts:2026.csv", "none of < > :"},
		{"Exports/pts.csv", "no folder"},
		{"pts.csv.", "no dot or space at the end"},
		{"pts.csv ", "no dot or space at the end"},
		{"CON.csv", "a device"},
		{"nul.backup.csv", "a device"},
		{"COM1.tar.gz", "a device"},
		{strings.Repeat("p", 300) + ".csv", "at most 255 bytes"},
	}
	for _, tt := range tests {
		safe := transfer.SafeName(tt.name)
		if safe == tt.name {
			t.Errorf("SafeName(%q) left it as it is; the test expects a change", tt.name)
			continue
		}
		got := unsafeNameMessage(tt.name, safe)
		if !strings.Contains(got, tt.why) || !strings.HasSuffix(got, "for example "+safe+".") {
			t.Errorf("unsafeNameMessage(%q) = %q, want it to say %q and offer %q",
				tt.name, got, tt.why, safe)
		}
	}
}
