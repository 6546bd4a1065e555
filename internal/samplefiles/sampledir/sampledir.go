// Package sampledir finds the folder of shared public survey sample files:
// the part of package samplefiles that the app itself uses (the demo seeds
// its sandbox from the folder when it is there). It does not import testing,
// so that the app's binary does not carry the testing package.
package sampledir

import (
	"os"
	"path/filepath"
)

// EnvDir overrides where the samples are looked for.
const EnvDir = "BACKSIGHT_SAMPLES"

// Dir returns the samples folder and whether it exists. It looks at
// $BACKSIGHT_SAMPLES, then at ../shared/samples beside every parent of the
// working directory that holds a go.mod.
func Dir() (string, bool) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, isDir(d)
	}

	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "samples")
			return filepath.Clean(d), isDir(d)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
