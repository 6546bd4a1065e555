package transfer

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// DistinctLocalNames returns a copy of reqs in which no two requests write
// the same local file. Local paths (DestDir plus the safe form of Path, see
// [SafePath]) are compared as Windows and macOS compare them: case folded
// like [strings.EqualFold] and Unicode normalised, so "a:b.csv" and
// "a_b.csv" collide, and so do "Plan.csv" and "plan.csv". A file also may
// not take the path that another request uses as a folder.
//
// A request whose Procore path needs no change to be safe keeps its local
// path first, so that a file's own copy from an earlier download is
// replaced, not taken over by a file whose name only became the same when
// made safe. Among the rest the earlier request wins; a later one gets a
// [DownloadRequest.LocalName] with " (2)", " (3)", ... before the extension,
// within 255 bytes. The same requests in the same order get the same names.
// Files already on disk are not looked at: a download replaces the file at
// its path.
//
// [Transferer.DownloadAll] calls it; a caller that downloads a batch with
// [Transferer.Download] one file at a time calls it first.
func DistinctLocalNames(reqs []DownloadRequest) []DownloadRequest {
	out := slices.Clone(reqs)
	paths := make([]string, len(out))
	taken := map[string]bool{}
	for i, r := range out {
		p, err := localPath(r)
		if err != nil {
			continue // download reports it
		}
		paths[i] = p

		for d := filepath.Dir(p); ; d = filepath.Dir(d) {
			taken[foldPath(d)] = true
			if filepath.Dir(d) == d {
				break
			}
		}
	}

	done := make([]bool, len(out))
	for i, r := range out {
		if paths[i] != "" && unchangedBySafeName(r) && !taken[foldPath(paths[i])] {
			taken[foldPath(paths[i])] = true
			done[i] = true
		}
	}

	for i := range out {
		if paths[i] == "" || done[i] {
			continue
		}

		dir, name := filepath.Split(paths[i])
		for n := 1; ; n++ {
			cand := name
			if n > 1 {
				cand = numbered(name, n)
			}

			if key := foldPath(filepath.Join(dir, cand)); !taken[key] {
				taken[key] = true
				if cand != name {
					out[i].LocalName = cand
				}

				break
			}
		}
	}

	return out
}

// localPath is where r lands: the absolute DestDir, the safe form of Path,
// and LocalName in place of the last segment when set.
func localPath(r DownloadRequest) (string, error) {
	if len(r.Path) == 0 {
		return "", errEmptyPath
	}

	dest, err := filepath.Abs(r.DestDir)
	if err != nil {
		return "", fmt.Errorf("transfer: download: %w", err)
	}

	return SafePath(dest, localSegments(r)...)
}

// localSegments is r.Path with LocalName in place of its last segment when
// set.
func localSegments(r DownloadRequest) []string {
	if r.LocalName == "" {
		return r.Path
	}

	segs := slices.Clone(r.Path)
	segs[len(segs)-1] = r.LocalName

	return segs
}

// unchangedBySafeName reports whether every local segment of r is already
// safe, so that its local path spells its Procore path.
func unchangedBySafeName(r DownloadRequest) bool {
	for _, s := range localSegments(r) {
		if SafeName(s) != s {
			return false
		}
	}

	return true
}

// numbered puts " (n)" before the extension of a safe name ("a_b.csv"
// becomes "a_b (2).csv"), cutting the stem to stay within 255 bytes.
func numbered(name string, n int) string {
	stem, ext := splitExt(name)
	if len(ext) > 32 {
		stem, ext = name, ""
	}

	suffix := fmt.Sprintf(" (%d)", n)
	stem = cutUTF8(stem, maxNameBytes-len(suffix)-len(ext))

	return stem + suffix + ext
}

// foldPath maps paths that Windows or macOS take for the same file to one
// key: composed Unicode (macOS ignores the difference) and every letter
// replaced by the smallest rune of its case-folding orbit, which makes two
// keys equal exactly when strings.EqualFold holds for the composed paths.
func foldPath(p string) string {
	return strings.Map(func(r rune) rune {
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}

		return low
	}, norm.NFC.String(p))
}
