package dxf

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/backsight/backsight/internal/formats/internal/numtext"
	"github.com/backsight/backsight/internal/survey"
)

// writer formats R12 ASCII DXF.
type writer struct {
	bw    *bufio.Writer
	buf   []byte
	scale float64 // metres per drawing unit
	dec   int
	err   error
	// layers maps an upper-case layer name to its spelling in the table.
	layers map[string]string
}

// Write writes ds as an R12 (AC1009) ASCII DXF drawing with $DWGCODEPAGE
// ANSI_1252 and CRLF line endings. Each code becomes a layer (TABLES LAYER;
// characters that layer names cannot hold become '_', an empty code is layer
// "0"). Points are POINT entities with a TEXT label holding the id at the
// same position (so that PairLabels reads them back); lines are POLYLINEs
// (3-D, flag 8, when any vertex has an elevation, else 2-D); surface
// triangles are 3DFACEs on a layer named after the surface. Text outside
// Windows-1252 is written as \U+XXXX. Output depends only on ds and s.
func Write(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) error {
	wr := &writer{bw: bufio.NewWriterSize(w, 256<<10), dec: s.Decimals}
	unit := s.Unit
	if unit == "" {
		unit = survey.Metre
	}

	wr.scale = unit.Metres()
	wr.header()
	wr.tables(ds)
	wr.group(0, "SECTION")
	wr.group(2, "ENTITIES")
	if err := wr.points(ctx, ds.Points, s); err != nil {
		return err
	}

	for _, l := range ds.Lines {
		wr.line(l)
	}

	for _, sf := range ds.Surfaces {
		if err := ctx.Err(); err != nil {
			return err
		}

		wr.surface(sf)
	}

	wr.group(0, "ENDSEC")
	wr.group(0, "EOF")
	if wr.err != nil {
		return wr.err
	}

	if err := wr.bw.Flush(); err != nil {
		return fmt.Errorf("dxf: write: %w", err)
	}

	return nil
}

// group writes one code/value pair.
func (wr *writer) group(code int, val string) {
	b := wr.buf[:0]
	if code < 10 {
		b = append(b, ' ', ' ')
	} else if code < 100 {
		b = append(b, ' ')
	}

	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, '\r', '\n')
	b = append(b, val...)
	b = append(b, '\r', '\n')
	wr.buf = b
	wr.bw.Write(b)
}

// num writes a coordinate group in drawing units.
func (wr *writer) num(code int, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if wr.err == nil {
			wr.err = fmt.Errorf("dxf: coordinate %v is not a finite number", v)
		}

		v = 0
	}

	v /= wr.scale
	if v == 0 {
		v = 0
	}

	var tmp [32]byte
	wr.group(code, string(numtext.AppendLength(tmp[:0], v, wr.dec)))
}

func (wr *writer) xyz(base int, e, n, z float64, hasZ bool) {
	wr.num(base, e)
	wr.num(base+10, n)
	if hasZ {
		wr.num(base+20, z)
	}
}

// header writes $ACADVER and $DWGCODEPAGE. $INSUNITS is left out: R12 has
// no such variable, and readers do not trust it anyway.
func (wr *writer) header() {
	wr.group(0, "SECTION")
	wr.group(2, "HEADER")
	wr.group(9, "$ACADVER")
	wr.group(1, "AC1009")
	wr.group(9, "$DWGCODEPAGE")
	wr.group(3, "ANSI_1252")
	wr.group(0, "ENDSEC")
}

// layerName turns a code into a layer name.
func layerName(code string) string {
	if strings.TrimSpace(code) == "" {
		return "0"
	}

	return encodeText(strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`<>/\":;?*|=,`+"`", r) {
			return '_'
		}

		return r
	}, code))
}

// encodeText encodes s in Windows-1252 with \U+XXXX for other characters.
func encodeText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			ascii = false

			break
		}
	}

	if ascii {
		return s
	}

	var b []byte
	for _, r := range s {
		switch {
		case r < 0x20:
			b = append(b, ' ')
		case r < 0x80:
			b = append(b, byte(r))
		default:
			if c, ok := charmap.Windows1252.EncodeRune(r); ok {
				b = append(b, c)
			} else if r <= 0xFFFF {
				b = fmt.Appendf(b, `\U+%04X`, r)
			} else {
				b = append(b, '?') // \U+ holds only 4 hex digits
			}
		}
	}

	return string(b)
}

