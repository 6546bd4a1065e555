package cli

import (
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
