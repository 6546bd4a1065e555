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
	{"COM0", "COM0_"},
	{"lpt0.txt", "lpt0_.txt"},
	{"COM¹", "COM¹_"},
	{"com².csv", "com²_.csv"},
	{"COM³.dxf", "COM³_.dxf"},
	{"LPT¹.txt", "LPT¹_.txt"},
	{"lpt².pdf", "lpt²_.pdf"},
	{"LPT³", "LPT³_"},
	{"COM⁴", "COM⁴"},
	{"CONIN$", "CONIN$_"},
	{"conout$.log", "conout$_.log"},
	{"CONIN", "CONIN"},
	{"CON.tar.gz", "CON_.tar.gz"},
	{"nul.backup.csv", "nul_.backup.csv"},
	{"CON .txt", "CON_ .txt"},
	{"Aux  .tar.gz", "Aux_  .tar.gz"},
	{"PRN.", "PRN_"},
	{"NUL ", "NUL_"},
	{"CON..txt", "CON_..txt"},
	{".con", ".con"},
	{"CONSOLE.txt", "CONSOLE.txt"},
	{"CON_.txt", "CON_.txt"},
	{"my con.txt", "my con.txt"},
	{"data.con", "data.con"},
	{"COM1" + strings.Repeat(" ", 300) + "x.txt", "COM1_.txt"},
	{strings.Repeat(".", 300) + strings.Repeat("x", 40), "_"},
	{"trailing. . ", "trailing"},
	{"   ", "_"},
	{"férias 10.PDF", "férias 10.PDF"},
	{"/etc/passwd", "_etc_passwd"},
	{"C:\\Windows", "C__Windows"},
}

// isDevice reports whether Windows takes name for a device: the part before
// the first dot, less trailing spaces, is one of its device names in any
// case. It is written apart from SafeName's table on purpose.
func isDevice(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}

	if len(stem) < 4 || (stem[:3] != "COM" && stem[:3] != "LPT") {
		return false
	}

	return strings.Contains("0123456789¹²³", stem[3:]) && utf8.RuneCountInString(stem[3:]) == 1
}

func TestSafeName(t *testing.T) {
	t.Parallel()

	for _, tt := range safeNameTests {
		if got := SafeName(tt.in); got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}

		if isDevice(tt.want) {
			t.Errorf("want %q of %q is itself a device name", tt.want, tt.in)
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

		if strings.ContainsAny(got, `<>:"/\|?*`) || strings.HasSuffix(got, ".") || strings.HasSuffix(got, " ") ||
			strings.HasPrefix(got, " ") || strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Fatalf("SafeName(%q) = %q keeps an unsafe character", name, got)
		}

		if !utf8.ValidString(got) {
			t.Fatalf("SafeName(%q) = %q is not valid UTF-8", name, got)
		}

		if isDevice(got) {
			t.Fatalf("SafeName(%q) = %q is a Windows device name", name, got)
		}

		if again := SafeName(got); again != got {
			t.Fatalf("SafeName(%q) = %q, but SafeName of that is %q", name, got, again)
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
