package dxf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// ctxEvery is how many entities pass between context checks.
const ctxEvery = 1024

// entity is one entity's pairs, the type pair excluded.
type entity struct {
	typ   string
	line  int
	pairs []pair
}

// label is a TEXT or MTEXT entity.
type label struct {
	text     string
	layer    string
	pos, alt vec // insertion point and alignment point (WCS)
	hasZ     bool
	used     bool
	line     int
}

// reader carries the state of one Read call.
type reader struct {
	name      string
	s         ReadSettings
	pr        *pairReader
	ds        *survey.Dataset
	version   string
	codepage  string
	insunits  int
	scale     float64 // metres per drawing unit
	tol       float64 // arc tolerance in drawing units
	pending   *entity
	skipped   map[string]int
	sections  map[string]int
	labels    []label
	needID    []int // indexes of points that have no id yet
	faces     map[string]*faceSet
	faceOrder []string
	lastIns   int // index of the last INSERT point, -1 when none
}

// Read parses an ASCII DXF drawing. name is used in errors and warnings.
// Coordinates are converted from ReadSettings.Unit to metres. A binary DXF
// gives a *survey.ParseError wrapping [ErrBinary].
func Read(ctx context.Context, r io.Reader, name string, s ReadSettings) (*survey.Dataset, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(len(binarySentinel))
	switch {
	case bytes.HasPrefix(head, []byte(binarySentinel[:18])):
		return nil, &survey.ParseError{File: name, Line: 1,
			Msg: "binary DXF is not supported; save the drawing as ASCII DXF", Err: ErrBinary}
	case bytes.HasPrefix(head, []byte("AC10")) || bytes.HasPrefix(head, []byte("AC1.")) ||
		bytes.HasPrefix(head, []byte("AC2")):
		return nil, &survey.ParseError{File: name, Line: 1,
			Msg: "file is a DWG drawing, not DXF; export it as ASCII DXF", Err: ErrDWG}
	}

	unit := s.Unit
	if unit == "" {
		unit = survey.Metre
	}

	rd := &reader{
		name: name, s: s, pr: newPairReader(ctx, br, name),
		ds:       &survey.Dataset{SourceUnit: unit},
		scale:    unit.Metres(),
		skipped:  map[string]int{},
		sections: map[string]int{},
		faces:    map[string]*faceSet{},
		lastIns:  -1,
	}

	tol := s.ArcTolerance
	if tol <= 0 {
		tol = 0.005
	}

	rd.tol = tol / rd.scale
	if err := rd.run(ctx); err != nil {
		return nil, err
	}

	rd.finish()

	return rd.ds, nil
}

// run reads sections until EOF.
func (rd *reader) run(ctx context.Context) error {
	sawSection := false
	for {
		p, err := rd.pr.next()
		if errors.Is(err, io.EOF) {
			break
		}

		if err != nil {
			return err
		}

		if p.code != 0 {
			continue // stray pair between sections
		}

		switch strings.TrimSpace(p.val) {
		case "EOF":
			return rd.checkEmpty(sawSection)
		case "SECTION":
			sawSection = true
			if err := rd.section(ctx); err != nil {
				return err
			}
		}
	}

	return rd.checkEmpty(sawSection)
}

func (rd *reader) checkEmpty(sawSection bool) error {
	if !sawSection {
		return &survey.ParseError{File: rd.name, Line: rd.pr.line,
			Msg: "no SECTION found (expected an ASCII DXF drawing)"}
	}

	return nil
}

// section dispatches on the section name.
func (rd *reader) section(ctx context.Context) error {
	p, err := rd.pr.next()
	if err != nil {
		return rd.eof(err, "section name")
	}

	if p.code != 2 {
		rd.pr.unread(p)

		return rd.skipSection("(unnamed)")
	}

	name := strings.TrimSpace(p.val)
	switch name {
	case "HEADER":
		return rd.header()
	case "ENTITIES":
		return rd.entities(ctx)
	case "CLASSES", "TABLES", "BLOCKS", "OBJECTS", "THUMBNAILIMAGE", "ACDSDATA":
		// TODO(formats): read BLOCKS to explode block geometry; INSERTs are
		// points only until a user needs the symbols' linework.
		return rd.skipSection("")
	}

	return rd.skipSection(name)
}

