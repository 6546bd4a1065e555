package csv

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/backsight/backsight/internal/survey"
)

// WriteSettings controls how points are written. The zero value writes
// PNEZD, comma-delimited, 3 decimals in metres, LF, no header, no BOM:
// Civil 3D's default apart from the line ending.
type WriteSettings struct {
	// Template is the column order; empty means PNEZD.
	Template string
	// Delimiter is ',', ';', '\t', '|' or ' '; 0 means ','.
	Delimiter rune
	// Decimals is the number of digits after the decimal point; 0 means 3
	// and a negative value writes whole numbers.
	Decimals int
	// DecimalComma writes ',' as the decimal separator (not with ',' as delimiter).
	DecimalComma bool
	// Unit is the unit coordinates are written in; empty means metres.
	Unit survey.Unit
	// Header writes a header row of column names.
	Header bool
	// CRLF ends lines with CR LF instead of LF.
	CRLF bool
	// BOM starts the file with a UTF-8 byte-order mark (for Excel).
	BOM bool
}

// Write writes the dataset's points in the order given. Lines and surfaces
// are not written (a point file has no place for them). An unknown
// elevation is written as an empty field, never as 0. Line breaks inside
// ids or codes are written as spaces. The output is deterministic.
func Write(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) error {
	pw, err := NewPointWriter(w, s)
	if err != nil {
		return err
	}

	for i := range ds.Points {
		if i%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		if err := pw.Write(&ds.Points[i]); err != nil {
			return err
		}
	}

	return pw.Flush()
}

// PointWriter writes points one at a time, for exports that stream from
// the project store.
type PointWriter struct {
	bw     *bufio.Writer
	t      Template
	delim  byte
	dec    int
	comma  bool
	factor float64
	eol    []byte
	buf    []byte
	header bool
	bom    bool
	names  []string
}

// NewPointWriter checks the settings and returns a writer. Call Flush at the end.
func NewPointWriter(w io.Writer, s WriteSettings) (*PointWriter, error) {
	tpl := s.Template
	if tpl == "" {
		tpl = PNEZD
	}

	t, err := ParseTemplate(tpl)
	if err != nil {
		return nil, err
	}

	pw := &PointWriter{bw: bufio.NewWriterSize(w, 256<<10), t: t, delim: ',', dec: 3,
		comma: s.DecimalComma, header: s.Header, bom: s.BOM, eol: []byte("\n")}
	if s.Delimiter != 0 {
		if s.Delimiter > 127 || s.Delimiter == '"' || s.Delimiter == '\n' || s.Delimiter == '\r' {
			return nil, fmt.Errorf("csv: delimiter %q is not supported", s.Delimiter)
		}

		pw.delim = byte(s.Delimiter)
	}

	if pw.comma && pw.delim == ',' {
		return nil, fmt.Errorf("csv: a decimal comma needs a delimiter other than comma")
	}

	switch {
	case s.Decimals < 0:
		pw.dec = 0
	case s.Decimals > 0:
		pw.dec = min(s.Decimals, 12)
	}

	if s.CRLF {
		pw.eol = []byte("\r\n")
	}

	unit := s.Unit
	if unit == survey.UnitUnknown {
		unit = survey.Metre
	}

	pw.factor = 1 / unit.Metres()

	return pw, nil
}

// columnNames are written in the header row.
var columnNames = map[Column]string{
	ColID: "Point", ColNorth: "Northing", ColEast: "Easting", ColElev: "Elevation",
	ColDesc: "Description", ColIgnore: "",
}

func (pw *PointWriter) start() error {
	if pw.bom {
		pw.bom = false
		if _, err := pw.bw.Write(utf8BOM); err != nil {
			return err
		}
	}

	if !pw.header {
		return nil
	}

	pw.header = false
	b := pw.buf[:0]
	for i, c := range pw.t {
		if i > 0 {
			b = append(b, pw.delim)
		}

		b = append(b, columnNames[c]...)
	}

	b = append(b, pw.eol...)
	pw.buf = b
	_, err := pw.bw.Write(b)

	return err
}

// Write writes one point as a line.
func (pw *PointWriter) Write(p *survey.Point) error {
	if pw.header || pw.bom {
		if err := pw.start(); err != nil {
			return err
		}
	}

	if !finite(p.E) || !finite(p.N) || (p.HasZ && !finite(p.Z)) {
		return fmt.Errorf("csv: point %q: coordinate is not a finite number", p.ID)
	}

	b := pw.buf[:0]
	for i, c := range pw.t {
		if i > 0 {
			b = append(b, pw.delim)
		}

		switch c {
		case ColID:
			b = pw.appendText(b, p.ID, i == 0)
		case ColNorth:
			b = pw.appendNumber(b, p.N)
		case ColEast:
			b = pw.appendNumber(b, p.E)
		case ColElev:
			if p.HasZ {
				b = pw.appendNumber(b, p.Z)
			}
		case ColDesc:
			if pw.quoteNumericCode(i, p) {
				b = append(append(append(b, '"'), p.Code...), '"')

				continue
			}

			b = pw.appendText(b, p.Code, i == 0)
		}
	}

	b = append(b, pw.eol...)
	pw.buf = b
	_, err := pw.bw.Write(b)

	return err
}

// Flush writes any buffered data.
func (pw *PointWriter) Flush() error {
	if pw.header || pw.bom {
		if err := pw.start(); err != nil {
			return err
		}
	}

	return pw.bw.Flush()
}

func (pw *PointWriter) appendNumber(b []byte, v float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v*pw.factor, 'f', pw.dec, 64)
	if b[start] == '-' && isZero(b[start+1:]) {
		b = append(b[:start], b[start+1:]...)
	}

	if pw.comma && pw.dec > 0 {
		if i := bytes.LastIndexByte(b[start:], '.'); i >= 0 {
			b[start+i] = ','
		}
	}

	return b
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != '0' && c != '.' {
			return false
		}
	}

	return true
}

// appendText writes s, quoted only when a reader could misread it: it holds
// the delimiter or a quote at the start, or begins or ends with a blank, or,
// in the first column, it would make the line look like a comment ("#5").
func (pw *PointWriter) appendText(b []byte, s string, first bool) []byte {
	need := first && isComment([]byte(s), pw.delim)
	for i := 0; i < len(s) && !need; i++ {
		c := s[i]
		if c == pw.delim || c == '\r' || c == '\n' || (pw.delim == ' ' && c == '\t') {
			need = true

			break
		}
	}

	if len(s) > 0 && (s[0] == '"' || s[0] == ' ' || s[0] == '\t' ||
		s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		need = true
	}

	if !need {
		return append(b, s...)
	}

	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b = append(b, '"', '"')
		case '\r', '\n':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}

	return append(b, '"')
}

// quoteNumericCode reports whether a blank-delimited row without elevation
// must quote a numeric code so that a reader does not take it for Z.
func (pw *PointWriter) quoteNumericCode(i int, p *survey.Point) bool {
	if pw.delim != ' ' || p.HasZ || i == 0 || pw.t[i-1] != ColElev {
		return false
	}

	_, _, err := parseNumber([]byte(p.Code), pw.comma)

	return err == nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
