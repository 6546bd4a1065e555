// Package csv reads and writes delimited point files (CSV, TXT, ASC, PNEZD
// and friends): one point per line with an id, northing, easting, optional
// elevation and a description, in a column order given by a template.
//
// The reader detects the delimiter (comma, semicolon, tab or runs of
// blanks), a header row, a decimal comma and the text encoding (UTF-8 with
// or without a BOM, else Windows-1252), accepts any line ending, keeps
// descriptions byte-exact and never drops a row silently: rows without
// coordinates are counted as observations and every skipped row is named
// in a warning with its line number.
package csv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// HeaderMode says whether the first data line is a header row.
type HeaderMode int

// Header modes.
const (
	HeaderAuto HeaderMode = iota // detect: text where numbers are expected
	HeaderNone                   // no header: the first line is data
	HeaderYes                    // the first non-comment line is a header
)

// ReadSettings controls how a delimited file is read. The zero value
// detects everything and reads coordinates as metres.
type ReadSettings struct {
	// Template is the column order, e.g. "PNEZD" or "P-EN". Empty means: take
	// it from a recognised header row, else PNEZD.
	Template string
	// Delimiter is ',', ';', '\t', '|' or ' ' (runs of blanks); 0 detects it.
	Delimiter rune
	// Decimal is '.' or ','; 0 accepts a decimal comma when the delimiter is
	// not a comma.
	Decimal rune
	// Header says whether the first line is a header row.
	Header HeaderMode
	// Encoding is EncodingAuto, EncodingUTF8 or EncodingWindows1252.
	Encoding string
	// Unit is the unit of the file's coordinates; empty means metres.
	Unit survey.Unit
}

// maxWarnings caps the warnings kept per file; the rest are counted.
const maxWarnings = 1000

// sampleLines is how many data lines are used to detect the layout.
const sampleLines = 20

// bigCoordinate is a magnitude (metres) no grid coordinate reaches; larger
// values usually mean implied decimals.
const bigCoordinate = 1e8

// Read reads a whole delimited point file. name is used in warnings and
// errors. See ReadEach for the rules.
func Read(ctx context.Context, r io.Reader, name string, s ReadSettings) (*survey.Dataset, error) {
	var pts []survey.Point
	ds, err := ReadEach(ctx, r, name, s, func(p survey.Point) error {
		pts = append(pts, p)

		return nil
	})
	if err != nil {
		return nil, err
	}

	ds.Points = pts

	return ds, nil
}

// ReadEach reads a delimited point file and calls fn for each point in file
// order, without holding the points in memory. The returned dataset holds
// the warnings, the observation count (rows without coordinates) and the
// source unit, but no points. It returns a *survey.ParseError when the
// file has no data rows, when no row has coordinates, when a line is longer
// than MaxLineLength, or when a header names no northing/easting column.
func ReadEach(ctx context.Context, r io.Reader, name string, s ReadSettings, fn func(survey.Point) error) (*survey.Dataset, error) {
	rd, err := newReader(r, name, s)
	if err != nil {
		return nil, err
	}

	if err := rd.run(ctx, fn); err != nil {
		return nil, err
	}

	return rd.finish()
}

// numberedLine is a buffered line used for layout detection.
type numberedLine struct {
	n    int
	text []byte
}

type reader struct {
	name   string
	s      ReadSettings
	lr     *lineReader
	ds     *survey.Dataset
	layout Layout
	sp     splitter
	factor float64
	extra  []string // attribute names for ignored header columns

	rows, points, dropped int
	commaWarned           bool
}

func newReader(r io.Reader, name string, s ReadSettings) (*reader, error) {
	unit := s.Unit
	if unit == survey.UnitUnknown {
		unit = survey.Metre
	}

	rd := &reader{
		name:   name,
		s:      s,
		lr:     newLineReader(r, s.Encoding),
		ds:     &survey.Dataset{SourceUnit: unit},
		factor: unit.Metres(),
	}

	return rd, nil
}

func (rd *reader) warn(line int, format string, args ...any) {
	if len(rd.ds.Warnings) >= maxWarnings {
		rd.dropped++

		return
	}

	rd.ds.Warnf(rd.name, line, format, args...)
}

func (rd *reader) fail(line int, msg string, err error) error {
	return &survey.ParseError{File: rd.name, Line: line, Msg: msg, Err: err}
}

