package gsi

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/backsight/backsight/internal/survey"
)

// maxWarnings caps the per-point warnings of one export; a summary counts
// the rest.
const maxWarnings = 1000

// Write writes the points of ds as GSI coordinate records; it is
// [WriteWarnings] without the warnings. Callers that can show warnings
// should use WriteWarnings.
func Write(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) error {
	_, err := WriteWarnings(ctx, w, ds, s)

	return err
}

// WriteWarnings writes the points of ds as GSI-16 (or, with s.GSI8, GSI-8)
// coordinate records, one per line with CRLF endings:
//
//	*110001+<16-char id> 81..00+<E> 82..00+<N> 83..00+<H> 71....+<code>
//
// The 83 word is left out when the elevation is unknown. Lines and surfaces
// are not written: GSI has no place for them.
//
// A GSI word holds printable ASCII without spaces, at most 16 (GSI-8: 8)
// characters. An id or code that does not fit is written changed, never
// dropped and never a reason to fail the export: spaces become '_', accented
// letters lose their accents (é→e, ß→ss), other characters become '_'; a
// long id keeps its last characters (where point numbers usually differ), a
// long code its first; an empty id gets the record number; a changed id that
// would clash with another gets a suffix _2, _3... Each changed id is
// returned as a warning naming the point, and so is an id with a leading
// '0' (GSI readers take it for padding). Codes repeat over many points, so
// one warning sums up the changed codes and another those with a leading
// '0': how many codes on how many points, and the first few of them.
func WriteWarnings(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) ([]survey.Warning, error) {
	width := 16
	if s.GSI8 {
		width = 8
	}

	unit, scale := byte('0'), 1000.0
	if s.TenthMillimetre {
		unit, scale = '6', 10000.0
	}

	ids := newIDMap(ds.Points, width)
	warns := &warnList{width: width}
	bw := bufio.NewWriterSize(w, 64*1024)
	buf := make([]byte, 0, 160)
	for i := range ds.Points {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return warns.list(), err
			}
		}

		p := &ds.Points[i]
		id := ids.id(i, p.ID, warns)
		buf = buf[:0]
		if width == 16 {
			buf = append(buf, '*')
		}

		buf = append(buf, '1', '1')
		buf = appendPadded(buf, int64((i+1)%10000), 4)
		buf = append(buf, '+')
		buf = appendField(buf, id, width)

		var err error
		if buf, err = appendCoord(buf, "81", unit, p.E, scale, width); err != nil {
			return warns.list(), fmt.Errorf("gsi: point %q: %w", p.ID, err)
		}

		if buf, err = appendCoord(buf, "82", unit, p.N, scale, width); err != nil {
			return warns.list(), fmt.Errorf("gsi: point %q: %w", p.ID, err)
		}

		if p.HasZ {
			if buf, err = appendCoord(buf, "83", unit, p.Z, scale, width); err != nil {
				return warns.list(), fmt.Errorf("gsi: point %q: %w", p.ID, err)
			}
		}

		if code := codeField(p.Code, width); code != "" {
			if code != p.Code {
				warns.changed.add(p.Code, code)
			} else if unpadded(code) != code {
				warns.padded.add(code, unpadded(code))
			}

			buf = append(buf, " 71...."...)
			buf = append(buf, '+')
			buf = appendField(buf, code, width)
		}

		buf = append(buf, ' ', '\r', '\n')
		if _, err := bw.Write(buf); err != nil {
			return warns.list(), fmt.Errorf("gsi: write: %w", err)
		}
	}

	if err := bw.Flush(); err != nil {
		return warns.list(), fmt.Errorf("gsi: write: %w", err)
	}

	return warns.list(), nil
}

// why says why an id or code was changed.
func why(width int) string {
	return fmt.Sprintf("GSI words hold at most %d ASCII characters without spaces", width)
}

func unpadded(s string) string {
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t
	}

	return "0"
}

// warnList collects warnings up to maxWarnings and counts the rest, and
// the codes written changed or with a leading '0', which it sums up.
type warnList struct {
	w       []survey.Warning
	more    int
	width   int
	changed codeSet // codes written changed, to what they became
	padded  codeSet // codes with a leading '0', to what they read back as
}

func (l *warnList) add(i int, id, msg string) {
	if len(l.w) >= maxWarnings {
		l.more++

		return
	}

	l.w = append(l.w, survey.Warning{Element: fmt.Sprintf("point %d %q", i+1, id), Msg: msg})
}

// list returns the code summaries first, then the warnings about ids.
func (l *warnList) list() []survey.Warning {
	var out []survey.Warning
	if l.changed.points > 0 {
		out = append(out, survey.Warning{Msg: fmt.Sprintf("changed %s (%s): %s",
			l.changed.counts(), why(l.width), l.changed.examples("written as"))})
	}

	if l.padded.points > 0 {
		out = append(out, survey.Warning{Msg: fmt.Sprintf("a leading '0' in %s, which GSI "+
			"readers take for padding: %s", l.padded.counts(), l.padded.examples("reads back as"))})
	}

	out = append(out, l.w...)
	if l.more > 0 {
		out = append(out, survey.Warning{Msg: fmt.Sprintf("%d more warnings about point ids",
			l.more)})
	}

	return out
}

