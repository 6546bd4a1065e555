package csv

import (
	"io"
	"os"
	"path/filepath"
)

// samplesDirOrEmpty is samplesDir for fuzz seeding: "" when absent.
func samplesDirOrEmpty() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}

	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			s := filepath.Join(dir, "..", "shared", "samples")
			if _, err := os.Stat(s); err == nil {
				return s
			}

			return ""
		}

		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}

		dir = parent
	}
}

func readFileLimited(dir, name string, n int64) ([]byte, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()

	return io.ReadAll(io.LimitReader(f, n))
}
