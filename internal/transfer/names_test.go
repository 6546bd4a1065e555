package transfer

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var safeNameTests = []struct {
	in, want string
}{
	{"plan.dxf", "plan.dxf"},
	{"..", "_"},
	{".", "_"},
	{"a/b", "a_b"},
	{`a\b`, "a_b"},
	{`<>:"|?*`, "_______"},
	{"tab\there", "tab_here"},
	{"nul\x00byte", "nul_byte"},
	{"CON", "CON_"},
	{"con.txt", "con_.txt"},
	{"LPT9.dwg", "LPT9_.dwg"},
	{"COM10", "COM10"},
	{"trailing. . ", "trailing"},
	{"   ", "_"},
	{"férias 10.PDF", "férias 10.PDF"},
	{"/etc/passwd", "_etc_passwd"},
	{"C:\\Windows", "C__Windows"},
}

func TestSafeName(t *testing.T) {
	t.Parallel()

	for _, tt := range safeNameTests {
		if got := SafeName(tt.in); got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeNameLong(t *testing.T) {
	t.Parallel()

	long := strings.Repeat("é", 200) + ".landxml"
	got := SafeName(long)
	if len(got) > maxNameBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, ".landxml") {
		t.Fatalf("SafeName(long) = %q (%d bytes)", got, len(got))
	}
}

func TestSafePathStaysInside(t *testing.T) {
	t.Parallel()

	dest := t.TempDir()
	for _, segs := range [][]string{
		{"..", "..", "etc", "passwd"},
		{"/abs", "x"},
		{"a", "../../b"},
		{"C:", "x"},
		{"."},
	} {
		p, err := SafePath(dest, segs...)
		if err != nil {
			continue
		}

		rel, err := filepath.Rel(dest, p)
		if err != nil || strings.HasPrefix(rel, "..") || rel == "." {
			t.Errorf("SafePath(%q) = %q, outside %q", segs, p, dest)
		}
	}

	if _, err := SafePath(dest); !errors.Is(err, ErrOutsideDestination) {
		t.Errorf("SafePath with no segments: %v", err)
	}
}

func TestSplitProcorePath(t *testing.T) {
	t.Parallel()

	got := SplitProcorePath("Project/01 Design/plan.dxf", "Project")
	if strings.Join(got, "|") != "01 Design|plan.dxf" {
		t.Fatalf("got %q", got)
	}

	got = SplitProcorePath("Other/plan.dxf", "Project/Sub")
	if strings.Join(got, "|") != "Other|plan.dxf" {
		t.Fatalf("got %q", got)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, tt := range safeNameTests {
		f.Add(tt.in)
	}

	dest := f.TempDir()
	f.Fuzz(func(t *testing.T, name string) {
		got := SafeName(name)
		if got == "" || got == "." || got == ".." || len(got) > maxNameBytes {
			t.Fatalf("SafeName(%q) = %q", name, got)
		}

		if strings.ContainsAny(got, `<>:"/\|?*`) || strings.HasSuffix(got, ".") || strings.HasSuffix(got, " ") {
			t.Fatalf("SafeName(%q) = %q keeps an unsafe character", name, got)
		}

		p, err := SafePath(dest, name, name)
		if err != nil {
			t.Fatalf("SafePath: %v", err)
		}

		if filepath.Dir(filepath.Dir(p)) != dest {
			t.Fatalf("SafePath(%q) = %q not two levels below %q", name, p, dest)
		}
	})
}
