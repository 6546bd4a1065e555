package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportProgress runs import in this process with stderr taken for a
// terminal: the bar names the file and ends at 100%, stdout is unchanged,
// and --json draws no bar. Not parallel: it sets the environment and
// progressTerminal.
func TestImportProgress(t *testing.T) {
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":   filepath.Join(home, ".cache"),
		"BACKSIGHT_CONFIG": "",
	} {
		t.Setenv(k, v)
	}

	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "%d,%d.5,%d.25,12.0,TOPO\n", i+1, 1000+i, 2000+i)
	}
	pts := filepath.Join(home, "topo.csv")
	if err := os.WriteFile(pts, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(args ...string) (stdout, stderr string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := Main(t.Context(), args, IO{In: strings.NewReader(""), Out: &out,
			Err: &errOut}, nil)
		if code != ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut.String())
		}

		return out.String(), errOut.String()
	}

	dir := filepath.Join(home, "proj")
	run("project", "new", dir, "--unit", "m")
	run("import", "--project", dir, pts)
	plainOut, _ := run("import", "--project", dir, "--duplicates", "overwrite", pts)

	progressTerminal = func(any) bool { return true }
	t.Cleanup(func() { progressTerminal = isTerminal })

	out, stderr := run("import", "--project", dir, "--duplicates", "overwrite", pts)
	if !strings.Contains(stderr, "Importing topo.csv [") || !strings.Contains(stderr, "100%") {
		t.Errorf("no finished bar on a terminal: %q", stderr)
	}
	if out != plainOut {
		t.Errorf("stdout with a bar = %q, without = %q", out, plainOut)
	}

	out, stderr = run("import", "--project", dir, "--duplicates", "overwrite", "--json", pts)
	if strings.Contains(stderr, "Importing") {
		t.Errorf("--json drew a bar: %q", stderr)
	}
	if !strings.HasPrefix(out, "{") {
		t.Errorf("--json stdout = %q", out)
	}

}
