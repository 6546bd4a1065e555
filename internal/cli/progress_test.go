package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/transfer"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()

	cases := []struct {
		s    transfer.Snapshot
		want []string
	}{
		{transfer.Snapshot{}, []string{"[------------------------]", "  0%", "0.0 MiB/0.0 MiB"}},
		{transfer.Snapshot{BytesDone: 1 << 20, BytesTotal: 4 << 20, FilesTotal: 3, FilesDone: 1,
			Current: "topo.csv"}, []string{"[######------------------]", " 25%", "1.0 MiB/4.0 MiB",
			"1/3 files", "topo.csv"}},
		{transfer.Snapshot{BytesDone: 4 << 20, BytesTotal: 4 << 20, FilesTotal: 1, FilesDone: 1,
			Current: "topo.csv", Final: true}, []string{"[########################]", "100%"}},
		{transfer.Snapshot{BytesTotal: 4 << 20, FilesTotal: 1, Preparing: 1, Current: "topo.csv"},
			[]string{"  0%", "preparing  topo.csv"}},
	}
	for _, tc := range cases {
		got := progressLine("Downloading", tc.s)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("progressLine(%+v) = %q, want %q in it", tc.s, got, w)
			}
		}
		if tc.s.Final && strings.Contains(got, tc.s.Current) {
			t.Errorf("final line names the current file: %q", got)
		}
	}
}

// TestNullDeviceIsNoTerminal: /dev/null (the stdin of a cron job) is a
// character device but no terminal, so a login reading its code from it
// ends the "Code: " line before its message.
func TestNullDeviceIsNoTerminal(t *testing.T) {
	t.Parallel()

	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	if isTerminal(f) {
		t.Errorf("isTerminal(%s) = true, want false", os.DevNull)
	}
}
