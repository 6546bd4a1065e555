// Package geojson reads and writes GeoJSON (RFC 7946) with elevations kept:
// the third element of every position is the elevation, and a position
// without one is a point without elevation, never 0.
//
// The reader accepts a FeatureCollection, a Feature or a bare geometry of
// any type. Point features become points (id and code from the
// properties, other properties as attributes); LineString and Polygon
// rings become lines; a MultiPolygon feature written by this package with
// "kind": "surface" becomes a surface again. The legacy "crs" member is
// honoured (Dataset.CRS) with a warning. JSON-FG and CSDM files, whose
// survey marks sit in "place" or "points" members, are reported as not
// supported instead of being read as empty.
package geojson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// MaxSize is the largest document the reader accepts.
const MaxSize = 256 << 20

// maxDepth bounds GeometryCollection nesting.
const maxDepth = 16

// ReadSettings controls how a GeoJSON file is read.
type ReadSettings struct {
	// Unit is the unit of projected coordinates (with a legacy crs member);
	// empty means metres. Longitude/latitude files are stored as given.
	Unit survey.Unit
}

type object struct {
	Type        string            `json:"type"`
	ID          json.RawMessage   `json:"id"`
	Features    []json.RawMessage `json:"features"`
	Geometry    json.RawMessage   `json:"geometry"`
	Properties  json.RawMessage   `json:"properties"`
	Geometries  []json.RawMessage `json:"geometries"`
	Coordinates json.RawMessage   `json:"coordinates"`
	CRS         json.RawMessage   `json:"crs"`
	Points      json.RawMessage   `json:"points"`
	Place       json.RawMessage   `json:"place"`
}

type legacyCRS struct {
	Type       string `json:"type"`
	Properties struct {
		Name string `json:"name"`
		Href string `json:"href"`
	} `json:"properties"`
}

type reader struct {
	name    string
	ds      *survey.Dataset
	factor  float64
	feature int  // 1-based index of the feature being read
	place   int  // features with a JSON-FG "place"
	lonLat  bool // no crs member: RFC 7946 longitude/latitude
	degrees bool // all coordinates so far within ±180/±90
	npos    int
}

// Read reads a GeoJSON document. name is used in warnings and errors.
func Read(ctx context.Context, r io.Reader, name string, s ReadSettings) (*survey.Dataset, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &survey.ParseError{File: name, Msg: "read", Err: err}
	}

	if len(data) > MaxSize {
		return nil, &survey.ParseError{File: name, Msg: fmt.Sprintf("larger than %d MiB", MaxSize>>20)}
	}

	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var top object
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &survey.ParseError{File: name, Line: lineOf(data, err), Msg: "not valid GeoJSON", Err: err}
	}

	unit := s.Unit
	if unit == survey.UnitUnknown {
		unit = survey.Metre
	}

	rd := &reader{name: name, ds: &survey.Dataset{SourceUnit: unit}, factor: unit.Metres(), degrees: true}
	rd.crs(top.CRS)
	if err := rd.top(ctx, &top); err != nil {
		return nil, err
	}

	if err := rd.check(&top); err != nil {
		return nil, err
	}

	return rd.ds, nil
}

// lineOf finds the line of a JSON syntax error.
func lineOf(data []byte, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		return bytes.Count(data[:se.Offset], []byte("\n")) + 1
	}

	return 0
}

func (rd *reader) warn(element, format string, args ...any) {
	if len(rd.ds.Warnings) >= 1000 {
		return
	}

	rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{File: rd.name, Element: element,
		Msg: fmt.Sprintf(format, args...)})
}

func (rd *reader) fail(element, msg string, err error) error {
	return &survey.ParseError{File: rd.name, Element: element, Msg: msg, Err: err}
}

func (rd *reader) crs(raw json.RawMessage) {
	if len(raw) == 0 || string(raw) == "null" {
		rd.lonLat = true
		rd.ds.CRS = "OGC:CRS84"

		return
	}

	var c legacyCRS
	if err := json.Unmarshal(raw, &c); err != nil || (c.Properties.Name == "" && c.Properties.Href == "") {
		rd.warn("crs", "legacy crs member not understood; coordinates stored as given")

		return
	}

	rd.ds.CRS = c.Properties.Name
	if rd.ds.CRS == "" {
		rd.ds.CRS = c.Properties.Href
	}

	rd.warn("crs", "legacy crs member %q (not RFC 7946): coordinates taken as given in that system", rd.ds.CRS)
}

func (rd *reader) top(ctx context.Context, top *object) error {
	switch top.Type {
	case "FeatureCollection":
		for i, f := range top.Features {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}

			rd.feature = i + 1
			var o object
			if err := json.Unmarshal(f, &o); err != nil {
				rd.warn(rd.element(), "not a feature object: %v", err)

				continue
			}

			rd.readFeature(&o)
		}
	case "Feature":
		rd.feature = 1
		rd.readFeature(top)
	case "":
		return rd.fail("", `no "type" member: not GeoJSON`, nil)
	default:
		rd.feature = 1
		rd.geometry(top, props{}, 0)
	}

	return nil
}