// tables writes the layer table. Layer names are case-insensitive in CAD
// programs, so codes that differ only in case ("tree", "TREE") share one
// layer, spelled as the first of them in the dataset; two table entries of
// one name would make the drawing invalid.
func (wr *writer) tables(ds *survey.Dataset) {
	wr.layers = map[string]string{"0": "0"}
	add := func(n string) {
		if _, ok := wr.layers[strings.ToUpper(n)]; !ok {
			wr.layers[strings.ToUpper(n)] = n
		}
	}

	for _, p := range ds.Points {
		add(layerName(p.Code))
	}

	for _, l := range ds.Lines {
		add(layerName(l.Code))
	}

	for _, sf := range ds.Surfaces {
		add(surfaceLayer(sf))
	}

	names := make([]string, 0, len(wr.layers))
	for _, n := range wr.layers {
		names = append(names, n)
	}

	sort.Strings(names)
	wr.group(0, "SECTION")
	wr.group(2, "TABLES")
	wr.group(0, "TABLE")
	wr.group(2, "LTYPE")
	wr.group(70, "1")
	wr.group(0, "LTYPE")
	wr.group(2, "CONTINUOUS")
	wr.group(70, "0")
	wr.group(3, "Solid line")
	wr.group(72, "65")
	wr.group(73, "0")
	wr.group(40, "0.0")
	wr.group(0, "ENDTAB")
	wr.group(0, "TABLE")
	wr.group(2, "LAYER")
	wr.group(70, strconv.Itoa(len(names)))
	for _, n := range names {
		wr.group(0, "LAYER")
		wr.group(2, n)
		wr.group(70, "0")
		wr.group(62, "7")
		wr.group(6, "CONTINUOUS")
	}

	wr.group(0, "ENDTAB")
	wr.group(0, "ENDSEC")
}

// layer returns the table spelling of layer name n.
func (wr *writer) layer(n string) string {
	if c, ok := wr.layers[strings.ToUpper(n)]; ok {
		return c
	}

	return n
}

func surfaceLayer(sf survey.Surface) string {
	if strings.TrimSpace(sf.Name) == "" {
		return "0"
	}

	return layerName(sf.Name)
}

func (wr *writer) points(ctx context.Context, pts []survey.Point, s WriteSettings) error {
	h := s.TextHeight
	if h <= 0 {
		h = 0.2
	}

	var tmp [32]byte
	height := string(strconv.AppendFloat(tmp[:0], h, 'f', -1, 64))
	for i := range pts {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		p := &pts[i]
		layer := wr.layer(layerName(p.Code))
		wr.group(0, "POINT")
		wr.group(8, layer)
		wr.xyz(10, p.E, p.N, p.Z, p.HasZ)
		if s.NoLabels {
			continue
		}

		wr.label(layer, p.ID, p.E, p.N, p.Z, p.HasZ, height)
		step := h * 1.5 * wr.scale
		row := 1.0
		if s.LabelElevation && p.HasZ {
			wr.label(layer, strconv.FormatFloat(p.Z/wr.scale, 'f', 3, 64), p.E, p.N-row*step, p.Z,
				p.HasZ, height)
			row++
		}

		if s.LabelCode && p.Code != "" {
			wr.label(layer, p.Code, p.E, p.N-row*step, p.Z, p.HasZ, height)
		}
	}

	return nil
}

func (wr *writer) label(layer, text string, e, n, z float64, hasZ bool, height string) {
	wr.group(0, "TEXT")
	wr.group(8, layer)
	wr.xyz(10, e, n, z, hasZ)
	wr.group(40, height)
	if strings.Contains(text, "%%") {
		text = strings.ReplaceAll(text, "%", "%%%") // "%%%" reads back as one '%'
	}

	wr.group(1, encodeText(text))
}

func (wr *writer) line(l survey.Line) {
	if len(l.Vertices) < 2 {
		return
	}

	is3D := false
	for _, v := range l.Vertices {
		is3D = is3D || v.HasZ
	}

	flags := 0
	if is3D {
		flags = pl3D
	}

	if l.Closed {
		flags |= plClosed
	}

	layer := wr.layer(layerName(l.Code))
	wr.group(0, "POLYLINE")
	wr.group(8, layer)
	wr.group(66, "1")
	wr.group(10, "0.0")
	wr.group(20, "0.0")
	if is3D {
		wr.group(30, "0.0")
	}

	wr.group(70, strconv.Itoa(flags))
	for _, v := range l.Vertices {
		wr.group(0, "VERTEX")
		wr.group(8, layer)
		wr.xyz(10, v.E, v.N, v.Z, is3D)
		if is3D {
			wr.group(70, "32")
		}
	}

	wr.group(0, "SEQEND")
	wr.group(8, layer)
}

func (wr *writer) surface(sf survey.Surface) {
	layer := wr.layer(surfaceLayer(sf))
	for _, t := range sf.Triangles {
		ok := true
		for _, k := range t {
			ok = ok && k >= 0 && k < len(sf.Vertices)
		}

		if !ok {
			if wr.err == nil {
				wr.err = fmt.Errorf("dxf: surface %q: triangle index out of range", sf.Name)
			}

			return
		}

		wr.group(0, "3DFACE")
		wr.group(8, layer)
		for i, k := range [4]int{t[0], t[1], t[2], t[2]} {
			v := sf.Vertices[k]
			wr.xyz(10+i, v.E, v.N, v.Z, true)
		}
	}
}
