package geojson

import (
	"encoding/json"
	"strconv"

	"github.com/backsight/backsight/internal/survey"
)

// geometry turns one geometry into points, lines or a surface.
func (rd *reader) geometry(g *object, p props, depth int) {
	el := rd.element()
	bad := func(err error) { rd.warn(el, "%s coordinates: %v; skipped", g.Type, err) }
	switch g.Type {
	case "Point":
		var c []float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			bad(err)

			return
		}

		rd.addPoints(p, [][]float64{c}, false)
	case "MultiPoint":
		var c [][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			bad(err)

			return
		}

		rd.addPoints(p, c, true)
	case "LineString":
		var c [][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			bad(err)

			return
		}

		rd.addLine(p, c, false)
	case "MultiLineString", "Polygon":
		var c [][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			bad(err)

			return
		}

		for _, l := range c {
			rd.addLine(p, l, g.Type == "Polygon")
		}
	case "MultiPolygon":
		var c [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			bad(err)

			return
		}

		if p.surface && rd.addSurface(p, c) {
			return
		}

		for _, poly := range c {
			for _, ring := range poly {
				rd.addLine(p, ring, true)
			}
		}
	case "GeometryCollection":
		rd.collection(g, p, depth)
	default:
		rd.warn(el, "geometry type %q not supported; skipped", g.Type)
	}
}

func (rd *reader) collection(g *object, p props, depth int) {
	if depth >= maxDepth {
		rd.warn(rd.element(), "geometry collections nested deeper than %d; skipped", maxDepth)

		return
	}

	for _, raw := range g.Geometries {
		var sub object
		if err := json.Unmarshal(raw, &sub); err != nil {
			rd.warn(rd.element(), "geometry: %v; skipped", err)

			continue
		}

		rd.geometry(&sub, p, depth+1)
	}
}

func (rd *reader) addPoints(p props, coords [][]float64, multi bool) {
	for i, c := range coords {
		v, ok := rd.position(c)
		if !ok {
			rd.warn(rd.element(), "position with fewer than 2 numbers; skipped")

			continue
		}

		id := p.id
		switch {
		case id == "":
			id = strconv.Itoa(len(rd.ds.Points) + 1)
		case multi && len(coords) > 1:
			id += "." + strconv.Itoa(i+1)
		}

		rd.ds.Points = append(rd.ds.Points, survey.Point{ID: id, Code: p.code, E: v.E, N: v.N, Z: v.Z,
			HasZ: v.HasZ, Attrs: cloneAttrs(p.attrs)})
	}
}

func cloneAttrs(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}

	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}

	return out
}

func (rd *reader) vertices(coords [][]float64) []survey.Vertex {
	out := make([]survey.Vertex, 0, len(coords))
	for _, c := range coords {
		v, ok := rd.position(c)
		if !ok {
			rd.warn(rd.element(), "position with fewer than 2 numbers; skipped")

			continue
		}

		out = append(out, v)
	}

	return out
}

// addLine adds a line; a ring (closed) drops its repeated last vertex.
func (rd *reader) addLine(p props, coords [][]float64, ring bool) {
	v := rd.vertices(coords)
	if ring && len(v) > 1 && v[0] == v[len(v)-1] {
		v = v[:len(v)-1]
	}

	if len(v) < 2 {
		rd.warn(rd.element(), "line with fewer than 2 positions; skipped")

		return
	}

	rd.ds.Lines = append(rd.ds.Lines, survey.Line{Code: p.code, Name: p.id, Vertices: v, Closed: ring})
}

// addSurface reads a MultiPolygon of triangles back into a surface, sharing
// vertices with equal coordinates. ok is false when a polygon is not a
// triangle.
func (rd *reader) addSurface(p props, polys [][][][]float64) bool {
	s := survey.Surface{Name: p.id}
	index := map[survey.Vertex]int{}
	for _, poly := range polys {
		if len(poly) != 1 || len(poly[0]) != 4 {
			return false
		}

		var t [3]int
		for k := range 3 {
			v, ok := rd.position(poly[0][k])
			if !ok {
				return false
			}

			i, seen := index[v]
			if !seen {
				i = len(s.Vertices)
				index[v] = i
				s.Vertices = append(s.Vertices, v)
			}

			t[k] = i
		}

		s.Triangles = append(s.Triangles, t)
	}

	rd.ds.Surfaces = append(rd.ds.Surfaces, s)

	return true
}
