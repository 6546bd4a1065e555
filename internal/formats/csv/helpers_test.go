package csv

import (
	"io"
	"os"
	"path/filepath"
)

func readFileLimited(dir, name string, n int64) ([]byte, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()

	return io.ReadAll(io.LimitReader(f, n))
}
