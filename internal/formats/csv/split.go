package csv

import "bytes"

// whitespace is the Delimiter value meaning "runs of spaces and tabs".
const whitespace = ' '

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// splitter cuts lines into fields. It reuses its slices between lines.
type splitter struct {
	delim  byte // ',', ';', '\t', '|' or whitespace
	fields [][]byte
	quoted []bool
}

// TODO(formats): a quoted field that spans lines (a line break inside
// quotes) is read as two rows and reported; support it if a real file needs it.

// split cuts line into at most max fields (max <= 0: no limit). The last
// field of a limited split is the rest of the line, byte-exact apart from
// leading blanks (and trailing blanks for whitespace-delimited files). A
// field that starts with a quote and ends with a matching quote before the
// next delimiter is unquoted ("" stands for one quote); any other quote is
// kept as written.
func (sp *splitter) split(line []byte, max int) [][]byte {
	sp.fields = sp.fields[:0]
	sp.quoted = sp.quoted[:0]
	ws := sp.delim == whitespace
	pos := 0
	for {
		if ws {
			for pos < len(line) && isBlank(line[pos]) {
				pos++
			}

			if pos >= len(line) {
				return sp.fields
			}
		}

		if max > 0 && len(sp.fields) == max-1 {
			sp.addRest(line[pos:], ws)

			return sp.fields
		}

		end, f, q := sp.field(line, pos)
		sp.fields = append(sp.fields, f)
		sp.quoted = append(sp.quoted, q)
		if end >= len(line) {
			return sp.fields
		}

		pos = end + 1 // skip the delimiter
	}
}

// addRest appends the rest of the line as the final field.
func (sp *splitter) addRest(rest []byte, ws bool) {
	rest = bytes.TrimLeft(rest, " \t")
	if ws {
		rest = bytes.TrimRight(rest, " \t")
	}

	if uq, ok := unquoteWhole(rest); ok {
		sp.fields = append(sp.fields, uq)
		sp.quoted = append(sp.quoted, true)

		return
	}

	sp.fields = append(sp.fields, rest)
	sp.quoted = append(sp.quoted, false)
}

// field reads one field starting at pos and returns the index of the
// delimiter that ends it (or len(line)).
func (sp *splitter) field(line []byte, pos int) (end int, f []byte, quoted bool) {
	for pos < len(line) && line[pos] == ' ' && sp.delim != ' ' {
		pos++
	}

	if pos < len(line) && line[pos] == '"' {
		if end, f, ok := sp.quotedField(line, pos); ok {
			return end, f, true
		}
	}

	end = sp.next(line, pos)

	return end, line[pos:end], false
}

// next returns the index of the next delimiter at or after pos.
func (sp *splitter) next(line []byte, pos int) int {
	if sp.delim == whitespace {
		for i := pos; i < len(line); i++ {
			if isBlank(line[i]) {
				return i
			}
		}

		return len(line)
	}

	if i := bytes.IndexByte(line[pos:], sp.delim); i >= 0 {
		return pos + i
	}

	return len(line)
}

// quotedField reads a quoted field at line[pos] == '"'. ok is false when
// the closing quote is not followed by a delimiter (a stray quote).
func (sp *splitter) quotedField(line []byte, pos int) (end int, f []byte, ok bool) {
	var out []byte
	i := pos + 1
	for i < len(line) {
		c := line[i]
		if c != '"' {
			out = append(out, c)
			i++

			continue
		}

		if i+1 < len(line) && line[i+1] == '"' {
			out = append(out, '"')
			i += 2

			continue
		}

		// Closing quote: allow blanks, then a delimiter or the end.
		j := i + 1
		for j < len(line) && line[j] == ' ' && sp.delim != ' ' {
			j++
		}

		switch {
		case j >= len(line):
			return len(line), nonNil(out), true
		case sp.delim == whitespace && isBlank(line[j]):
			return j, nonNil(out), true
		case line[j] == sp.delim:
			return j, nonNil(out), true
		}

		return 0, nil, false
	}

	return 0, nil, false
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}

	return b
}

// unquoteWhole unquotes s when it is one quoted value with only doubled
// quotes inside.
func unquoteWhole(s []byte) ([]byte, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return nil, false
	}

	inner := s[1 : len(s)-1]
	out := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); i++ {
		if inner[i] != '"' {
			out = append(out, inner[i])

			continue
		}

		if i+1 < len(inner) && inner[i+1] == '"' {
			out = append(out, '"')
			i++

			continue
		}

		return nil, false
	}

	return out, true
}
