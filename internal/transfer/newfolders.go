package transfer

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// NewFolders returns the local folders that the downloads of reqs create
// because they do not exist yet, deepest first. A batch that fails or is
// cancelled passes them to [RemoveEmptyFolders], so that it leaves no empty
// folders behind. Requests whose local path is not valid are skipped (their
// download fails before it makes a folder).
func NewFolders(reqs []DownloadRequest) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range reqs {
		local, err := localPath(r)
		if err != nil {
			continue
		}

		for _, dir := range MissingFolders(filepath.Dir(local)) {
			if !seen[dir] {
				seen[dir] = true
				out = append(out, dir)
			}
		}
	}

	// Deeper paths first: a folder is empty only once its new subfolders
	// are gone.
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(depth(b), depth(a)), cmp.Compare(a, b))
	})

	return out
}

// MissingFolders returns dir and those of its parents that do not exist,
// deepest first: exactly the folders os.MkdirAll(dir) would make.
func MissingFolders(dir string) []string {
	var out []string
	for dir = filepath.Clean(dir); ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
			return out
		}
		out = append(out, dir)
		if filepath.Dir(dir) == dir {
			return out
		}
	}
}

// RemoveEmptyFolders removes those of dirs that are empty, in their order,
// and leaves the others (holding files, or gone already) as they are.
func RemoveEmptyFolders(dirs []string) {
	for _, d := range dirs {
		// os.Remove refuses a folder that is not empty, which is the check.
		_ = os.Remove(d)
	}
}

func depth(p string) int {
	return strings.Count(p, string(filepath.Separator))
}
