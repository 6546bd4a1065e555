package landxml

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// defaultArcTolerance is the chord deviation used when the settings leave it 0.
const defaultArcTolerance = 0.005

// maxArcSegments caps the chords of one arc or spiral.
const maxArcSegments = 4096

// finish resolves point references, builds lines and converts to metres.
func (rd *reader) finish() {
	rd.resolveRefs()
	tol := rd.s.ArcTolerance
	if tol <= 0 {
		tol = defaultArcTolerance
	}

	tol /= rd.scale // densify in file units
	for i := range rd.lines {
		if l, ok := rd.buildLine(&rd.lines[i], tol); ok {
			rd.ds.Lines = append(rd.ds.Lines, l)
		}
	}

	rd.ds.Scale(rd.scale) // file units to metres

	if len(rd.skipped) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(rd.skipped)) {
			parts = append(parts, fmt.Sprintf("%s %d", clip(k), rd.skipped[k]))
		}

		rd.warn(0, "CoordGeom", "skipped unsupported geometry: %s", strings.Join(parts, ", "))
	}

	if c := rd.ds.Counts(); c.Points == 0 && c.Lines == 0 && c.Surfaces == 0 {
		rd.warn(0, "LandXML", "no CgPoints, TIN surfaces or plan geometry found (%d observations)",
			c.Observations)
	}
}

// resolveRefs fills points that carry only a pntRef, dropping unresolved ones.
func (rd *reader) resolveRefs() {
	if len(rd.refs) == 0 {
		return
	}

	drop := map[int]bool{}
	for _, r := range rd.refs {
		j, ok := rd.cg[r.ref]
		if !ok {
			rd.warn(r.line, "CgPoint", "point %q: pntRef %q names no CgPoint with coordinates; skipped",
				clip(rd.ds.Points[r.index].ID), clip(r.ref))
			drop[r.index] = true

			continue
		}

		src, p := rd.ds.Points[j], &rd.ds.Points[r.index]
		p.E, p.N, p.Z, p.HasZ = src.E, src.N, src.Z, src.HasZ
	}

	if len(drop) == 0 {
		return
	}

	kept := rd.ds.Points[:0]
	for i, p := range rd.ds.Points {
		if !drop[i] {
			kept = append(kept, p)
		}
	}

	rd.ds.Points = kept
}

// lookup returns c, or the CgPoint it refers to.
func (rd *reader) lookup(c coord) (coord, bool) {
	if c.ok {
		return c, true
	}

	j, ok := rd.cg[c.ref]
	if !ok || c.ref == "" {
		return coord{}, false
	}

	p := rd.ds.Points[j]

	return coord{n: p.N, e: p.E, z: p.Z, hasZ: p.HasZ, ok: true}, true
}

// buildLine chains the segments of a CoordGeom into one line.
func (rd *reader) buildLine(rl *rawLine, tol float64) (survey.Line, bool) {
	l := survey.Line{Name: rl.name, Code: rl.code}
	for _, sg := range rl.segs {
		s, ok1 := rd.lookup(sg.start)
		e, ok2 := rd.lookup(sg.end)
		if !ok1 || !ok2 {
			rd.warn(sg.line, sg.kind, "pntRef names no CgPoint with coordinates; segment skipped")

			continue
		}

		var pts []survey.Vertex
		switch sg.kind {
		case "Curve":
			c, ok := rd.lookup(sg.center)
			if !ok {
				rd.warn(sg.line, "Curve", "curve without Center; drawn as a chord")
			}

			pts = arc(s, c, e, sg.rot, ok, tol)
		case "Spiral":
			pi, ok := rd.lookup(sg.pi)
			pts = spiral(s, pi, e, ok, tol)
		case "IrregularLine":
			pts = append(pts, vertex(s))
			for _, c := range sg.list {
				pts = append(pts, vertex(c))
			}

			pts = append(pts, vertex(e))
		default:
			pts = []survey.Vertex{vertex(s), vertex(e)}
		}

		for _, v := range pts {
			if n := len(l.Vertices); n > 0 && same(l.Vertices[n-1], v, 1e-9) {
				continue
			}

			l.Vertices = append(l.Vertices, v)
		}
	}

	if n := len(l.Vertices); n >= 4 && same(l.Vertices[0], l.Vertices[n-1], 1e-6) {
		l.Vertices, l.Closed = l.Vertices[:n-1], true
	}

	if len(l.Vertices) < 2 {
		rd.warn(rl.line, "CoordGeom", "line %q has fewer than 2 vertices; skipped", clip(rl.name))

		return l, false
	}

	return l, true
}

