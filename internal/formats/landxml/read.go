package landxml

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"

	"github.com/backsight/backsight/internal/survey"
)

// Limits that keep a hostile file from exhausting memory or stack.
const (
	// maxRun is the longest stretch of input without a '<', which bounds
	// the size of any text node, attribute value or comment.
	maxRun = 32 << 20
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

// seg is one Line, Curve or Spiral of a CoordGeom.
type seg struct {
	kind                   string
	start, end, center, pi coord
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
}

// Read parses a LandXML document. name is used in errors and warnings.
// Coordinates are converted to metres; see the package documentation for
// what becomes a point, a line or a surface.
func Read(ctx context.Context, r io.Reader, name string, s ReadSettings) (*survey.Dataset, error) {
	rd := &reader{
		name:  name,
		s:     s,
		ds:    &survey.Dataset{},
		scale: 1,
		cg:    map[string]int{},
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
			if len(rd.stack) > 0 || n == 0 {
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
	case parent == "CoordGeom" && rd.cur != nil &&
		(local == "Line" || local == "Curve" || local == "Spiral"):
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

// xPoint is a CgPoint, TargetPoint, Start, End, Center or PI element.
type xPoint struct {
	Name   string `xml:"name,attr"`
	Code   string `xml:"code,attr"`
	Desc   string `xml:"desc,attr"`
	PntRef string `xml:"pntRef,attr"`
	Text   string `xml:",chardata"`
}

// parseCoord reads "N E [Z]" text in file units.
func parseCoord(text string) (coord, error) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return coord{}, nil
	}

	if len(f) == 1 {
		return coord{}, fmt.Errorf("%q has 1 value (expected N E [Z])", clip(text))
	}

	var c coord
	var vals [3]float64
	for i := 0; i < len(f) && i < 3; i++ {
		v, err := parseNum(f[i])
		if err != nil || math.IsInf(v, 0) {
			return coord{}, fmt.Errorf("%q (expected N E [Z] numbers)", clip(text))
		}

		vals[i] = v
	}

	c.n, c.e, c.z, c.hasZ, c.ok = vals[0], vals[1], vals[2], len(f) >= 3, true

	return c, nil
}

// addPoint adds a point from an xPoint, or queues its pntRef.
func (rd *reader) addPoint(x *xPoint, id, code, elem string, line int, attrs map[string]string) {
	c, err := parseCoord(x.Text)
	if err != nil {
		rd.warn(line, elem, "point %q: %v; skipped", clip(id), err)

		return
	}

	if !c.ok && x.PntRef == "" {
		rd.warn(line, elem, "point %q has no coordinates and no pntRef; skipped", clip(id))

		return
	}

	p := survey.Point{ID: id, Code: code, E: c.e, N: c.n, Z: c.z, HasZ: c.hasZ, Attrs: attrs}
	if x.Desc != "" && code != x.Desc {
		if p.Attrs == nil {
			p.Attrs = map[string]string{}
		}

		p.Attrs["desc"] = x.Desc
	}

	rd.ds.Points = append(rd.ds.Points, p)
	idx := len(rd.ds.Points) - 1
	if !c.ok {
		rd.refs = append(rd.refs, pendingRef{index: idx, ref: x.PntRef, line: line})

		return
	}

	if _, dup := rd.cg[id]; !dup && id != "" {
		rd.cg[id] = idx
	}
}

// text reads the character data of the element t up to its end, skipping
// nested elements; it is a faster DecodeElement for the hot elements.
func (rd *reader) text(t xml.StartElement) (string, error) {
	var sb []byte
	depth := 0
	for {
		tok, err := rd.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", rd.fail(t.Name.Local, "unexpected end of file inside <"+t.Name.Local+">", nil)
			}

			return "", err
		}

		switch x := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				sb = append(sb, x...)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return string(sb), nil
			}

			depth--
		}
	}
}

func (rd *reader) cgPoint(t xml.StartElement) error {
	line := rd.line()
	x := xPoint{
		Name: attr(t, "name"), Code: attr(t, "code"), Desc: attr(t, "desc"), PntRef: attr(t, "pntRef"),
	}

	var err error
	if x.Text, err = rd.text(t); err != nil {
		return err
	}

	code := x.Code
	if code == "" {
		code = x.Desc
	}

	rd.addPoint(&x, x.Name, code, "CgPoint", line, nil)

	return nil
}

// xRawObs is a Survey RawObservation.
type xRawObs struct {
	HorizAngle  string  `xml:"horizAngle,attr"`
	ZenithAngle string  `xml:"zenithAngle,attr"`
	SetupID     string  `xml:"setupID,attr"`
	Target      *xPoint `xml:"TargetPoint"`
	Features    []struct {
		Props []struct {
			Label string `xml:"label,attr"`
			Value string `xml:"value,attr"`
		} `xml:"Property"`
	} `xml:"Feature"`
}

