// Package archtest checks the import rules of the code base: the core never
// imports Fyne, only internal/config and cmd/ import viper, and the Procore
// sandbox and the Procore client share no code.
package archtest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/backsight/backsight"

// deps lists, for every package of the module, its transitive non-test
// imports.
func deps(t *testing.T) map[string][]string {
	t.Helper()

	return list(t, `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`)
}

// imports lists, for every package of the module, its direct non-test
// imports.
func imports(t *testing.T) map[string][]string {
	t.Helper()

	return list(t, `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`)
}

func list(t *testing.T, format string) map[string][]string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}

	cmd := exec.Command("go", "list", "-f", format, module+"/...")
	cmd.Dir = root(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}

	m := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			m[f[0]] = f[1:]
		}
	}

	return m
}

func root(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

func rel(pkg string) string { return strings.TrimPrefix(pkg, module+"/") }

func TestImportRules(t *testing.T) {
	rules := []struct {
		name    string
		direct  bool // only direct imports count
		applies func(pkg string) bool
		denied  *regexp.Regexp
	}{
		{
			"only internal/ui and cmd/backsight depend on Fyne (and the benchmark's empty window)",
			false,
			func(p string) bool {
				return !strings.HasPrefix(p, "internal/ui") && !strings.HasPrefix(p, "cmd/backsight") &&
					p != "bench/emptywindow"
			},
			regexp.MustCompile(`^fyne\.io/`),
		},
		{
			"only internal/config and cmd/ import viper",
			true,
			func(p string) bool {
				return p != "internal/config" && !strings.HasPrefix(p, "cmd/")
			},
			regexp.MustCompile(`^github\.com/spf13/viper$`),
		},
		{
			"the sandbox shares no code with the client",
			false,
			func(p string) bool { return strings.HasPrefix(p, "internal/sandbox") },
			regexp.MustCompile(`^` + module + `/internal/(procore|transfer|auth)(/|$)`),
		},
		{
			"the client shares no code with the sandbox",
			false,
			func(p string) bool {
				return strings.HasPrefix(p, "internal/procore") ||
					strings.HasPrefix(p, "internal/transfer") || strings.HasPrefix(p, "internal/auth")
			},
			regexp.MustCompile(`^` + module + `/internal/sandbox(/|$)`),
		},
	}

	transitive, direct := deps(t), imports(t)
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			all := transitive
			if r.direct {
				all = direct
			}
			for pkg, ds := range all {
				if !strings.HasPrefix(pkg, module) || !r.applies(rel(pkg)) {
					continue
				}
				for _, d := range ds {
					if r.denied.MatchString(d) {
						t.Errorf("%s depends on %s", rel(pkg), d)
					}
				}
			}
		})
	}
}

// TestNoGlobalLogger checks that no package reaches for zap's global logger.
func TestNoGlobalLogger(t *testing.T) {
	bad := regexp.MustCompile(`zap\.(L|S|ReplaceGlobals)\(`)
	base := root(t)
	err := filepath.WalkDir(filepath.Join(base, "internal"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if loc := bad.FindIndex(data); loc != nil {
			r, _ := filepath.Rel(base, p)
			t.Errorf("%s uses zap's global logger", r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
