package landxml

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"

	"github.com/backsight/backsight/internal/survey"
)

// maxRun is the longest stretch of input without a '<', which bounds the
// size of any text node, attribute value or comment (a variable so that
// tests can lower it).
var maxRun = 32 << 20

// Limits that keep a hostile file from exhausting memory or stack.
const (
	// maxDepth is the deepest element nesting accepted.
	maxDepth = 256
	// ctxEvery is how many tokens pass between context checks.
	ctxEvery = 8192
)

// frame is one open element on the reader's stack.
type frame struct {
	local string
	name  string // name attribute of PlanFeature, Alignment, Parcel, collections
	code  string // code (else desc) attribute of the same
}

// coord is a parsed "N E [Z]" text, or a reference to a CgPoint.
type coord struct {
	n, e, z float64
	hasZ    bool
	ref     string
	ok      bool
}

// seg is one Line, Curve, Spiral or IrregularLine of a CoordGeom.
type seg struct {
	kind                   string
	start, end, center, pi coord
	list                   []coord // IrregularLine points between Start and End
	rot                    string
	line                   int
}

// rawLine is a CoordGeom waiting for references and unit conversion.
type rawLine struct {
	name, code string
	segs       []seg
	line       int
}

// pendingRef is a point whose coordinates come from another CgPoint.
type pendingRef struct {
	index int
	ref   string
	line  int
}

// reader carries the state of one Read call.
type reader struct {
	name    string
	s       ReadSettings
	dec     *xml.Decoder
	ds      *survey.Dataset
	stack   []frame
	scale   float64
	unitOK  bool
	angular string
	cg      map[string]int
	refs    []pendingRef
	lines   []rawLine
	cur     *rawLine
	surf    *rawSurface
	skipped map[string]int // CoordGeom children not supported
	sawRoot bool
}

// Read parses a LandXML document. name is used in errors and warnings.
// Coordinates are converted to metres; see the package documentation for
// what becomes a point, a line or a surface.
func Read(ctx context.Context, r io.Reader, name string, s ReadSettings) (*survey.Dataset, error) {
	rd := &reader{
		name:    name,
		s:       s,
		ds:      &survey.Dataset{},
		scale:   1,
		cg:      map[string]int{},
		skipped: map[string]int{},
	}

	if s.DefaultUnit != "" {
		rd.scale = s.DefaultUnit.Metres()
		rd.ds.SourceUnit = s.DefaultUnit
	}

	g := &guard{r: r}
	rd.dec = xml.NewDecoder(g)
	rd.dec.CharsetReader = charsetReader

	if err := rd.run(ctx, g); err != nil {
		return nil, err
	}

	rd.finish()

	return rd.ds, nil
}

// charsetReader decodes non-UTF-8 documents (Shift_JIS, Windows-1252…).
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(strings.TrimSpace(label))
	if err != nil {
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}

	return transform.NewReader(input, enc.NewDecoder()), nil
}

// run reads tokens until the end of the document.
func (rd *reader) run(ctx context.Context, g *guard) error {
	for n := 0; ; n++ {
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		tok, err := rd.dec.Token()
		if errors.Is(err, io.EOF) {
			if len(rd.stack) > 0 || !rd.sawRoot {
				return rd.fail("", "unexpected end of file (expected </LandXML>)", nil)
			}

			return nil
		}

		if err != nil {
			return rd.syntax(err, g)
		}

		switch t := tok.(type) {
		case xml.StartElement:
			if err := rd.start(t); err != nil {
				return rd.syntax(err, g)
			}
		case xml.EndElement:
			rd.end(t)
		}
	}
}

// syntax turns a decoder error into a ParseError with a line number.
func (rd *reader) syntax(err error, g *guard) error {
	var pe *survey.ParseError
	if errors.As(err, &pe) {
		return err
	}

	if g.err != nil {
		return rd.fail("", g.err.Error(), nil)
	}

	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &survey.ParseError{File: rd.name, Line: se.Line, Msg: "malformed XML: " + se.Msg}
	}

	return rd.fail("", "reading XML (expected a LandXML document)", err)
}

func (rd *reader) line() int {
	l, _ := rd.dec.InputPos()

	return l
}

