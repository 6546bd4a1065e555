package dxf

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// decodeEscapes replaces \U+XXXX and \M+nXXXX escapes with their characters.
func decodeEscapes(s string) string {
	if !strings.Contains(s, `\U+`) && !strings.Contains(s, `\M+`) &&
		!strings.Contains(s, `\u+`) && !strings.Contains(s, `\m+`) {
		return s
	}

	var b strings.Builder
	for i := 0; i < len(s); {
		if r, n := escapeAt(s, i); n > 0 {
			b.WriteString(r)
			i += n

			continue
		}

		b.WriteByte(s[i])
		i++
	}

	return b.String()
}

// escapeAt decodes a \U+XXXX or \M+nXXXX escape at s[i]; n is 0 when there
// is none.
func escapeAt(s string, i int) (string, int) {
	if i+3 > len(s) || s[i] != '\\' || s[i+2] != '+' {
		return "", 0
	}

	switch s[i+1] {
	case 'U', 'u':
		if i+7 > len(s) {
			return "", 0
		}

		v, err := strconv.ParseUint(s[i+3:i+7], 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return "", 0
		}

		return string(rune(v)), 7
	case 'M', 'm':
		if i+8 > len(s) {
			return "", 0
		}

		v, err := strconv.ParseUint(s[i+4:i+8], 16, 16)
		enc := mbcsEncoding(s[i+3])
		if err != nil || enc == nil {
			return "", 0
		}

		out, err := enc.NewDecoder().String(string([]byte{byte(v >> 8), byte(v)}))
		if err != nil {
			return "", 0
		}

		return out, 8
	}

	return "", 0
}

// mbcsEncoding maps the n of \M+n to its code page.
func mbcsEncoding(n byte) encoding.Encoding {
	switch n {
	case '1':
		return japanese.ShiftJIS
	case '2':
		return traditionalchinese.Big5
	case '3':
		return korean.EUCKR
	case '5':
		return simplifiedchinese.GBK
	}

	return nil
}

// decodeText decodes TEXT control codes: %%d, %%c, %%p, %%%, %%nnn, the
// %%u/%%o toggles, and the \U+ escapes.
func decodeText(s string) string {
	s = decodeEscapes(s)
	if !strings.Contains(s, "%%") {
		return s
	}

	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+2 >= len(s) || s[i+1] != '%' {
			b.WriteByte(s[i])

			continue
		}

		c := s[i+2]
		switch c {
		case 'd', 'D':
			b.WriteString("°")
		case 'c', 'C':
			b.WriteString("Ø")
		case 'p', 'P':
			b.WriteString("±")
		case '%':
			b.WriteByte('%')
		case 'u', 'U', 'o', 'O', 'k', 'K':
			// underline, overline, strike-through toggles
		default:
			j := i + 2
			for j < len(s) && j < i+5 && s[j] >= '0' && s[j] <= '9' {
				j++
			}

			if j == i+2 {
				b.WriteString("%%")
				i++

				continue
			}

			n, _ := strconv.Atoi(s[i+2 : j])
			b.WriteRune(rune(n))
			i = j - 1

			continue
		}

		i += 2
	}

	return b.String()
}

// stripMText removes MTEXT formatting: font, height, colour and other
// codes ending in ';', toggles, grouping braces and stacking, and turns
// paragraph breaks into spaces. It then decodes the TEXT control codes.
func stripMText(s string) string {
	s = decodeEscapes(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' || c == '}':
			continue
		case c != '\\' || i+1 >= len(s):
			b.WriteByte(c)

			continue
		}

		i++
		switch s[i] {
		case 'P', 'n':
			b.WriteByte(' ')
		case '~':
			b.WriteRune('\u00a0')
		case '\\', '{', '}':
			b.WriteByte(s[i])
		case 'L', 'l', 'O', 'o', 'K', 'k', 'N':
			// toggles
		case 'S':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 {
				end = len(s) - i
			}

			b.WriteString(strings.NewReplacer("^", "/", "#", "/").Replace(s[i+1 : i+end]))
			i += end
		case 'f', 'F', 'H', 'h', 'C', 'c', 'T', 't', 'Q', 'q', 'W', 'w', 'A', 'a', 'p':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 {
				end = len(s) - i
			}

			i += end
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}

	return strings.TrimSpace(decodeText(b.String()))
}
