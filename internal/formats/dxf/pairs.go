package dxf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/backsight/backsight/internal/survey"
)

// Limits that keep a hostile file from exhausting memory.
const (
	maxLine          = 64 << 10 // longest line accepted
	maxEntityPairs   = 1 << 20  // pairs in one entity
	maxEntityBytes   = 64 << 20 // value bytes in one entity
	maxPolylineVerts = 1 << 22  // VERTEX entities of one POLYLINE
	ctxPairs         = 1 << 16  // pairs between context checks
)

// pair is one group code and its value.
type pair struct {
	code int
	val  string
	line int // line of the code
}

// pairReader reads group-code/value pairs.
type pairReader struct {
	ctx    context.Context
	count  int
	name   string
	sc     *bufio.Scanner
	line   int
	back   []pair
	decode func(string) string // for values with bytes >= 0x80
}

func newPairReader(ctx context.Context, r io.Reader, name string) *pairReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	sc.Split(splitLines)

	return &pairReader{ctx: ctx, name: name, sc: sc, decode: decodeWith(charmap.Windows1252)}
}

func (pr *pairReader) scan() (string, error) {
	b, err := pr.scanBytes()

	return string(b), err
}

// scanBytes returns the next line; the bytes are valid until the next scan.
func (pr *pairReader) scanBytes() ([]byte, error) {
	if pr.sc.Scan() {
		pr.line++

		return pr.sc.Bytes(), nil
	}

	if err := pr.sc.Err(); err != nil {
		msg := "reading the file"
		if errors.Is(err, bufio.ErrTooLong) {
			msg = fmt.Sprintf("line longer than %d bytes (expected DXF group code and value lines)", maxLine)
		}

		return nil, &survey.ParseError{File: pr.name, Line: pr.line + 1, Msg: msg, Err: err}
	}

	return nil, io.EOF
}

// parseCode reads a group code line: digits with optional surrounding
// spaces (and a BOM on the first line).
func parseCode(b []byte) (int, bool) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 4 {
		return 0, false
	}

	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}

		n = n*10 + int(c-'0')
	}

	return n, n <= 1071
}

// next returns the next pair, or io.EOF at the end of the input.
func (pr *pairReader) next() (pair, error) {
	if n := len(pr.back); n > 0 {
		p := pr.back[n-1]
		pr.back = pr.back[:n-1]

		return p, nil
	}

	if pr.count++; pr.count%ctxPairs == 0 {
		if err := pr.ctx.Err(); err != nil {
			return pair{}, err
		}
	}

	codeLine, err := pr.scanBytes()
	for err == nil && len(bytes.TrimSpace(codeLine)) == 0 {
		codeLine, err = pr.scanBytes() // tolerate blank lines between pairs
	}

	if err != nil {
		return pair{}, err
	}

	line := pr.line
	code, ok := parseCode(codeLine)
	if !ok {
		return pair{}, &survey.ParseError{File: pr.name, Line: line, Msg: fmt.Sprintf(
			"group code %q is not a number from 0 to 1071 (expected a DXF group code line)",
			clip(string(codeLine)))}
	}

	val, err := pr.scan()
	if errors.Is(err, io.EOF) {
		return pair{}, &survey.ParseError{File: pr.name, Line: line,
			Msg: fmt.Sprintf("group code %d has no value line (file truncated)", code)}
	}

	if err != nil {
		return pair{}, err
	}

	if hasHigh(val) {
		val = pr.decode(val)
	}

	return pair{code: code, val: val, line: line}, nil
}

func (pr *pairReader) unread(p pair) { pr.back = append(pr.back, p) }

func hasHigh(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}

	return false
}

func decodeWith(enc encoding.Encoding) func(string) string {
	return func(s string) string {
		out, err := enc.NewDecoder().String(s)
		if err != nil {
			return strings.ToValidUTF8(s, "\uFFFD")
		}

		return out
	}
}

// decodeUTF8 keeps valid UTF-8 and reads anything else as Windows-1252.
func decodeUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}

	return decodeWith(charmap.Windows1252)(s)
}

// codePage maps a $DWGCODEPAGE value to its encoding; nil for UTF-8.
func codePage(cp string) (encoding.Encoding, bool) {
	key := strings.ToUpper(strings.TrimSpace(cp))
	switch key {
	case "ANSI_1252", "", "ISO8859-1", "ISO8859-15", "DOS850", "DOS437":
		return charmap.Windows1252, true
	case "ANSI_1250":
		return charmap.Windows1250, true
	case "ANSI_1251":
		return charmap.Windows1251, true
	case "ANSI_1253":
		return charmap.Windows1253, true
	case "ANSI_1254":
		return charmap.Windows1254, true
	case "ANSI_1255":
		return charmap.Windows1255, true
	case "ANSI_1256":
		return charmap.Windows1256, true
	case "ANSI_1257":
		return charmap.Windows1257, true
	case "ANSI_1258":
		return charmap.Windows1258, true
	case "ANSI_874":
		return charmap.Windows874, true
	case "ANSI_932", "DOS932":
		return japanese.ShiftJIS, true
	case "ANSI_936", "GB2312":
		return simplifiedchinese.GBK, true
	case "ANSI_949":
		return korean.EUCKR, true
	case "ANSI_950", "BIG5":
		return traditionalchinese.Big5, true
	case "UTF8", "UTF-8":
		return nil, true
	}

	return charmap.Windows1252, false
}

// splitLines is a bufio.SplitFunc that ends a line at CRLF, CR or LF. Empty
// lines are returned: an empty value is meaningful in DXF.
func splitLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	for i, c := range data {
		if c != '\r' && c != '\n' {
			continue
		}

		if c == '\r' {
			if i+1 == len(data) && !atEOF {
				return 0, nil, nil
			}

			if i+1 < len(data) && data[i+1] == '\n' {
				return i + 2, data[:i], nil
			}
		}

		return i + 1, data[:i], nil
	}

	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}

	return 0, nil, nil
}

// clip shortens s for messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}

	return s
}