// check refuses results that would be an empty success.
func (rd *reader) check(top *object) error {
	if len(rd.ds.Points)+len(rd.ds.Lines)+len(rd.ds.Surfaces) > 0 {
		if rd.lonLat && rd.degrees && rd.npos > 0 {
			rd.warn("", "coordinates are longitude/latitude in degrees (RFC 7946); stored as given, not projected")
		}

		return nil
	}

	switch {
	case len(top.Points) > 0 && string(top.Points) != "null":
		return rd.fail("points", `CSDM file (survey marks in a "points" member) is not supported`, nil)
	case rd.place > 0:
		return rd.fail("place", fmt.Sprintf(`JSON-FG file (%d features with geometry in "place") is not supported`, rd.place), nil)
	case top.Type == "FeatureCollection" && len(top.Features) == 0:
		return rd.fail("features", "feature collection has no features", nil)
	}

	msg := "no point, line or polygon geometry found"
	if len(rd.ds.Warnings) > 0 {
		msg += "; first: " + rd.ds.Warnings[0].String()
	}

	return rd.fail("", msg, nil)
}

func (rd *reader) element() string { return "feature " + strconv.Itoa(rd.feature) }

// props are what a feature's properties give a geometry.
type props struct {
	id, code string
	surface  bool
	attrs    map[string]string
}

var idKeys = []string{"id", "point", "pointid", "point_id", "pt", "pn", "name", "number", "pointno"}
var codeKeys = []string{"code", "desc", "description", "descr", "pointcode", "feature", "layer"}

func (rd *reader) readFeature(o *object) {
	if o.Type != "Feature" {
		rd.warn(rd.element(), "type %q is not Feature; skipped", o.Type)

		return
	}

	p := rd.properties(o.Properties)
	if p.id == "" {
		p.id = scalar(o.ID)
	}

	if len(o.Geometry) == 0 || string(o.Geometry) == "null" {
		if len(o.Place) > 0 && string(o.Place) != "null" {
			rd.place++
			rd.warn(rd.element(), `geometry only in JSON-FG "place" (not supported); skipped`)

			return
		}

		rd.warn(rd.element(), "feature without geometry; skipped")

		return
	}

	var g object
	if err := json.Unmarshal(o.Geometry, &g); err != nil {
		rd.warn(rd.element(), "geometry: %v; skipped", err)

		return
	}

	rd.geometry(&g, p, 0)
}

func (rd *reader) properties(raw json.RawMessage) props {
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return props{}
	}

	lower := make(map[string]string, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}

	sort.Strings(keys)
	for _, k := range keys {
		if _, dup := lower[strings.ToLower(k)]; !dup {
			lower[strings.ToLower(k)] = k
		}
	}

	var p props
	used := map[string]bool{}
	pick := func(cands []string) string {
		for i, c := range cands {
			if k, ok := lower[c]; ok {
				v := scalar(m[k])
				if v != "" {
					used[k] = true

					return v
				}

				// An empty "id" or "code" (as the writer puts out) is no
				// attribute either, or a round trip would add one.
				if i == 0 && string(bytes.TrimSpace(m[k])) == `""` {
					used[k] = true
				}
			}
		}

		return ""
	}

	p.id = pick(idKeys)
	p.code = pick(codeKeys)
	if k, ok := lower["kind"]; ok && scalar(m[k]) == "surface" {
		p.surface = true
		used[k] = true
	}

	for _, k := range keys {
		if used[k] || string(m[k]) == "null" {
			continue
		}

		if p.attrs == nil {
			p.attrs = map[string]string{}
		}

		p.attrs[k] = scalarOrRaw(m[k])
	}

	return p
}

// scalar returns a JSON string's text or a number's literal; "" otherwise.
func scalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}

	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw)
	}

	return ""
}

func scalarOrRaw(raw json.RawMessage) string {
	if s := scalar(raw); s != "" || bytes.Equal(bytes.TrimSpace(raw), []byte(`""`)) {
		return s
	}

	return string(bytes.TrimSpace(raw))
}

// position converts [x, y, z?] to a vertex in metres.
func (rd *reader) position(c []float64) (survey.Vertex, bool) {
	if len(c) < 2 {
		return survey.Vertex{}, false
	}

	rd.npos++
	if math.Abs(c[0]) > 180 || math.Abs(c[1]) > 90 {
		rd.degrees = false
	}

	f := rd.factor
	if rd.lonLat {
		f = 1
	}

	v := survey.Vertex{E: c[0] * f, N: c[1] * f}
	if len(c) >= 3 {
		v.Z, v.HasZ = c[2]*f, true
	}

	return v, true
}
