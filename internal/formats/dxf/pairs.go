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

	"github.com/backsight/backsight/internal/formats/internal/textline"
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
	sc.Split(textline.Split)

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

// codePages maps $DWGCODEPAGE values to encodings; nil means UTF-8.
var codePages = map[string]encoding.Encoding{
	"ANSI_1252": charmap.Windows1252, "": charmap.Windows1252,
	"ISO8859-1": charmap.Windows1252, "ISO8859-15": charmap.Windows1252,
	"DOS850": charmap.Windows1252, "DOS437": charmap.Windows1252,
	"ANSI_1250": charmap.Windows1250, "ANSI_1251": charmap.Windows1251,
	"ANSI_1253": charmap.Windows1253, "ANSI_1254": charmap.Windows1254,
	"ANSI_1255": charmap.Windows1255, "ANSI_1256": charmap.Windows1256,
	"ANSI_1257": charmap.Windows1257, "ANSI_1258": charmap.Windows1258,
	"ANSI_874": charmap.Windows874, "ANSI_932": japanese.ShiftJIS, "DOS932": japanese.ShiftJIS,
	"ANSI_936": simplifiedchinese.GBK, "GB2312": simplifiedchinese.GBK,
	"ANSI_949": korean.EUCKR, "ANSI_950": traditionalchinese.Big5, "BIG5": traditionalchinese.Big5,
	"UTF8": nil, "UTF-8": nil,
}

// codePage maps a $DWGCODEPAGE value to its encoding (nil for UTF-8); ok is
// false for an unknown code page, read as Windows-1252.
func codePage(cp string) (encoding.Encoding, bool) {
	enc, ok := codePages[strings.ToUpper(strings.TrimSpace(cp))]
	if !ok {
		return charmap.Windows1252, false
	}

	return enc, true
}

// clip shortens s for messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}

	return s
}
