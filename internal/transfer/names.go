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

// windowsReserved are device names Windows refuses as file names, compared
// in upper case with the part of the name before its first dot, less
// trailing spaces ("con.tar.gz" and "CON .txt" are the device CON).
// COM and LPT take the digits 0-9 and the superscripts ¹ ² ³.
var windowsReserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM0": true, "COM1": true, "COM2": true, "COM3": true, "COM4": true,
	"COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"COM¹": true, "COM²": true, "COM³": true,
	"LPT0": true, "LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true,
	"LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"LPT¹": true, "LPT²": true, "LPT³": true,
}

// deviceStem returns the part of s that Windows compares with its device
// names: up to the first dot, less trailing spaces.
func deviceStem(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}

	return strings.TrimRight(s, " ")
}

// avoidDevice puts a '_' after the stem of a name Windows reserves for a
// device ("con.tar.gz" becomes "con_.tar.gz"); other names are unchanged.
func avoidDevice(s string) string {
	stem := deviceStem(s)
	if !windowsReserved[strings.ToUpper(stem)] {
		return s
	}

	return stem + "_" + s[len(stem):]
}

// SafeName turns one Procore name into a name that is valid on Windows,
// macOS and Linux: characters <>:"/\|?* and control characters become '_',
// trailing dots and spaces go, Windows device names (CON, NUL, COM1,
// CONIN$, ... whatever follows their first dot) get a '_' after the device
// name, "." and ".." become "_", and names over 255 bytes are shortened
// (keeping the extension and whole UTF-8 characters). The result is never
// empty and is valid UTF-8.
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

	// Shortening can drop what followed a device name ("COM1 ... x.txt"
	// becomes "COM1.txt"), so the device check comes after it; its '_' can
	// take the name one byte over, and a second shortening keeps the '_'.
	s = shorten(avoidDevice(shorten(s)))
	if s == "" {
		return "_"
	}

	return s
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
