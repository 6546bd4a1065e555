package landxml

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/backsight/backsight/internal/formats/internal/numtext"
	"github.com/backsight/backsight/internal/survey"
)

// writer formats a dataset as LandXML 1.2.
type writer struct {
	bw    *bufio.Writer
	buf   []byte
	scale float64 // metres per output unit
	dec   int
}

// Write writes ds as a LandXML 1.2 document in UTF-8 without a BOM:
// Units, CoordinateSystem (when ds.CRS is set), Application, CgPoints in
// N E Z order (no Z when unknown), one TIN Surface per surface with 1-based
// contiguous P ids, and one PlanFeature per line. Output depends only on ds
// and s. A point's Attrs["desc"] is written as its desc attribute.
func Write(ctx context.Context, w io.Writer, ds *survey.Dataset, s WriteSettings) error {
	wr := &writer{bw: bufio.NewWriterSize(w, 256*1024), buf: make([]byte, 0, 512), dec: s.Decimals}
	unit := s.Unit
	if unit == "" {
		unit = survey.Metre
	}

	wr.scale = unit.Metres()
	wr.header(ds, s, unit)
	if err := wr.points(ctx, ds.Points); err != nil {
		return err
	}

	if err := wr.surfaces(ctx, ds.Surfaces); err != nil {
		return err
	}

	wr.lines(ds.Lines)
	wr.str("</LandXML>\n")
	if err := wr.bw.Flush(); err != nil {
		return fmt.Errorf("landxml: write: %w", err)
	}

	return nil
}

func (wr *writer) str(s string) { wr.bw.WriteString(s) }

// attr writes ` name="escaped value"`.
func (wr *writer) attr(name, v string) {
	wr.buf = append(wr.buf[:0], ' ')
	wr.buf = append(wr.buf, name...)
	wr.buf = append(wr.buf, '=', '"')
	wr.buf = appendEscaped(wr.buf, v)
	wr.buf = append(wr.buf, '"')
	wr.bw.Write(wr.buf)
}

func (wr *writer) header(ds *survey.Dataset, s WriteSettings, unit survey.Unit) {
	date, tm := s.Date, s.Time
	if date == "" {
		date = "1970-01-01"
	}

	if tm == "" {
		tm = "00:00:00"
	}

	wr.str(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	wr.str(`<LandXML xmlns="` + Namespace12 + `"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
		` xsi:schemaLocation="` + Namespace12 + ` ` + Namespace12 + `/LandXML-1.2.xsd"`)
	wr.attr("date", date)
	wr.attr("time", tm)
	wr.str(` version="1.2" language="English" readOnly="false">` + "\n")

	wr.str("  <Units>\n")
	switch unit {
	case survey.Foot, survey.USSurveyFoot:
		lu := "foot"
		if unit == survey.USSurveyFoot {
			lu = "USSurveyFoot"
		}

		wr.str(`    <Imperial areaUnit="squareFoot" linearUnit="` + lu + `" volumeUnit="cubicYard"` +
			` temperatureUnit="fahrenheit" pressureUnit="inchHG" angularUnit="decimal degrees"` +
			` directionUnit="decimal degrees"/>` + "\n")
	default:
		wr.str(`    <Metric areaUnit="squareMeter" linearUnit="meter" volumeUnit="cubicMeter"` +
			` temperatureUnit="celsius" pressureUnit="milliBars" angularUnit="decimal degrees"` +
			` directionUnit="decimal degrees"/>` + "\n")
	}

	wr.str("  </Units>\n")
	if ds.CRS != "" {
		wr.str("  <CoordinateSystem")
		if code, ok := strings.CutPrefix(ds.CRS, "EPSG:"); ok && isDigits(code) {
			wr.attr("epsgCode", code)
		} else {
			wr.attr("desc", ds.CRS)
		}

		wr.str("/>\n")
	}

	if s.Project != "" {
		wr.str("  <Project")
		wr.attr("name", s.Project)
		wr.str("/>\n")
	}

	app := s.Application
	if app == "" {
		app = "Backsight"
	}

	wr.str("  <Application")
	wr.attr("name", app)
	wr.attr("manufacturer", app)
	if s.ApplicationVersion != "" {
		wr.attr("version", s.ApplicationVersion)
	}

	wr.str("/>\n")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}

	return s != ""
}

// appendNEZ writes "N E[ Z]" in output units.
func (wr *writer) appendNEZ(b []byte, e, n, z float64, hasZ bool) []byte {
	b = wr.appendNum(b, n)
	b = append(b, ' ')
	b = wr.appendNum(b, e)
	if hasZ {
		b = append(b, ' ')
		b = wr.appendNum(b, z)
	}

	return b
}

func (wr *writer) appendNum(b []byte, v float64) []byte {
	v /= wr.scale
	if v == 0 {
		v = 0 // no "-0"
	}

	return numtext.AppendLength(b, v, wr.dec)
}

func (wr *writer) points(ctx context.Context, pts []survey.Point) error {
	if len(pts) == 0 {
		return nil
	}

	wr.str("  <CgPoints>\n")
	for i := range pts {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		p := &pts[i]
		if err := finite(p.E, p.N, p.Z); err != nil {
			return fmt.Errorf("landxml: point %q: %w", p.ID, err)
		}

		b := append(wr.buf[:0], `    <CgPoint name="`...)
		b = appendEscaped(b, p.ID)
		b = append(b, '"')
		if p.Code != "" {
			b = append(b, ` code="`...)
			b = appendEscaped(b, p.Code)
			b = append(b, '"')
		}

		if d := p.Attrs["desc"]; d != "" {
			b = append(b, ` desc="`...)
			b = appendEscaped(b, d)
			b = append(b, '"')
		}

		b = append(b, '>')
		b = wr.appendNEZ(b, p.E, p.N, p.Z, p.HasZ)
		b = append(b, "</CgPoint>\n"...)
		wr.buf = b
		wr.bw.Write(b)
	}

	wr.str("  </CgPoints>\n")

	return nil
}

func finite(vs ...float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("coordinate %v is not a finite number", v)
		}
	}

	return nil
}

