package gsi

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// maxData is the largest magnitude that fits 16 data characters.
const maxData = 9999999999999999

// Write writes the points of ds as GSI-16 coordinate records, one per line
// with CRLF endings:
//
//	*110001+<16-char id> 81..00+<E> 82..00+<N> 83..00+<H> 71....+<code>
//
// The 83 word is left out when the elevation is unknown. Codes are written in
// word 71 when GSI can hold them (at most 16 characters, no spaces, no leading
// '0' that a reader would take as padding); other codes are left out. Lines
// and surfaces are not written: GSI has no place for them. An id that cannot
// be written (empty, longer than 16 characters, containing a space) is an
// error.
func Write(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) error {
	bw := bufio.NewWriterSize(w, 64*1024)
	unit, scale := byte('0'), 1000.0
	if s.TenthMillimetre {
		unit, scale = '6', 10000.0
	}

	buf := make([]byte, 0, 160)
	for i := range ds.Points {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		p := &ds.Points[i]
		if err := checkField(p.ID); err != nil {
			return fmt.Errorf("gsi: point %d id %q: %w", i+1, p.ID, err)
		}

		buf = append(buf[:0], '*', '1', '1')
		buf = appendPadded(buf, int64((i+1)%10000), 4)
		buf = append(buf, '+')
		buf = appendField(buf, p.ID)

		var err error
		if buf, err = appendCoord(buf, "81", unit, p.E, scale); err != nil {
			return fmt.Errorf("gsi: point %q: %w", p.ID, err)
		}

		if buf, err = appendCoord(buf, "82", unit, p.N, scale); err != nil {
			return fmt.Errorf("gsi: point %q: %w", p.ID, err)
		}

		if p.HasZ {
			if buf, err = appendCoord(buf, "83", unit, p.Z, scale); err != nil {
				return fmt.Errorf("gsi: point %q: %w", p.ID, err)
			}
		}

		if p.Code != "" && checkField(p.Code) == nil && p.Code[0] != '0' {
			buf = append(buf, " 71....+"...)
			buf = appendField(buf, p.Code)
		}

		buf = append(buf, ' ', '\r', '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("gsi: write: %w", err)
		}
	}

	if err := bw.Flush(); err != nil {
		return fmt.Errorf("gsi: write: %w", err)
	}

	return nil
}

// checkField reports why s cannot fill a 16-character GSI data field.
func checkField(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty (GSI needs a point id)")
	case len(s) > 16:
		return fmt.Errorf("longer than 16 bytes")
	case strings.ContainsAny(s, " \t\r\n*"):
		return fmt.Errorf("contains a space or '*'")
	}

	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return fmt.Errorf("contains a non-ASCII or control character")
		}
	}

	return nil
}

// appendField right-aligns s in 16 characters padded with '0'.
func appendField(buf []byte, s string) []byte {
	for range 16 - len(s) {
		buf = append(buf, '0')
	}

	return append(buf, s...)
}

// appendPadded writes n with leading zeros to width digits.
func appendPadded(buf []byte, n int64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], n, 10)
	for range width - len(d) {
		buf = append(buf, '0')
	}

	return append(buf, d...)
}

// appendCoord writes " WI..U±DDDDDDDDDDDDDDDD" for a value in metres.
func appendCoord(buf []byte, wi string, unit byte, v, scale float64) ([]byte, error) {
	n := math.Round(v * scale)
	if math.IsNaN(n) || math.Abs(n) > maxData {
		return buf, fmt.Errorf("word %s: value %g does not fit 16 digits", wi, v)
	}

	buf = append(buf, ' ')
	buf = append(buf, wi...)
	buf = append(buf, '.', '.', '0', unit)
	if n < 0 {
		buf = append(buf, '-')
		n = -n
	} else {
		buf = append(buf, '+')
	}

	return appendPadded(buf, int64(n), 16), nil
}
