// Package survey holds the data model shared by the project store and the
// format readers and writers: points, lines, surfaces and the diagnostics that
// a reader produces. It has no dependencies beyond the standard library.
//
// Coordinates are grid easting, northing and elevation in metres, float64
// throughout. An unknown elevation is not zero: HasZ is false.
package survey

import "fmt"

// Point is a surveyed or designed point.
type Point struct {
	// ID is the point id exactly as written in the source (leading zeros,
	// dots and letters kept).
	ID string
	// Code is the point code or description, byte-exact.
	Code string
	// E and N are easting and northing in metres.
	E, N float64
	// Z is the elevation in metres; meaningful only when HasZ is true.
	Z    float64
	HasZ bool
	// Attrs holds any further named values the source carried; nil when none.
	Attrs map[string]string
}

// Vertex is one corner of a line or surface.
type Vertex struct {
	E, N float64
	Z    float64
	HasZ bool
}

// Line is a polyline: a breakline, a figure, a boundary.
type Line struct {
	// Code is the line's code or CAD layer.
	Code     string
	Vertices []Vertex
	Closed   bool
	// Name is an optional name (a LandXML PlanFeature name, say).
	Name string
}

// Surface is a triangulated surface (TIN).
type Surface struct {
	Name      string
	Vertices  []Vertex
	Triangles [][3]int // indexes into Vertices
}

// Unit is a linear unit of measure.
type Unit string

// Linear units a project or file can use.
const (
	Metre         Unit = "m"
	Foot          Unit = "ft"   // international foot, 0.3048 m
	USSurveyFoot  Unit = "usft" // US survey foot, 1200/3937 m
	UnitUnknown   Unit = ""
	metresPerFoot      = 0.3048
	metresPerUSFt      = 1200.0 / 3937.0
)

// Metres returns the length of one u in metres.
func (u Unit) Metres() float64 {
	switch u {
	case Foot:
		return metresPerFoot
	case USSurveyFoot:
		return metresPerUSFt
	default:
		return 1
	}
}

// ParseUnit reads a unit name as written by users and files: m, metre,
// meter, ft, foot, usft, USSurveyFoot and the like.
func ParseUnit(s string) (Unit, error) {
	switch s {
	case "m", "metre", "meter", "metres", "meters", "Metre", "Meter", "metric":
		return Metre, nil
	case "ft", "foot", "feet", "Foot", "intft", "international foot":
		return Foot, nil
	case "usft", "USSurveyFoot", "us-ft", "ussurveyfoot", "US survey foot", "sft":
		return USSurveyFoot, nil
	}

	return UnitUnknown, fmt.Errorf("unknown unit %q (want m, ft or usft)", s)
}

// Warning is a diagnostic about one place in an input file: a skipped line,
// a value that was read in an unusual way.
type Warning struct {
	File string
	// Line is the 1-based line number, or 0 when the place is an element.
	Line int
	// Element names the XML element or DXF entity when Line is not enough.
	Element string
	Msg     string
}

// String formats the warning as "file:line: message".
func (w Warning) String() string {
	switch {
	case w.Line > 0:
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	case w.Element != "":
		return fmt.Sprintf("%s: %s: %s", w.File, w.Element, w.Msg)
	default:
		return fmt.Sprintf("%s: %s", w.File, w.Msg)
	}
}

// ParseError is a fatal problem in an input file. It names the file, the
// line (or element) and what was expected.
type ParseError struct {
	File    string
	Line    int
	Element string
	Msg     string
	Err     error
}

// Error implements error.
func (e *ParseError) Error() string {
	w := Warning{File: e.File, Line: e.Line, Element: e.Element, Msg: e.Msg}
	if e.Err != nil {
		return w.String() + ": " + e.Err.Error()
	}

	return w.String()
}

// Unwrap returns the underlying cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Dataset is what a reader produces and a writer consumes.
type Dataset struct {
	Points   []Point
	Lines    []Line
	Surfaces []Surface
	// Warnings lists every skipped or doubtful record with its place.
	Warnings []Warning
	// Observations counts raw observations (angles and distances) that were
	// read but not turned into coordinates.
	Observations int
	// SourceUnit is the unit the file's coordinates were written in, before
	// conversion to metres.
	SourceUnit Unit
	// CRS is free text describing the coordinate system, when the file says.
	CRS string
}

// Counts summarises a dataset.
type Counts struct {
	Points, Lines, Surfaces, Warnings, Observations int
}

// Counts returns the number of entities of each kind.
func (d *Dataset) Counts() Counts {
	return Counts{
		Points:       len(d.Points),
		Lines:        len(d.Lines),
		Surfaces:     len(d.Surfaces),
		Warnings:     len(d.Warnings),
		Observations: d.Observations,
	}
}

// Warnf appends a warning.
func (d *Dataset) Warnf(file string, line int, format string, args ...any) {
	d.Warnings = append(d.Warnings, Warning{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Plural returns n followed by the noun that fits it: "1 point", "0 points",
// "3 points". Messages that count things use it so that none says
// "1 points".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}

	return fmt.Sprintf("%d %s", n, many)
}