func (wr *writer) surfaces(ctx context.Context, surfs []survey.Surface) error {
	if len(surfs) == 0 {
		return nil
	}

	wr.str("  <Surfaces>\n")
	for si := range surfs {
		sf := &surfs[si]
		wr.str("    <Surface")
		wr.attr("name", sf.Name)
		wr.str(">\n      <Definition surfType=\"TIN\">\n        <Pnts>\n")
		for i, v := range sf.Vertices {
			if i%ctxEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}

			if err := finite(v.E, v.N, v.Z); err != nil {
				return fmt.Errorf("landxml: surface %q vertex %d: %w", sf.Name, i+1, err)
			}

			b := append(wr.buf[:0], `          <P id="`...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, '"', '>')
			b = wr.appendNEZ(b, v.E, v.N, v.Z, v.HasZ)
			b = append(b, "</P>\n"...)
			wr.buf = b
			wr.bw.Write(b)
		}

		wr.str("        </Pnts>\n        <Faces>\n")
		for i, t := range sf.Triangles {
			if t[0] < 0 || t[1] < 0 || t[2] < 0 || t[0] >= len(sf.Vertices) ||
				t[1] >= len(sf.Vertices) || t[2] >= len(sf.Vertices) {
				return fmt.Errorf("landxml: surface %q triangle %d: vertex index out of range", sf.Name, i)
			}

			b := append(wr.buf[:0], "          <F>"...)
			b = strconv.AppendInt(b, int64(t[0]+1), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(t[1]+1), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(t[2]+1), 10)
			b = append(b, "</F>\n"...)
			wr.buf = b
			wr.bw.Write(b)
		}

		wr.str("        </Faces>\n      </Definition>\n    </Surface>\n")
	}

	wr.str("  </Surfaces>\n")

	return nil
}

// lines writes each line with at least 2 vertices as a PlanFeature of
// Line segments; a closed line gets a last segment back to its start.
func (wr *writer) lines(lines []survey.Line) {
	if len(lines) == 0 {
		return
	}

	wr.str("  <PlanFeatures name=\"Lines\">\n")
	for _, l := range lines {
		vs := l.Vertices
		if len(vs) < 2 {
			continue
		}

		wr.str("    <PlanFeature")
		wr.attr("name", l.Name)
		if l.Code != "" {
			wr.attr("desc", l.Code)
		}

		wr.str(">\n      <CoordGeom>\n")
		n := len(vs) - 1
		if l.Closed {
			n++
		}

		for i := range n {
			a, b := vs[i], vs[(i+1)%len(vs)]
			buf := append(wr.buf[:0], "        <Line><Start>"...)
			buf = wr.appendNEZ(buf, a.E, a.N, a.Z, a.HasZ)
			buf = append(buf, "</Start><End>"...)
			buf = wr.appendNEZ(buf, b.E, b.N, b.Z, b.HasZ)
			buf = append(buf, "</End></Line>\n"...)
			wr.buf = buf
			wr.bw.Write(buf)
		}

		wr.str("      </CoordGeom>\n    </PlanFeature>\n")
	}

	wr.str("  </PlanFeatures>\n")
}

// appendEscaped escapes s for an attribute value or text node. Tabs and line
// breaks become character references so attribute normalisation keeps them;
// characters XML 1.0 cannot carry become U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' {
			b = append(b, c)
			i++

			continue
		}

		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t':
			b = append(b, "&#9;"...)
		case r == '\n':
			b = append(b, "&#10;"...)
		case r == '\r':
			b = append(b, "&#13;"...)
		case r < 0x20 || r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF:
			b = append(b, "\uFFFD"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}

	return b
}
