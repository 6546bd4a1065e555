package csv

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Layout is what the reader settled on for a file: shown by an import
// preview so that the user can correct it.
type Layout struct {
	// Delimiter is ',', ';', '\t', '|' or ' ' (runs of blanks).
	Delimiter rune
	// DecimalComma is true when ',' is accepted as the decimal separator.
	DecimalComma bool
	// Template is the column mapping used for data rows.
	Template Template
	// HeaderLine is the 1-based line number of the header row, 0 when none.
	HeaderLine int
	// Header holds the header names when there is a header row.
	Header []string

	noZ   Template // blank-delimited PNEZD-like template without Z, else nil
	extra []string // attribute names of ignored header columns (nil: none)
	notes []string // remarks reported as warnings on the header line
}

// DetectLayout runs the reader's layout detection on the start of a file
// (a few KiB are enough) and returns what Read would use.
func DetectLayout(head []byte, s ReadSettings) (Layout, error) {
	lr := newLineReader(bytes.NewReader(head), s.Encoding)
	var sample []numberedLine
	for len(sample) < sampleLines {
		text, ok := lr.next()
		if !ok {
			break
		}

		if isComment(text, ';') || len(bytes.TrimSpace(text)) == 0 {
			continue
		}

		sample = append(sample, numberedLine{n: lr.line, text: bytes.Clone(text)})
	}

	return detectLayout(sample, s)
}

// detectLayout settles delimiter, decimal separator, header and template.
// Lines that start with ';' (comments, or rows of a semicolon file with an
// empty first field) take no part in the detection.
func detectLayout(all []numberedLine, s ReadSettings) (Layout, error) {
	var sample []numberedLine
	for _, l := range all {
		if !isComment(l.text, 0) {
			sample = append(sample, l)
		}
	}

	var l Layout
	l.Delimiter = s.Delimiter
	if l.Delimiter == 0 {
		l.Delimiter = detectDelimiter(sample)
	}

	if l.Delimiter == '"' || l.Delimiter > 127 || l.Delimiter == '\n' || l.Delimiter == '\r' {
		return l, fmt.Errorf("delimiter %q is not supported", l.Delimiter)
	}

	switch s.Decimal {
	case ',':
		if l.Delimiter == ',' {
			return l, errors.New("decimal comma needs a delimiter other than comma")
		}

		l.DecimalComma = true
	case 0:
		l.DecimalComma = l.Delimiter != ','
	}

	var given Template
	if s.Template != "" {
		t, err := ParseTemplate(s.Template)
		if err != nil {
			return l, err
		}

		given = t
	}

	if len(sample) == 0 {
		l.Template = given
		if l.Template == nil {
			l.Template, _ = ParseTemplate(PNEZD)
		}

		return l, nil
	}

	l, err := settleHeader(l, sample[0], given, s.Header)
	if err != nil {
		return l, err
	}

	t := l.Template
	if l.Delimiter == whitespace && l.extra == nil && len(t) >= 2 && t.restIsDesc() && t[len(t)-2] == ColElev {
		l.noZ = append(append(Template{}, t[:len(t)-2]...), ColDesc)
	}

	return l, nil
}

// settleHeader decides whether first is a header row and picks the template.
func settleHeader(l Layout, first numberedLine, given Template, mode HeaderMode) (Layout, error) {
	sp := splitter{delim: byte(l.Delimiter)}
	fields := sp.split(first.text, -1)
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}

	fromHeader, extra, known := templateFromHeader(names)
	want := given
	if want == nil {
		want, _ = ParseTemplate(PNEZD)
	}

	isHeader := false
	switch mode {
	case HeaderYes:
		isHeader = true
	case HeaderAuto:
		isHeader = !numericAt(fields, want, l.DecimalComma) && (known || !anyNumeric(fields, l.DecimalComma))
	}

	if !isHeader {
		l.Template = want

		return l, nil
	}

	l.HeaderLine = first.n
	l.Header = names
	switch {
	case given != nil:
		l.Template = given
	case fromHeader.index(ColNorth) >= 0 && fromHeader.index(ColEast) >= 0:
		l.Template = fromHeader
		if hasAny(extra) {
			l.extra = extra
		}
	case known:
		return l, fmt.Errorf("header row names no northing and easting columns (%s); give a template",
			strings.Join(names, ", "))
	default:
		l.Template = want
		l.notes = append(l.notes, "header row not recognised; skipped and columns read as "+want.String())
	}

	return l, nil
}

func hasAny(names []string) bool {
	for _, n := range names {
		if n != "" {
			return true
		}
	}

	return false
}

// numericAt reports whether the fields at the N and E positions are numbers.
func numericAt(fields [][]byte, t Template, comma bool) bool {
	for _, c := range []Column{ColNorth, ColEast} {
		i := t.index(c)
		if i >= len(fields) {
			return false
		}

		if _, _, err := parseNumber(fields[i], comma); err != nil {
			return false
		}
	}

	return true
}

func anyNumeric(fields [][]byte, comma bool) bool {
	for _, f := range fields {
		if _, _, err := parseNumber(f, comma); err == nil {
			return true
		}
	}

	return false
}

// detectDelimiter picks the delimiter that turns most sample lines into
// rows with at least two numbers. Tab, semicolon, comma and bar must occur in
// 80% of the lines to be considered; runs of blanks always are. Ties go to
// the earlier candidate in that order.
func detectDelimiter(sample []numberedLine) rune {
	if len(sample) == 0 {
		return ','
	}

	best, bestScore := rune(0), 0
	fallback := rune(whitespace)
	for _, c := range []byte{'\t', ';', ',', '|', whitespace} {
		if c != whitespace {
			n := 0
			for _, l := range sample {
				if bytes.IndexByte(l.text, c) >= 0 {
					n++
				}
			}

			if n*5 < len(sample)*4 {
				continue
			}

			if fallback == whitespace {
				fallback = rune(c)
			}
		}

		score := numericRows(sample, c)
		if score > bestScore {
			best, bestScore = rune(c), score
		}
	}

	if best == 0 {
		return fallback
	}

	return best
}

// numericRows counts the sample lines that split by delim into at least two
// numbers.
func numericRows(sample []numberedLine, delim byte) int {
	sp := splitter{delim: delim}
	rows := 0
	for _, l := range sample {
		nums := 0
		for _, f := range sp.split(l.text, -1) {
			if _, _, err := parseNumber(f, delim != ','); err == nil {
				nums++
			}
		}

		if nums >= 2 {
			rows++
		}
	}

	return rows
}
