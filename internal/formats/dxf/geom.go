package dxf

import (
	"math"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// vec is a 3-D vector.
type vec struct{ x, y, z float64 }

func (a vec) add(b vec) vec     { return vec{a.x + b.x, a.y + b.y, a.z + b.z} }
func (a vec) mul(k float64) vec { return vec{a.x * k, a.y * k, a.z * k} }

func (a vec) cross(b vec) vec {
	return vec{a.y*b.z - a.z*b.y, a.z*b.x - a.x*b.z, a.x*b.y - a.y*b.x}
}

func (a vec) norm() float64         { return math.Sqrt(a.x*a.x + a.y*a.y + a.z*a.z) }
func (a vec) unit() vec             { return a.mul(1 / a.norm()) }
func (a vec) vertex() survey.Vertex { return survey.Vertex{E: a.x, N: a.y, Z: a.z, HasZ: true} }

// ocs converts object coordinates to world coordinates for one extrusion
// direction, following the arbitrary-axis algorithm of the DXF reference.
type ocs struct {
	ax, ay, az vec
	identity   bool
}

func newOCS(n vec) ocs {
	l := n.norm()
	if l == 0 || math.IsNaN(l) || math.IsInf(l, 0) || (n.x == 0 && n.y == 0 && n.z > 0) {
		return ocs{identity: true}
	}

	n = n.mul(1 / l)
	var ax vec
	if math.Abs(n.x) < 1.0/64 && math.Abs(n.y) < 1.0/64 {
		ax = vec{0, 1, 0}.cross(n).unit()
	} else {
		ax = vec{0, 0, 1}.cross(n).unit()
	}

	return ocs{ax: ax, ay: n.cross(ax).unit(), az: n}
}

func (o ocs) toWCS(p vec) vec {
	if o.identity {
		return p
	}

	return o.ax.mul(p.x).add(o.ay.mul(p.y)).add(o.az.mul(p.z))
}

// num parses a group value; bad numbers read as 0 and set ok false.
func num(v string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}

	return f, true
}

// bulgePoints returns the points strictly between a and b on the arc given
// by a's bulge (tan of a quarter of the included angle; positive is ccw).
func bulgePoints(a, b bulgeVertex, tol float64) [][2]float64 {
	if a.bulge == 0 || math.IsNaN(a.bulge) || math.IsInf(a.bulge, 0) {
		return nil
	}

	dx, dy := b.x-a.x, b.y-a.y
	c := math.Hypot(dx, dy)
	if c == 0 || math.IsInf(c, 0) {
		return nil
	}

	theta := 4 * math.Atan(a.bulge)
	r := c / (2 * math.Sin(theta/2))
	dir := math.Atan2(dy, dx) + math.Pi/2 - theta/2
	cx, cy := a.x+r*math.Cos(dir), a.y+r*math.Sin(dir)
	a0 := math.Atan2(a.y-cy, a.x-cx)
	n := arcSteps(math.Abs(r), math.Abs(theta), tol)
	out := make([][2]float64, 0, n)
	for k := 1; k < n; k++ {
		t := a0 + theta*float64(k)/float64(n)
		out = append(out, [2]float64{cx + math.Abs(r)*math.Cos(t), cy + math.Abs(r)*math.Sin(t)})
	}

	return out
}

// arcSteps is the number of chords for an arc of radius r and sweep angle
// within tolerance tol, at least 1 and at most 4096.
func arcSteps(r, sweep, tol float64) int {
	step := math.Pi / 4
	if tol < r {
		step = min(step, 2*math.Acos(1-tol/r))
	}

	f := math.Ceil(sweep / step)
	switch {
	case math.IsNaN(f) || f < 1:
		return 1
	case f > 4096:
		return 4096
	}

	return int(f)
}