// shownCodes is how many codes a summary names.
const shownCodes = 3

// codeSet gathers the distinct codes of one kind of change and counts the
// points that have them.
type codeSet struct {
	points int
	codes  []string          // distinct codes, in order of first appearance
	to     map[string]string // code to what it is written as or reads back as
}

func (c *codeSet) add(code, to string) {
	c.points++
	if _, ok := c.to[code]; ok {
		return
	}

	if c.to == nil {
		c.to = map[string]string{}
	}

	c.codes = append(c.codes, code)
	c.to[code] = to
}

// counts says "3 codes on 5 points".
func (c *codeSet) counts() string {
	return survey.Plural(len(c.codes), "code", "codes") + " on " +
		survey.Plural(c.points, "point", "points")
}

// examples names the first codes: `"A B" written as "A_B", "C D" as "C_D"
// and 4 more`.
func (c *codeSet) examples(verb string) string {
	var b strings.Builder
	for i, code := range c.codes[:min(len(c.codes), shownCodes)] {
		if i > 0 {
			b.WriteString(", ")
			verb = "as"
		}

		fmt.Fprintf(&b, "%q %s %q", code, verb, c.to[code])
	}

	if n := len(c.codes) - shownCodes; n > 0 {
		fmt.Fprintf(&b, " and %d more", n)
	}

	return b.String()
}

// idMap gives every point the id it is written with.
type idMap struct {
	width int
	// taken holds every id written, when some id must change (nil otherwise).
	taken map[string]bool
}

func newIDMap(points []survey.Point, width int) *idMap {
	m := &idMap{width: width}
	changes := false
	for i := range points {
		if !fits(points[i].ID, width) {
			changes = true

			break
		}
	}

	if !changes {
		return m
	}

	// Ids written unchanged keep their id; changed ones must avoid them.
	m.taken = make(map[string]bool, len(points))
	for i := range points {
		if fits(points[i].ID, width) {
			m.taken[points[i].ID] = true
		}
	}

	return m
}

func (m *idMap) id(i int, id string, warns *warnList) string {
	if fits(id, m.width) {
		if unpadded(id) != id {
			warns.add(i, id, fmt.Sprintf("point id %q has a leading '0' that GSI readers take "+
				"for padding; it reads back as %q", id, unpadded(id)))
		}

		return id
	}

	cand := ascii(id)
	if len(cand) > m.width {
		cand = cand[len(cand)-m.width:]
	}

	if cand == "" {
		cand = strconv.Itoa(i + 1)
	}

	for k := 2; m.taken[cand]; k++ {
		suf := "_" + strconv.Itoa(k)
		base := ascii(id)
		if base == "" {
			base = strconv.Itoa(i + 1)
		}

		if len(base)+len(suf) > m.width {
			base = base[len(base)-(m.width-len(suf)):]
		}

		cand = base + suf
	}

	m.taken[cand] = true
	if id == "" {
		warns.add(i, id, fmt.Sprintf("point without an id written as %q (GSI needs a point id)", cand))
	} else {
		warns.add(i, id, fmt.Sprintf("point id %q written as %q (%s)", id, cand, why(m.width)))
	}

	return cand
}

// codeField is the code as GSI can hold it: ASCII without spaces, at most
// width characters (the first ones kept).
func codeField(code string, width int) string {
	if fits(code, width) || code == "" {
		return code
	}

	c := ascii(code)
	if len(c) > width {
		c = c[:width]
	}

	return c
}

// fits reports whether s can fill a GSI data field unchanged.
func fits(s string, width int) bool {
	if s == "" || len(s) > width {
		return false
	}

	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == '*' {
			return false
		}
	}

	return true
}

// special are letters that lose no accent under decomposition.
var special = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "AE", "ø", "o", "Ø", "O",
	"œ", "oe", "Œ", "OE", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "þ", "th", "Þ", "TH")

// ascii transliterates s to printable ASCII without spaces: accents are
// removed, spaces and anything else become '_'.
func ascii(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, special.Replace(s)); err == nil {
		s = out
	}

	return strings.Map(func(r rune) rune {
		if r <= ' ' || r >= 0x7f || r == '*' {
			return '_'
		}

		return r
	}, s)
}

// appendField right-aligns s in width characters padded with '0'.
func appendField(buf []byte, s string, width int) []byte {
	for range width - len(s) {
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

// appendCoord writes " WI..U±DDDD..." for a value in metres, with width digits.
func appendCoord(buf []byte, wi string, unit byte, v, scale float64, width int) ([]byte, error) {
	n := math.Round(v * scale)
	if math.IsNaN(n) || math.Abs(n) >= math.Pow10(width) {
		return buf, fmt.Errorf("word %s: value %g does not fit %d digits", wi, v, width)
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

	return appendPadded(buf, int64(n), width), nil
}