// run reads the sample, settles the layout and then streams the rows.
func (rd *reader) run(ctx context.Context, fn func(survey.Point) error) error {
	sample, err := rd.readSample()
	if err != nil {
		return err
	}

	layout, err := detectLayout(sample, rd.s)
	if err != nil {
		msg := err.Error()
		var bad *TemplateError
		if errors.As(err, &bad) { // a setting, not the file, is wrong
			msg = fmt.Sprintf("the column order %q is not valid: %s", bad.Template, bad.Reason)
		}

		return rd.fail(layout.HeaderLine, msg, err)
	}

	rd.layout = layout
	rd.sp.delim = byte(layout.Delimiter)
	rd.extra = layout.extra
	for _, w := range layout.notes {
		rd.warn(layout.HeaderLine, "%s", w)
	}

	for _, l := range sample {
		if l.n == layout.HeaderLine {
			continue
		}

		if err := rd.row(l.n, l.text, fn); err != nil {
			return err
		}
	}

	for {
		if rd.rows%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		text, ok := rd.lr.next()
		if !ok {
			break
		}

		if rd.skip(text) {
			continue
		}

		if err := rd.row(rd.lr.line, text, fn); err != nil {
			return err
		}
	}

	if err := rd.lr.err(); err != nil {
		return rd.fail(rd.lr.line+1, fmt.Sprintf("line longer than %d bytes or unreadable", MaxLineLength), err)
	}

	return nil
}

// readSample buffers the first data lines for layout detection.
func (rd *reader) readSample() ([]numberedLine, error) {
	var sample []numberedLine
	for len(sample) < sampleLines {
		text, ok := rd.lr.next()
		if !ok {
			break
		}

		if isComment(text, ';') || len(bytes.TrimSpace(text)) == 0 {
			continue
		}

		if bytes.IndexByte(text, 0) >= 0 {
			return nil, rd.fail(rd.lr.line, "binary content (a NUL byte): not a text point file", nil)
		}

		sample = append(sample, numberedLine{n: rd.lr.line, text: bytes.Clone(text)})
	}

	if err := rd.lr.err(); err != nil {
		return nil, rd.fail(rd.lr.line+1, fmt.Sprintf("line longer than %d bytes or unreadable", MaxLineLength), err)
	}

	if rd.lr.switched {
		rd.warn(0, "text is not valid UTF-8; read as Windows-1252")
	}

	return sample, nil
}

// isComment reports whether a line is a comment: it starts with '#', '//'
// or (unless ';' is the delimiter) ';'.
func isComment(text []byte, delim byte) bool {
	t := bytes.TrimLeft(text, " \t")
	if len(t) == 0 {
		return false
	}

	switch {
	case t[0] == '#':
		return true
	case bytes.HasPrefix(t, []byte("//")):
		return true
	case t[0] == ';' && delim != ';':
		return true
	}

	return false
}

// skip reports whether a line holds no data: blank, a comment, or only
// delimiters (";;;;" rows from spreadsheets).
func (rd *reader) skip(text []byte) bool {
	d := rd.sp.delim
	if isComment(text, d) {
		return true
	}

	for _, c := range text {
		if c != ' ' && c != '\t' && c != d && c != '"' {
			return false
		}
	}

	return true
}

// row turns one data line into a point, an observation or a warning.
func (rd *reader) row(n int, text []byte, fn func(survey.Point) error) error {
	if rd.skip(text) {
		return nil
	}

	rd.rows++
	t := rd.layout.Template
	max := -1
	if t.restIsDesc() && rd.extra == nil {
		max = len(t)
	}

	fields := rd.sp.split(text, max)
	if rd.zMissing(fields) {
		// "1 100 200 CODE": a blank-delimited row cannot leave Z empty, so
		// a non-number where Z belongs starts the description.
		t = rd.layout.noZ
		fields = rd.sp.split(text, len(t))
	}

	get := func(c Column) ([]byte, bool) {
		i := t.index(c)
		if i < 0 || i >= len(fields) {
			return nil, false
		}

		return fields[i], true
	}

	p, ok := rd.coords(n, get)
	if !ok {
		return nil
	}

	if id, has := get(ColID); has || t.index(ColID) >= 0 {
		p.ID = strings.TrimSpace(string(id))
		if p.ID == "" {
			rd.warn(n, "row has no point id; skipped")

			return nil
		}
	} else {
		p.ID = strconv.Itoa(rd.points + 1)
	}

	if d, has := get(ColDesc); has {
		p.Code = string(d)
	}

	rd.attrs(&p, fields)
	rd.points++

	return fn(p)
}

// zMissing reports whether a blank-delimited row leaves out the elevation
// that the template puts just before the description.
func (rd *reader) zMissing(fields [][]byte) bool {
	t := rd.layout.Template
	i := len(t) - 2
	if rd.layout.noZ == nil || len(fields) <= i {
		return false
	}
	if rd.sp.quoted[i] {
		return true
	}

	_, _, err := parseNumber(fields[i], rd.layout.DecimalComma)

	return err != nil
}

