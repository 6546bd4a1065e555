package csv

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Sniff returns a 0..100 confidence that head (the start of a file) is a
// delimited point file: most sample rows hold at least two numbers in the
// detected layout. A point-file extension (.csv, .txt, .asc, .pnezd, .xyz,
// .pts, .nez) adds a little; content decides.
func Sniff(name string, head []byte) int {
	if bytes.IndexByte(head, 0) >= 0 {
		return 0
	}

	t := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if len(t) == 0 || t[0] == '<' || t[0] == '{' || t[0] == '[' {
		return 0
	}

	// GSI records are blank-separated words like 110001+00000123; DXF starts
	// with a group code line "  0". Leave those to their own sniffers.
	if bytes.HasPrefix(t, []byte("0\n")) || bytes.HasPrefix(t, []byte("0\r")) {
		return 0
	}

	score := contentScore(head)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".asc", ".pnezd", ".penzd", ".xyz", ".pts", ".nez", ".prn":
		if score > 0 {
			score += 15
		} else {
			score = 5
		}
	}

	return min(score, 100)
}

// contentScore looks at the sample rows in the detected layout.
func contentScore(head []byte) int {
	layout, err := DetectLayout(head, ReadSettings{})
	if err != nil {
		return 0
	}

	lr := newLineReader(bytes.NewReader(head), "")
	sp := splitter{delim: byte(layout.Delimiter)}
	rows, good := 0, 0
	for rows < sampleLines {
		text, ok := lr.next()
		if !ok {
			break
		}

		if lr.line == layout.HeaderLine || isComment(text, sp.delim) || len(bytes.TrimSpace(text)) == 0 {
			continue
		}

		rows++
		if looksLikeGSI(text) {
			continue
		}

		nums := 0
		for _, f := range sp.split(text, -1) {
			if _, _, err := parseNumber(f, layout.DecimalComma); err == nil {
				nums++
			}
		}

		if nums >= 2 {
			good++
		}
	}

	if rows == 0 || good*10 < rows*8 {
		return 0
	}

	if layout.Delimiter == whitespace {
		return 55
	}

	return 70
}

// looksLikeGSI reports whether a line is made of GSI words (WI digits,
// dots, a sign and data), so that GSI files do not pass as point lists.
func looksLikeGSI(text []byte) bool {
	t := bytes.TrimLeft(text, "*")
	if len(t) < 8 {
		return false
	}

	for i := 0; i < 6; i++ {
		c := t[i]
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}

	return t[6] == '+' || t[6] == '-'
}