func (rd *reader) rawObservation(t xml.StartElement) error {
	line := rd.line()
	var x xRawObs
	if err := rd.dec.DecodeElement(&x, &t); err != nil {
		return err
	}

	tp := x.Target
	if tp == nil || (strings.TrimSpace(tp.Text) == "" && tp.PntRef == "") {
		rd.ds.Observations++

		return nil
	}

	id, code := tp.Name, tp.Code
	if id == "" {
		id = tp.Desc
	}

	attrs := map[string]string{"role": "observed"}
	if x.SetupID == "" && rd.parent() == "ObservationGroup" {
		x.SetupID = rd.stack[len(rd.stack)-1].code
	}

	if x.SetupID != "" {
		attrs["setupID"] = x.SetupID
	}

	for _, f := range x.Features {
		for _, p := range f.Props {
			if p.Label != "" {
				attrs[p.Label] = p.Value
			}

			if code == "" && strings.TrimSpace(p.Value) != "" {
				code = p.Value
			}
		}
	}

	for key, v := range map[string]string{"horizAngle": x.HorizAngle, "zenithAngle": x.ZenithAngle} {
		if v == "" {
			continue
		}

		deg, err := toDegrees(v, rd.angular)
		if err != nil {
			rd.warn(line, "RawObservation", "%s: %v; not kept", key, err)

			continue
		}

		attrs[key+"Deg"] = strconv.FormatFloat(deg, 'f', 8, 64)
		if rd.angular != "" {
			attrs["angularUnit"] = rd.angular
		}
	}

	if tp.Name == "" {
		tp.Desc = "" // the desc is the id; do not repeat it as an attribute
	}

	rd.addPoint(tp, id, code, "TargetPoint", line, attrs)

	return nil
}

// beginLine opens a CoordGeom named after its PlanFeature, Alignment or Parcel.
func (rd *reader) beginLine() {
	l := &rawLine{line: rd.line()}
	for i := len(rd.stack) - 1; i >= 0; i-- {
		f := rd.stack[i]
		switch f.local {
		case "PlanFeature", "Parcel":
			l.name, l.code = f.name, f.code
			if l.code == "" && i > 0 {
				l.code = rd.stack[i-1].name // the PlanFeatures or Parcels collection
			}
		case "Alignment":
			l.name, l.code = f.name, f.code
			if l.code == "" {
				l.code = "Alignment"
			}
		default:
			continue
		}

		break
	}

	rd.cur = l
}

// xSeg is a Line, Curve or Spiral element.
type xSeg struct {
	Rot    string  `xml:"rot,attr"`
	Start  *xPoint `xml:"Start"`
	End    *xPoint `xml:"End"`
	Center *xPoint `xml:"Center"`
	PI     *xPoint `xml:"PI"`
}

func (rd *reader) segment(t xml.StartElement) error {
	line := rd.line()
	var x xSeg
	if err := rd.dec.DecodeElement(&x, &t); err != nil {
		return err
	}

	sg := seg{kind: t.Name.Local, rot: strings.ToLower(strings.TrimSpace(x.Rot)), line: line}
	for _, p := range []struct {
		x   *xPoint
		dst *coord
	}{{x.Start, &sg.start}, {x.End, &sg.end}, {x.Center, &sg.center}, {x.PI, &sg.pi}} {
		if p.x == nil {
			continue
		}

		c, err := parseCoord(p.x.Text)
		if err != nil {
			rd.warn(line, t.Name.Local, "%v; segment skipped", err)

			return nil
		}

		if !c.ok {
			c.ref = p.x.PntRef
		}

		*p.dst = c
	}

	if (!sg.start.ok && sg.start.ref == "") || (!sg.end.ok && sg.end.ref == "") {
		rd.warn(line, t.Name.Local, "segment without Start or End coordinates; skipped")

		return nil
	}

	rd.cur.segs = append(rd.cur.segs, sg)

	return nil
}

// guard fails a read when the input runs longer than maxRun bytes without
// a '<', which bounds every token the XML decoder buffers.
type guard struct {
	r   io.Reader
	run int
	err error
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}

	n, err := g.r.Read(p)
	if i := bytes.LastIndexByte(p[:n], '<'); i >= 0 {
		g.run = n - i - 1
	} else {
		g.run += n
	}

	if g.run > maxRun {
		g.err = fmt.Errorf("text, attribute or comment longer than %d bytes", maxRun)

		return n, g.err
	}

	return n, err
}
