package transfer

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// maxNameBytes is the longest file name most local file systems accept.
const maxNameBytes = 255

// ErrOutsideDestination means a computed path would leave the destination
// folder. SafePath never produces one; it is a last guard.
var ErrOutsideDestination = errors.New("transfer: path leaves the destination folder")

// windowsReserved are device names Windows refuses as file names, with or
// without an extension.
var windowsReserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true,
	"COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true,
	"LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
}

// SafeName turns one Procore name into a name that is valid on Windows,
// macOS and Linux: characters <>:"/\|?* and control characters become '_',
// trailing dots and spaces go, Windows device names get a '_' suffix, "."
// and ".." become "_", and names over 255 bytes are shortened (keeping the
// extension and whole UTF-8 characters). The result is never empty.
func SafeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteRune('_')
		case strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteRune('_')
		case r == utf8.RuneError:
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}

	s := strings.TrimRight(b.String(), ". ")
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return "_"
	}

	stem, ext := splitExt(s)
	if windowsReserved[strings.ToUpper(strings.TrimRight(stem, " "))] {
		s = stem + "_" + ext
	}

	return shorten(s)
}

// splitExt splits at the last dot that is not the first character.
func splitExt(s string) (stem, ext string) {
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		return s[:i], s[i:]
	}

	return s, ""
}

// shorten cuts s to maxNameBytes, keeping a short extension.
func shorten(s string) string {
	if len(s) <= maxNameBytes {
		return s
	}

	stem, ext := splitExt(s)
	if len(ext) > 32 {
		stem, ext = s, ""
	}

	stem = cutUTF8(stem, maxNameBytes-len(ext))
	return strings.TrimRight(stem, ". ") + ext
}

// cutUTF8 returns at most n bytes of s without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}

	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}

	return s[:n]
}

// SafePath joins dest and the sanitised segments, and checks that the result
// stays inside dest.
func SafePath(dest string, segments ...string) (string, error) {
	clean := make([]string, 0, len(segments)+1)
	clean = append(clean, dest)
	for _, s := range segments {
		clean = append(clean, SafeName(s))
	}

	p := filepath.Join(clean...)
	rel, err := filepath.Rel(dest, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) ||
		filepath.IsAbs(rel) {
		return "", fmt.Errorf("%w: %q", ErrOutsideDestination, strings.Join(segments, "/"))
	}

	return p, nil
}

// SplitProcorePath splits a Procore name_with_path ("Project/Folder/file")
// into segments, dropping the leading segments of base (for example the
// root folder's name), so that the file lands below the destination with the
// Procore path that is below base.
func SplitProcorePath(nameWithPath, base string) []string {
	segs := strings.Split(strings.Trim(nameWithPath, "/"), "/")
	if base == "" {
		return segs
	}

	baseSegs := strings.Split(strings.Trim(base, "/"), "/")
	if len(baseSegs) < len(segs) {
		match := true
		for i := range baseSegs {
			if baseSegs[i] != segs[i] {
				match = false
				break
			}
		}

		if match {
			return segs[len(baseSegs):]
		}
	}

	return segs
}
