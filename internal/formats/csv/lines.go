package csv

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/backsight/backsight/internal/formats/internal/textline"
)

// MaxLineLength is the longest line a reader accepts. A longer line stops
// the read with an error so that a hostile file cannot exhaust memory.
const MaxLineLength = 1 << 20

// Encoding names accepted by ReadSettings.Encoding.
const (
	EncodingAuto        = ""             // valid UTF-8, else Windows-1252
	EncodingUTF8        = "utf-8"        // invalid bytes become U+FFFD
	EncodingWindows1252 = "windows-1252" // every byte decoded as Windows-1252
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// lineReader yields decoded lines with their 1-based numbers.
type lineReader struct {
	sc       *bufio.Scanner
	line     int
	encoding string
	switched bool // auto mode fell back to Windows-1252
	dec      *charmapDecoder
	buf      []byte
}

func newLineReader(r io.Reader, encoding string) *lineReader {
	// Excel's "Unicode Text" is UTF-16 with a byte-order mark: decode it to
	// UTF-8 first. Other input is scanned as is (no transform on the hot path).
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(2); bytes.Equal(bom, []byte{0xFF, 0xFE}) || bytes.Equal(bom, []byte{0xFE, 0xFF}) {
		r = transform.NewReader(br, unicode.BOMOverride(transform.Nop))
		encoding = EncodingUTF8
	} else {
		r = br
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256<<10), MaxLineLength)
	sc.Split(textline.Split)

	return &lineReader{sc: sc, encoding: encoding, dec: &charmapDecoder{}}
}

// next returns the next line as UTF-8 text. The slice is valid until the
// following call. ok is false at the end of input or on error (see err).
func (lr *lineReader) next() (text []byte, ok bool) {
	if !lr.sc.Scan() {
		return nil, false
	}

	lr.line++
	b := lr.sc.Bytes()
	if lr.line == 1 {
		b = bytes.TrimPrefix(b, utf8BOM)
	}

	switch lr.encoding {
	case EncodingWindows1252:
		return lr.dec.decode(b), true
	case EncodingUTF8:
		if utf8.Valid(b) {
			return b, true
		}

		lr.buf = append(lr.buf[:0], bytes.ToValidUTF8(b, []byte("\uFFFD"))...)

		return lr.buf, true
	}

	if !lr.switched {
		if utf8.Valid(b) {
			return b, true
		}

		lr.switched = true
	}

	return lr.dec.decode(b), true
}

func (lr *lineReader) err() error { return lr.sc.Err() }

// charmapDecoder decodes Windows-1252 bytes to UTF-8 without allocating per line.
type charmapDecoder struct{ buf []byte }

func (d *charmapDecoder) decode(b []byte) []byte {
	d.buf = d.buf[:0]
	for _, c := range b {
		if c < utf8.RuneSelf {
			d.buf = append(d.buf, c)

			continue
		}

		d.buf = utf8.AppendRune(d.buf, charmap.Windows1252.DecodeByte(c))
	}

	return d.buf
}