func vertex(c coord) survey.Vertex {
	return survey.Vertex{E: c.e, N: c.n, Z: c.z, HasZ: c.hasZ}
}

func same(a, b survey.Vertex, eps float64) bool {
	return math.Abs(a.E-b.E) <= eps && math.Abs(a.N-b.N) <= eps && a.HasZ == b.HasZ &&
		math.Abs(a.Z-b.Z) <= eps
}

// lerpZ sets the elevation of v at fraction t between a and b.
func lerpZ(v *survey.Vertex, a, b coord, t float64) {
	if a.hasZ && b.hasZ {
		v.Z, v.HasZ = a.z+(b.z-a.z)*t, true
	}
}

// arc densifies a circular arc from s to e around c; rot is "cw" or "ccw"
// (the shorter arc when empty). Without a centre it returns the chord.
func arc(s, c, e coord, rot string, hasCenter bool, tol float64) []survey.Vertex {
	r := math.Hypot(s.e-c.e, s.n-c.n)
	if !hasCenter || r == 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		return []survey.Vertex{vertex(s), vertex(e)}
	}

	a0 := math.Atan2(s.n-c.n, s.e-c.e)
	a1 := math.Atan2(e.n-c.n, e.e-c.e)
	sweep := a1 - a0
	switch rot {
	case "cw":
		for sweep >= 0 {
			sweep -= 2 * math.Pi
		}
	case "ccw":
		for sweep <= 0 {
			sweep += 2 * math.Pi
		}
	default:
		for sweep > math.Pi {
			sweep -= 2 * math.Pi
		}

		for sweep <= -math.Pi {
			sweep += 2 * math.Pi
		}
	}

	step := math.Pi / 2
	if tol < r {
		step = min(step, 2*math.Acos(1-tol/r))
	}

	n := int(math.Ceil(math.Abs(sweep) / step))
	n = max(1, min(n, maxArcSegments))
	out := make([]survey.Vertex, 0, n+1)
	out = append(out, vertex(s))
	for k := 1; k < n; k++ {
		t := float64(k) / float64(n)
		a := a0 + sweep*t
		v := survey.Vertex{E: c.e + r*math.Cos(a), N: c.n + r*math.Sin(a)}
		lerpZ(&v, s, e, t)
		out = append(out, v)
	}

	return append(out, vertex(e))
}

// TODO(formats): evaluate the clothoid from its length and radii instead of
// the Bézier approximation if design checks need sub-millimetre spirals.

// spiral approximates a clothoid from s to e by the quadratic Bézier curve
// whose control point is the tangent intersection pi: both are tangent to
// the same lines at their ends. Without pi it returns the chord.
func spiral(s, pi, e coord, hasPI bool, tol float64) []survey.Vertex {
	if !hasPI {
		return []survey.Vertex{vertex(s), vertex(e)}
	}

	// The chord error of n equal parameter steps is at most |s-2pi+e|/(4n²).
	d := math.Hypot(s.e-2*pi.e+e.e, s.n-2*pi.n+e.n)
	n := 1
	if f := math.Ceil(math.Sqrt(d / (4 * tol))); f > 1 && f < maxArcSegments {
		n = int(f)
	} else if f >= maxArcSegments {
		n = maxArcSegments
	}

	out := make([]survey.Vertex, 0, n+1)
	out = append(out, vertex(s))
	for k := 1; k < n; k++ {
		t := float64(k) / float64(n)
		u := 1 - t
		v := survey.Vertex{
			E: u*u*s.e + 2*u*t*pi.e + t*t*e.e,
			N: u*u*s.n + 2*u*t*pi.n + t*t*e.n,
		}
		lerpZ(&v, s, e, t)
		out = append(out, v)
	}

	return append(out, vertex(e))
}
