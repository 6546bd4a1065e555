// Package samplefiles finds the shared public survey sample files that tests
// read. They live outside the repository, in ../shared/samples relative to
// the repository root, and are never copied into it. The app itself uses
// only package sampledir.
package samplefiles

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/backsight/backsight/internal/samplefiles/sampledir"
)

// EnvDir overrides where the samples are looked for.
const EnvDir = sampledir.EnvDir

// Dir returns the samples folder and whether it exists; see [sampledir.Dir].
func Dir() (string, bool) { return sampledir.Dir() }

// Require returns the samples folder, or skips the test with a clear message
// when it is absent.
func Require(tb testing.TB) string {
	tb.Helper()
	d, ok := Dir()
	if !ok {
		tb.Skip("shared samples not found at ../shared/samples")
	}

	return d
}

// Path returns the path of one sample file, skipping the test when the
// samples folder or the file is absent.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(Require(tb), name)
	if !isFile(p) {
		tb.Skipf("shared sample %s not found in ../shared/samples", name)
	}

	return p
}

// ReadFile returns the contents of one sample file. It skips the test when
// the samples folder is absent and fails it when the file cannot be read.
func ReadFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(Require(tb), name))
	if err != nil {
		tb.Fatal(err)
	}

	return b
}

// Seeds returns the contents of those of the named sample files that can be
// read, for fuzz seeding, which must not skip: none when the samples folder
// is absent.
func Seeds(names ...string) [][]byte {
	dir, ok := Dir()
	if !ok {
		return nil
	}

	var seeds [][]byte
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			seeds = append(seeds, b)
		}
	}

	return seeds
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
