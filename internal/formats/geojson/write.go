package geojson

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/backsight/backsight/internal/formats/internal/numtext"
	"github.com/backsight/backsight/internal/survey"
)

// WriteSettings controls how a dataset is written.
type WriteSettings struct {
	// CRS names the coordinate system for a legacy "crs" member; empty uses
	// the dataset's CRS. Longitude/latitude names (OGC:CRS84, EPSG:4326)
	// and "none" write no crs member.
	CRS string
	// Decimals fixes the digits after the decimal point; 0 writes the
	// shortest text that reads back to the same float64.
	Decimals int
	// Unit is the unit projected coordinates are written in; empty means metres.
	Unit survey.Unit
	// SkipSurfaces leaves surfaces out (with no warning) instead of writing
	// each as a MultiPolygon of triangles.
	SkipSurfaces bool
}

// Write writes the dataset as a FeatureCollection: points as Point features
// with "id" and "code" properties (plus their attributes), lines as
// LineString (or Polygon when closed) features with "code" and "name", and
// surfaces as MultiPolygon features of triangles with "kind": "surface".
// Elevations are kept; a position without one has two numbers. The output
// is deterministic.
func Write(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	gw := &writer{bw: bw, dec: s.Decimals}
	unit := s.Unit
	if unit == survey.UnitUnknown {
		unit = survey.Metre
	}

	gw.factor = 1 / unit.Metres()
	crs := s.CRS
	if crs == "" {
		crs = ds.CRS
	}

	switch crs {
	case "OGC:CRS84", "EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84":
		gw.factor = 1 // degrees are not scaled
		gw.raw(`{"type":"FeatureCollection","features":[`)
	case "", "none":
		gw.raw(`{"type":"FeatureCollection","features":[`)
	default:
		gw.raw(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":`)
		gw.str(crs)
		gw.raw(`}},"features":[`)
	}

	if err := checkFinite(ds); err != nil {
		return err
	}

	for i := range ds.Points {
		if i%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		gw.point(&ds.Points[i])
	}

	for i := range ds.Lines {
		gw.line(&ds.Lines[i])
	}

	if !s.SkipSurfaces {
		for i := range ds.Surfaces {
			gw.surface(&ds.Surfaces[i])
		}
	}

	gw.raw("\n]}\n")
	if gw.err != nil {
		return gw.err
	}

	return bw.Flush()
}

type writer struct {
	bw     *bufio.Writer
	dec    int
	factor float64
	n      int
	err    error
	buf    []byte
}

func (w *writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.bw.WriteString(s)
	}
}

func (w *writer) flush(b []byte) {
	if w.err == nil {
		_, w.err = w.bw.Write(b)
	}

	w.buf = b[:0]
}

func (w *writer) str(s string) { w.flush(appendString(w.buf[:0], s)) }

func (w *writer) start(b []byte) []byte {
	if w.n > 0 {
		b = append(b, ',')
	}

	w.n++

	return append(b, "\n{\"type\":\"Feature\","...)
}

func (w *writer) num(b []byte, v float64) []byte {
	return numtext.AppendLength(b, v*w.factor, w.dec)
}

func (w *writer) pos(b []byte, e, n, z float64, hasZ bool) []byte {
	b = append(b, '[')
	b = w.num(b, e)
	b = append(b, ',')
	b = w.num(b, n)
	if hasZ {
		b = append(b, ',')
		b = w.num(b, z)
	}

	return append(b, ']')
}

func (w *writer) point(p *survey.Point) {
	b := w.start(w.buf[:0])
	b = append(b, `"geometry":{"type":"Point","coordinates":`...)
	b = w.pos(b, p.E, p.N, p.Z, p.HasZ)
	b = append(b, `},"properties":{"id":`...)
	b = appendString(b, p.ID)
	b = append(b, `,"code":`...)
	b = appendString(b, p.Code)
	if len(p.Attrs) > 0 {
		keys := make([]string, 0, len(p.Attrs))
		for k := range p.Attrs {
			if k != "id" && k != "code" {
				keys = append(keys, k)
			}
		}

		sort.Strings(keys)
		for _, k := range keys {
			b = append(b, ',')
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, p.Attrs[k])
		}
	}

	w.flush(append(b, "}}"...))
}

func (w *writer) ring(b []byte, vs []survey.Vertex, closed bool) []byte {
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}

		b = w.pos(b, v.E, v.N, v.Z, v.HasZ)
	}

	if closed && len(vs) > 0 {
		b = append(b, ',')
		b = w.pos(b, vs[0].E, vs[0].N, vs[0].Z, vs[0].HasZ)
	}

	return append(b, ']')
}

func (w *writer) line(l *survey.Line) {
	b := w.start(w.buf[:0])
	closed := l.Closed && len(l.Vertices) >= 3
	if closed {
		b = append(b, `"geometry":{"type":"Polygon","coordinates":[`...)
		b = w.ring(b, l.Vertices, true)
		b = append(b, ']')
	} else {
		b = append(b, `"geometry":{"type":"LineString","coordinates":`...)
		b = w.ring(b, l.Vertices, false)
	}

	b = append(b, `},"properties":{"code":`...)
	b = appendString(b, l.Code)
	b = append(b, `,"name":`...)
	b = appendString(b, l.Name)
	w.flush(append(b, "}}"...))
}

func (w *writer) surface(s *survey.Surface) {
	b := w.start(w.buf[:0])
	b = append(b, `"geometry":{"type":"MultiPolygon","coordinates":[`...)
	n := 0
	for _, t := range s.Triangles {
		if t[0] < 0 || t[1] < 0 || t[2] < 0 || t[0] >= len(s.Vertices) || t[1] >= len(s.Vertices) ||
			t[2] >= len(s.Vertices) {
			continue
		}

		if n > 0 {
			b = append(b, ',')
		}

		n++
		b = append(b, '[')
		b = w.ring(b, []survey.Vertex{s.Vertices[t[0]], s.Vertices[t[1]], s.Vertices[t[2]]}, true)
		b = append(b, ']')
	}

	b = append(b, `]},"properties":{"kind":"surface","name":`...)
	b = appendString(b, s.Name)
	w.flush(append(b, "}}"...))
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}

			i++

			continue
		}

		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}

		i += size
	}

	return append(b, '"')
}

// checkFinite refuses NaN and infinite coordinates, which JSON cannot hold.
func checkFinite(ds *survey.Dataset) error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	badVertex := func(v survey.Vertex) bool { return bad(v.E) || bad(v.N) || (v.HasZ && bad(v.Z)) }
	for _, p := range ds.Points {
		if bad(p.E) || bad(p.N) || (p.HasZ && bad(p.Z)) {
			return fmt.Errorf("geojson: point %q: coordinate is not a finite number", p.ID)
		}
	}

	for _, l := range ds.Lines {
		for _, v := range l.Vertices {
			if badVertex(v) {
				return fmt.Errorf("geojson: line %q: coordinate is not a finite number", l.Name)
			}
		}
	}

	for _, s := range ds.Surfaces {
		for _, v := range s.Vertices {
			if badVertex(v) {
				return fmt.Errorf("geojson: surface %q: coordinate is not a finite number", s.Name)
			}
		}
	}

	return nil
}
