package csv

import (
	"fmt"
	"strings"
)

// Column is one column of a template: 'P' point id, 'N' northing,
// 'E' easting, 'Z' elevation, 'D' description or code, '-' ignored.
type Column byte

// Columns a template can hold.
const (
	ColID     Column = 'P'
	ColNorth  Column = 'N'
	ColEast   Column = 'E'
	ColElev   Column = 'Z'
	ColDesc   Column = 'D'
	ColIgnore Column = '-'
)

// Template is an ordered column mapping such as PNEZD or P-EN.
type Template []Column

// Named templates (Civil 3D and friends).
const (
	PNEZD = "PNEZD"
	PENZD = "PENZD"
	PNEZ  = "PNEZ"
	PENZ  = "PENZ"
	NEZ   = "NEZ"
	ENZ   = "ENZ"
)

// TemplateError is the error of [ParseTemplate]: the template as given and
// what is wrong with it.
type TemplateError struct {
	Template string
	Reason   string // e.g. `unknown column "Q" (want P, N, E, Z, D or -)`
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("csv: template %q: %s", e.Template, e.Reason)
}

// ParseTemplate reads a template such as "PNEZD" or "P-EN" (case-insensitive;
// spaces and commas between letters are ignored). Northing and easting are
// required; P, N, E, Z and D may each appear once, '-' any number of times.
func ParseTemplate(s string) (Template, error) {
	var t Template
	seen := map[Column]bool{}
	for _, r := range strings.ToUpper(s) {
		c := Column(r)
		switch c {
		case ' ', ',', ';', '\t':
			continue
		case ColID, ColNorth, ColEast, ColElev, ColDesc:
			if seen[c] {
				return nil, &TemplateError{s, fmt.Sprintf("column %c given twice", c)}
			}

			seen[c] = true
		case ColIgnore, 'X', '_':
			c = ColIgnore
		default:
			return nil, &TemplateError{s, fmt.Sprintf("unknown column %q (want P, N, E, Z, D "+
				"or -)", r)}
		}

		t = append(t, c)
	}

	if !seen[ColNorth] || !seen[ColEast] {
		return nil, &TemplateError{s, "needs both N and E"}
	}

	return t, nil
}

// String returns the template letters, e.g. "PNEZD".
func (t Template) String() string {
	b := make([]byte, len(t))
	for i, c := range t {
		b[i] = byte(c)
	}

	return string(b)
}

// index returns the position of c in t, or -1.
func (t Template) index(c Column) int {
	for i, x := range t {
		if x == c {
			return i
		}
	}

	return -1
}

// restIsDesc reports whether the description is the last column, in which
// case it takes the rest of the line byte-exact.
func (t Template) restIsDesc() bool {
	return len(t) > 0 && t[len(t)-1] == ColDesc
}

// headerNames maps normalised header names to columns.
var headerNames = map[string]Column{
	"p": ColID, "pt": ColID, "pn": ColID, "pnt": ColID, "point": ColID, "pointid": ColID,
	"pointno": ColID, "pointnumber": ColID, "pointname": ColID, "id": ColID, "name": ColID,
	"pkt": ColID, "punkt": ColID, "punktnr": ColID, "nr": ColID, "number": ColID,
	"n": ColNorth, "north": ColNorth, "northing": ColNorth, "y": ColNorth,
	"hochwert": ColNorth, "localn": ColNorth, "gridn": ColNorth,
	"e": ColEast, "east": ColEast, "easting": ColEast, "x": ColEast,
	"rechtswert": ColEast, "locale": ColEast, "gride": ColEast,
	"z": ColElev, "h": ColElev, "elev": ColElev, "elevation": ColElev, "height": ColElev,
	"höhe": ColElev, "hoehe": ColElev, "localz": ColElev, "rl": ColElev, "alt": ColElev,
	"d": ColDesc, "desc": ColDesc, "descr": ColDesc, "description": ColDesc, "code": ColDesc,
	"pointcode": ColDesc, "feature": ColDesc, "beschreibung": ColDesc, "recdesc": ColDesc,
}

// descRank orders competing description names: the lowest rank wins.
var descRank = map[string]int{"description": 0, "desc": 1, "descr": 1, "d": 1, "code": 2}

// normaliseHeader lower-cases a header name and drops spaces, underscores,
// dots, dashes and a trailing unit in brackets.
func normaliseHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}

	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '.', '-', '#', '"', '\'':
			return -1
		}

		return r
	}, s)
}

// templateFromHeader maps header names to a template. Columns that are not
// recognised are ignored ('-'); their names are returned so that their
// values can be kept as attributes. ok is false when fewer than two names
// are recognised.
func templateFromHeader(fields []string) (t Template, extra []string, ok bool) {
	t = make(Template, len(fields))
	extra = make([]string, len(fields))
	known := 0
	descAt, descBest := -1, 99
	for i, f := range fields {
		t[i] = ColIgnore
		n := normaliseHeader(f)
		c, found := headerNames[n]
		if !found {
			extra[i] = strings.TrimSpace(f)

			continue
		}

		known++
		if c == ColDesc {
			rank, ranked := descRank[n]
			if !ranked {
				rank = 3
			}

			if rank < descBest {
				if descAt >= 0 {
					t[descAt] = ColIgnore
					extra[descAt] = strings.TrimSpace(fields[descAt])
				}

				descAt, descBest = i, rank
				t[i] = c
			} else {
				extra[i] = strings.TrimSpace(f)
			}

			continue
		}

		if t.index(c) >= 0 {
			extra[i] = strings.TrimSpace(f)

			continue
		}

		t[i] = c
	}

	return t, extra, known >= 2
}