func (rd *reader) fail(elem, msg string, err error) error {
	return &survey.ParseError{File: rd.name, Line: rd.line(), Element: elem, Msg: msg, Err: err}
}

func (rd *reader) warn(line int, elem, format string, args ...any) {
	rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{
		File: rd.name, Line: line, Element: elem, Msg: fmt.Sprintf(format, args...),
	})
}

func (rd *reader) parent() string {
	if len(rd.stack) == 0 {
		return ""
	}

	return rd.stack[len(rd.stack)-1].local
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}

	return ""
}

// start handles a start element. Elements decoded whole are not pushed.
func (rd *reader) start(t xml.StartElement) error {
	local := t.Name.Local
	if len(rd.stack) == 0 && local != "LandXML" {
		return rd.fail(local, fmt.Sprintf("root element is <%s> (expected <LandXML>)", clip(local)), nil)
	}

	rd.sawRoot = true
	if len(rd.stack) >= maxDepth {
		return rd.fail(local, fmt.Sprintf("elements nested deeper than %d", maxDepth), nil)
	}

	parent := rd.parent()
	switch {
	case local == "CgPoint":
		return rd.cgPoint(t)
	case local == "RawObservation":
		return rd.rawObservation(t)
	case (local == "Metric" || local == "Imperial") && parent == "Units":
		rd.units(t)
	case local == "CoordinateSystem":
		rd.ds.CRS = crsText(t)
	case local == "Surface":
		rd.surf = newSurface(attr(t, "name"), rd.line())
	case local == "P" && parent == "Pnts" && rd.surf != nil:
		return rd.surfacePoint(t)
	case local == "F" && parent == "Faces" && rd.surf != nil:
		return rd.surfaceFace(t)
	case local == "CoordGeom":
		rd.beginLine()
	case parent == "CoordGeom" && rd.cur != nil:
		return rd.segment(t)
	}

	f := frame{local: local}
	switch local {
	case "ObservationGroup":
		f.code = attr(t, "setupID")
	case "PlanFeature", "Alignment", "Parcel", "PlanFeatures", "Alignments", "Parcels":
		f.name = attr(t, "name")
		f.code = attr(t, "code")
		if f.code == "" {
			f.code = attr(t, "desc")
		}
	}

	rd.stack = append(rd.stack, f)

	return nil
}

// end handles an end element of a pushed frame.
func (rd *reader) end(t xml.EndElement) {
	if len(rd.stack) == 0 {
		return
	}

	rd.stack = rd.stack[:len(rd.stack)-1]
	switch t.Name.Local {
	case "Surface":
		if rd.surf != nil {
			rd.surf.finish(rd)
			rd.surf = nil
		}
	case "CoordGeom":
		if rd.cur != nil && len(rd.cur.segs) > 0 {
			rd.lines = append(rd.lines, *rd.cur)
		}

		rd.cur = nil
	}
}

// units reads a Metric or Imperial element.
func (rd *reader) units(t xml.StartElement) {
	lu := attr(t, "linearUnit")
	scale, unit, ok := linearUnit(lu, t.Name.Local == "Imperial")
	if !ok {
		rd.warn(rd.line(), t.Name.Local, "unknown linearUnit %q; coordinates read as metres", clip(lu))
	}

	rd.scale, rd.unitOK, rd.ds.SourceUnit = scale, true, unit
	rd.angular = normaliseAngular(attr(t, "angularUnit"))
	if rd.angular == "" {
		rd.angular = normaliseAngular(attr(t, "directionUnit"))
	}
}

// crsText describes a CoordinateSystem element: "EPSG:n" when only an EPSG
// code is given, the desc when only a desc is given, else "key=value; …".
func crsText(t xml.StartElement) string {
	var parts []string
	var epsg, desc string
	for _, a := range t.Attr {
		v := strings.TrimSpace(a.Value)
		if v == "" || a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}

		switch a.Name.Local {
		case "epsgCode":
			epsg = v
		case "desc":
			desc = v
		}

		parts = append(parts, a.Name.Local+"="+v)
	}

	switch {
	case len(parts) == 1 && epsg != "":
		return "EPSG:" + epsg
	case len(parts) == 1 && desc != "":
		return desc
	}

	return strings.Join(parts, "; ")
}