// coords reads N, E and Z; ok is false when the row was reported and skipped.
func (rd *reader) coords(n int, get func(Column) ([]byte, bool)) (p survey.Point, ok bool) {
	nb, _ := get(ColNorth)
	eb, _ := get(ColEast)
	nb, eb = bytes.TrimSpace(nb), bytes.TrimSpace(eb)
	if len(nb) == 0 && len(eb) == 0 {
		rd.ds.Observations++
		rd.warn(n, "row has no coordinates (northing and easting empty); counted as an observation, not imported")

		return p, false
	}

	north, err1 := rd.number(n, nb, "northing")
	east, err2 := rd.number(n, eb, "easting")
	if err1 != nil || err2 != nil {
		rd.warn(n, "%v; row skipped", firstErr(err1, err2))

		return p, false
	}

	p.N, p.E = north*rd.factor, east*rd.factor
	if zb, has := get(ColElev); has {
		zb = bytes.TrimSpace(zb)
		if len(zb) > 0 {
			z, err := rd.number(n, zb, "elevation")
			if err != nil {
				rd.warn(n, "%v; point read without elevation", err)
			} else {
				p.Z, p.HasZ = z*rd.factor, true
			}
		}
	}

	return p, true
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}

	return b
}

// number parses a coordinate value and warns about implausible ones.
func (rd *reader) number(n int, b []byte, what string) (float64, error) {
	if len(b) == 0 {
		return 0, fmt.Errorf("%s is empty", what)
	}

	comma := rd.layout.DecimalComma
	v, usedComma, err := parseNumber(b, comma)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number", what, b)
	}

	// The warning is for a separator we guessed; a decimal comma the user
	// chose (ReadSettings.Decimal ',') is no surprise worth repeating.
	if usedComma && !rd.commaWarned && rd.s.Decimal != ',' {
		rd.commaWarned = true
		rd.warn(n, "decimal comma read as a decimal point")
	}

	if math.Abs(v*rd.factor) >= bigCoordinate {
		if bytes.IndexByte(b, '.') < 0 && bytes.IndexByte(b, ',') < 0 {
			rd.warn(n, "%s %s has no decimal point and is implausibly large: implied decimals? (not scaled)", what, b)
		} else {
			rd.warn(n, "%s %s is implausibly large for a grid coordinate", what, b)
		}
	}

	return v, nil
}

// attrs keeps values of unmapped header columns as attributes.
func (rd *reader) attrs(p *survey.Point, fields [][]byte) {
	for i, name := range rd.extra {
		if name == "" || i >= len(fields) {
			continue
		}

		v := strings.TrimSpace(string(fields[i]))
		if v == "" {
			continue
		}

		if p.Attrs == nil {
			p.Attrs = map[string]string{}
		}

		p.Attrs[name] = v
	}
}

// finish checks the totals and returns the dataset.
func (rd *reader) finish() (*survey.Dataset, error) {
	if rd.dropped > 0 {
		rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{
			File: rd.name,
			Msg:  fmt.Sprintf("%d further warnings not listed", rd.dropped),
		})
	}

	if rd.rows == 0 {
		return nil, rd.fail(0, "no data rows found (only blank lines, comments or a header)", nil)
	}

	if rd.points == 0 {
		msg := fmt.Sprintf("none of the %d data rows gave a point (%d without coordinates, %d warnings)",
			rd.rows, rd.ds.Observations, len(rd.ds.Warnings))
		if len(rd.ds.Warnings) > 0 {
			msg += "; first: " + rd.ds.Warnings[0].String()
		}

		return nil, rd.fail(0, msg, nil)
	}

	return rd.ds, nil
}

// parseNumber parses a plain decimal number: optional sign, digits, an
// optional decimal separator and an optional exponent. Surrounding blanks
// are allowed; INF, NaN, hex and digit separators are not. With comma set,
// a ',' is accepted as the decimal separator.
func parseNumber(b []byte, comma bool) (v float64, usedComma bool, err error) {
	b = bytes.TrimSpace(b)
	var buf [64]byte
	if len(b) == 0 || len(b) > len(buf) {
		return 0, false, strconv.ErrSyntax
	}

	n := copy(buf[:], b)
	s := buf[:n]
	i, digits, seps := 0, 0, 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}

	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || (c == ',' && comma):
			seps++
			if c == ',' {
				s[i] = '.'
				usedComma = true
			}
		case (c == 'e' || c == 'E') && digits > 0:
			return parseExp(s, i, seps)
		default:
			return 0, false, strconv.ErrSyntax
		}
	}

	if digits == 0 || seps > 1 {
		return 0, false, strconv.ErrSyntax
	}

	v, err = strconv.ParseFloat(string(s), 64)

	return v, usedComma, err
}

// parseExp checks the exponent part that starts at s[i].
func parseExp(s []byte, i, seps int) (float64, bool, error) {
	if seps > 1 {
		return 0, false, strconv.ErrSyntax
	}

	j := i + 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}

	if j >= len(s) {
		return 0, false, strconv.ErrSyntax
	}

	for ; j < len(s); j++ {
		if s[j] < '0' || s[j] > '9' {
			return 0, false, strconv.ErrSyntax
		}
	}

	v, err := strconv.ParseFloat(string(s), 64)
	if err == nil && (math.IsInf(v, 0) || math.IsNaN(v)) {
		return 0, false, strconv.ErrRange
	}

	return v, false, err
}
