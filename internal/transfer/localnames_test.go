package transfer

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var distinctNamesTests = []struct {
	name  string
	paths [][]string
	want  []string // local path below the destination, slash-separated
}{
	{
		"no collision",
		[][]string{{"a.csv"}, {"b.csv"}, {"Site", "a.csv"}},
		[]string{"a.csv", "b.csv", "Site/a.csv"},
	},
	{
		"sanitised collision, the safe name keeps its path whatever the order",
		[][]string{{"a:b.csv"}, {"a_b.csv"}, {"a?b.csv"}},
		[]string{"a_b (2).csv", "a_b.csv", "a_b (3).csv"},
	},
	{
		"case collision, the earlier wins",
		[][]string{{"Plan.csv"}, {"plan.csv"}, {"PLAN.CSV"}},
		[]string{"Plan.csv", "plan (2).csv", "PLAN (3).CSV"},
	},
	{
		"a suffixed name skips a name the batch already has",
		[][]string{{"a:b.csv"}, {"a_b.csv"}, {"A_B (2).csv"}},
		[]string{"a_b (3).csv", "a_b.csv", "A_B (2).csv"},
	},
	{
		"folders that collide once safe or folded",
		[][]string{{"Site:A", "plan.csv"}, {"site_a", "Plan.csv"}, {"Site_A", "x.csv"}},
		[]string{"Site_A/plan (2).csv", "site_a/Plan.csv", "Site_A/x.csv"},
	},
	{
		"a file does not take a folder's path",
		[][]string{{"Site"}, {"site", "a.csv"}},
		[]string{"Site (2)", "site/a.csv"},
	},
	{
		"composed and decomposed accents collide",
		[][]string{{"caf\u00e9.csv"}, {"cafe\u0301.csv"}},
		[]string{"caf\u00e9.csv", "cafe\u0301 (2).csv"},
	},
	{
		"device names and no extension",
		[][]string{{"con.txt"}, {"CON_.txt"}, {"README"}, {"readme"}, {".env"}, {".ENV"}},
		[]string{"con_ (2).txt", "CON_.txt", "README", "readme (2)", ".env", ".ENV (2)"},
	},
	{
		"the same Procore path twice",
		[][]string{{"a.csv"}, {"a.csv"}},
		[]string{"a.csv", "a (2).csv"},
	},
}

func TestDistinctLocalNames(t *testing.T) {
	t.Parallel()

	dest := t.TempDir()
	for _, tt := range distinctNamesTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			reqs := make([]DownloadRequest, len(tt.paths))
			for i, p := range tt.paths {
				reqs[i] = DownloadRequest{Path: p, DestDir: dest}
			}

			var got []string
			for _, r := range DistinctLocalNames(reqs) {
				p, err := localPath(r)
				if err != nil {
					t.Fatal(err)
				}

				rel, _ := filepath.Rel(dest, p)
				got = append(got, filepath.ToSlash(rel))
			}

			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("local paths (-want +got):\n%s", diff)
			}

			for i, r := range reqs {
				if r.LocalName != "" {
					t.Errorf("request %d of the caller was changed: %+v", i, r)
				}
			}
		})
	}
}

func TestDistinctLocalNamesLong(t *testing.T) {
	t.Parallel()

	long := strings.Repeat("é", 130) + ".landxml" // 268 bytes, cut to 255
	reqs := []DownloadRequest{{Path: []string{long}}, {Path: []string{long + " "}}, {Path: []string{long}}}
	out := DistinctLocalNames(reqs)
	for i, r := range out[1:] {
		name := r.LocalName
		if len(name) > maxNameBytes || !utf8.ValidString(name) || SafeName(name) != name ||
			!strings.HasSuffix(name, " ("+string(rune('2'+i))+").landxml") {
			t.Errorf("name %d: %q (%d bytes)", i+1, name, len(name))
		}
	}
}

func TestDistinctLocalNamesKeepsOrder(t *testing.T) {
	t.Parallel()

	reqs := []DownloadRequest{
		{Path: []string{"x", "a:b.csv"}}, {Path: []string{"x", "A|B.csv"}}, {Path: []string{"x", "a_b.csv"}},
		{Path: []string{"y", "Plan.csv"}}, {Path: []string{"y", "plan.csv"}}, {Path: nil},
	}
	first := DistinctLocalNames(reqs)
	for range 5 {
		if diff := cmp.Diff(first, DistinctLocalNames(reqs)); diff != "" {
			t.Fatalf("names changed between calls:\n%s", diff)
		}
	}

	// DownloadAll may get requests a caller already passed through it.
	if diff := cmp.Diff(first, DistinctLocalNames(first)); diff != "" {
		t.Errorf("a second pass changed names:\n%s", diff)
	}

	// A request it cannot place is left for download to refuse.
	if first[5].LocalName != "" {
		t.Errorf("an unplaceable request got a name: %+v", first[5])
	}
}

func FuzzNumbered(f *testing.F) {
	for _, tt := range safeNameTests {
		f.Add(tt.in, 2)
	}
	f.Add(strings.Repeat("x", 300)+"."+strings.Repeat("y", 40), 1000)

	f.Fuzz(func(t *testing.T, in string, n int) {
		if n < 2 {
			return
		}

		name := SafeName(in)
		got := numbered(name, n)
		if len(got) > maxNameBytes || !utf8.ValidString(got) || SafeName(got) != got || isDevice(got) {
			t.Fatalf("numbered(%q, %d) = %q (%d bytes)", name, n, got, len(got))
		}
	})
}