// eof turns an unexpected end of input into a ParseError.
func (rd *reader) eof(err error, expected string) error {
	if errors.Is(err, io.EOF) {
		return &survey.ParseError{File: rd.name, Line: rd.pr.line,
			Msg: "unexpected end of file (expected " + expected + ")"}
	}

	return err
}

// skipSection reads to ENDSEC; a non-empty name is counted as unknown.
func (rd *reader) skipSection(name string) error {
	if name != "" {
		rd.sections[name]++
	}

	for {
		p, err := rd.pr.next()
		if err != nil {
			return rd.eof(err, "ENDSEC")
		}

		if p.code == 0 && strings.TrimSpace(p.val) == "ENDSEC" {
			return nil
		}
	}
}

// header reads $ACADVER, $DWGCODEPAGE and $INSUNITS, then sets the decoder.
func (rd *reader) header() error {
	variable := ""
	for {
		p, err := rd.pr.next()
		if err != nil {
			return rd.eof(err, "ENDSEC of HEADER")
		}

		switch {
		case p.code == 0 && strings.TrimSpace(p.val) == "ENDSEC":
			rd.setDecoder()

			return nil
		case p.code == 9:
			variable = strings.TrimSpace(p.val)
		case variable == "$ACADVER" && p.code == 1:
			rd.version = strings.ToUpper(strings.TrimSpace(p.val))
		case variable == "$DWGCODEPAGE" && p.code == 3:
			rd.codepage = strings.TrimSpace(p.val)
		case variable == "$INSUNITS" && p.code == 70:
			rd.insunits, _ = strconv.Atoi(strings.TrimSpace(p.val))
		}
	}
}

// setDecoder picks the string decoding: UTF-8 from AC1021, else the code page.
func (rd *reader) setDecoder() {
	if rd.version >= "AC1021" && strings.HasPrefix(rd.version, "AC") {
		rd.pr.decode = decodeUTF8

		return
	}

	enc, ok := codePage(rd.codepage)
	if !ok {
		rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{File: rd.name, Element: "HEADER",
			Msg: fmt.Sprintf("unknown $DWGCODEPAGE %q; text read as Windows-1252", clip(rd.codepage))})
	}

	if enc == nil {
		rd.pr.decode = decodeUTF8

		return
	}

	rd.pr.decode = decodeWith(enc)
}

// readEntity reads the next entity, or returns nil at ENDSEC.
func (rd *reader) readEntity() (*entity, error) {
	if e := rd.pending; e != nil {
		rd.pending = nil

		return e, nil
	}

	p, err := rd.pr.next()
	if err != nil {
		return nil, rd.eof(err, "ENDSEC of ENTITIES")
	}

	for p.code != 0 { // stray pairs before the first entity
		if p, err = rd.pr.next(); err != nil {
			return nil, rd.eof(err, "ENDSEC of ENTITIES")
		}
	}

	typ := strings.TrimSpace(p.val)
	if typ == "ENDSEC" {
		return nil, nil
	}

	e := &entity{typ: typ, line: p.line}
	size := 0
	for {
		q, err := rd.pr.next()
		if err != nil {
			return nil, rd.eof(err, "ENDSEC of ENTITIES")
		}

		if q.code == 0 {
			rd.pr.unread(q)

			return e, nil
		}

		size += len(q.val)
		if len(e.pairs) >= maxEntityPairs || size > maxEntityBytes {
			return nil, &survey.ParseError{File: rd.name, Line: e.line, Element: typ,
				Msg: fmt.Sprintf("entity larger than %d pairs or %d bytes", maxEntityPairs, maxEntityBytes)}
		}

		if q.code == 100 {
			continue // subclass markers, also in malformed R12 files
		}

		e.pairs = append(e.pairs, q)
	}
}

// entities reads the ENTITIES section.
func (rd *reader) entities(ctx context.Context) error {
	for n := 0; ; n++ {
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}

		e, err := rd.readEntity()
		if err != nil {
			return err
		}

		if e == nil {
			return nil
		}

		if err := rd.entity(e); err != nil {
			return err
		}
	}
}

// entity dispatches one entity to its handler.
func (rd *reader) entity(e *entity) error {
	if e.typ != "ATTRIB" && e.typ != "SEQEND" {
		rd.lastIns = -1
	}

	switch e.typ {
	case "POINT":
		rd.point(e)
	case "TEXT", "MTEXT":
		rd.text(e)
	case "LINE":
		rd.line(e)
	case "LWPOLYLINE":
		rd.lwpolyline(e)
	case "POLYLINE":
		return rd.polyline(e)
	case "3DFACE":
		rd.face(e)
	case "INSERT":
		rd.insert(e)
	case "ATTRIB":
		rd.attrib(e)
	case "SEQEND":
		rd.lastIns = -1
	case "ARC", "CIRCLE":
		rd.arc(e)
	default:
		// TODO(formats): SPLINE and ELLIPSE as densified lines when real
		// survey drawings show them; they are counted in a warning meanwhile.
		rd.skipped[e.typ]++
	}

	return nil
}

func (rd *reader) warn(line int, elem, format string, args ...any) {
	rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{
		File: rd.name, Line: line, Element: elem, Msg: fmt.Sprintf(format, args...),
	})
}

// finish pairs labels, numbers points, builds face surfaces, converts units
// and adds the summary warnings.
func (rd *reader) finish() {
	kept := rd.needID[:0]
	for _, idx := range rd.needID {
		if rd.ds.Points[idx].ID == "" {
			kept = append(kept, idx)
		}
	}

	rd.needID = kept
	if rd.s.PairLabels {
		rd.pairLabels()
	}

	rd.unusedLabels()
	for i, idx := range rd.needID {
		rd.ds.Points[idx].ID = strconv.Itoa(i + 1)
	}

	for _, layer := range rd.faceOrder {
		fs := rd.faces[layer]
		rd.ds.Surfaces = append(rd.ds.Surfaces, survey.Surface{
			Name: layer, Vertices: fs.verts, Triangles: fs.tris,
		})
	}

	rd.ds.Scale(rd.scale)
	if msg := countList(rd.skipped); msg != "" {
		rd.warn(0, "ENTITIES", "skipped unsupported entities: %s", msg)
	}

	if msg := countList(rd.sections); msg != "" {
		rd.warn(0, "SECTION", "skipped unknown sections: %s", msg)
	}

	rd.unitWarning()
	if c := rd.ds.Counts(); c.Points == 0 && c.Lines == 0 && c.Surfaces == 0 {
		rd.warn(0, "ENTITIES", "no points, lines or surfaces found")
	}
}

// countList formats counts as "HATCH 3, SPLINE 1" in name order.
func countList(m map[string]int) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}

	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", clip(k), m[k])
	}

	return strings.Join(parts, ", ")
}

// unitWarning reports a $INSUNITS that disagrees with the unit used.
func (rd *reader) unitWarning() {
	names := map[int]string{1: "inches", 2: "feet", 4: "millimetres", 5: "centimetres",
		6: "metres", 21: "US survey feet"}
	matches := map[int]survey.Unit{2: survey.Foot, 6: survey.Metre, 21: survey.USSurveyFoot}
	n, ok := names[rd.insunits]
	if !ok || matches[rd.insunits] == rd.ds.SourceUnit {
		return
	}

	rd.warn(0, "HEADER", "drawing declares $INSUNITS %d (%s) but coordinates were read as %s "+
		"(the import setting); check the unit", rd.insunits, n, rd.ds.SourceUnit)
}
