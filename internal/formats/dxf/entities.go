package dxf

import (
	"math"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// vec is a 3-D vector.
type vec struct{ x, y, z float64 }

func (a vec) add(b vec) vec         { return vec{a.x + b.x, a.y + b.y, a.z + b.z} }
func (a vec) mul(k float64) vec     { return vec{a.x * k, a.y * k, a.z * k} }
func (a vec) cross(b vec) vec       { return vec{a.y*b.z - a.z*b.y, a.z*b.x - a.x*b.z, a.x*b.y - a.y*b.x} }
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

// fields looks up the single-valued groups of an entity. Entities have few
// pairs, so a scan is cheaper than building maps.
type fields struct {
	pairs []pair
}

func (e *entity) fields() fields { return fields{pairs: e.pairs} }

// num returns the first group c as a number; 0 when absent or not a number.
func (f fields) num(c int) float64 {
	v, _ := f.get(c)

	return v
}

func (f fields) get(c int) (float64, bool) {
	for _, p := range f.pairs {
		if p.code == c {
			return num(p.val)
		}
	}

	return 0, false
}

func (f fields) str(c int) string {
	for _, p := range f.pairs {
		if p.code == c {
			return p.val
		}
	}

	return ""
}

// bad counts numeric groups whose value is not a number.
func (f fields) bad() int {
	n := 0
	for _, p := range f.pairs {
		if isNumericCode(p.code) {
			if _, ok := num(p.val); !ok {
				n++
			}
		}
	}

	return n
}

// isNumericCode reports whether group code c carries a number.
func isNumericCode(c int) bool {
	return (c >= 10 && c <= 59) || (c >= 60 && c <= 99) || (c >= 110 && c <= 149) ||
		(c >= 160 && c <= 179) || (c >= 210 && c <= 239) || (c >= 270 && c <= 289) ||
		(c >= 370 && c <= 389) || (c >= 400 && c <= 409) || (c >= 1010 && c <= 1071)
}

func (f fields) has(c int) bool { _, ok := f.get(c); return ok }

func (f fields) pt(c int) vec { return vec{f.num(c), f.num(c + 10), f.num(c + 20)} }

// layer returns the layer name as the code; the default layer "0" is no code.
func (f fields) layer() string {
	l := decodeEscapes(strings.TrimSpace(f.str(8)))
	if l == "0" {
		return ""
	}

	return l
}

func (f fields) ocs() ocs {
	if !f.has(210) && !f.has(220) && !f.has(230) {
		return ocs{identity: true}
	}

	return newOCS(vec{f.num(210), f.num(220), f.num(230)})
}

func (f fields) extruded() bool { return !f.ocs().identity }

func (rd *reader) badNumbers(e *entity, f fields) {
	if n := f.bad(); n > 0 {
		rd.warn(e.line, e.typ, "%d value(s) are not numbers and were read as 0", n)
	}
}

func (rd *reader) point(e *entity) {
	f := e.fields()
	rd.badNumbers(e, f)
	p := f.pt(10)
	rd.ds.Points = append(rd.ds.Points, survey.Point{
		Code: f.layer(), E: p.x, N: p.y, Z: p.z, HasZ: f.has(30),
	})
	rd.needID = append(rd.needID, len(rd.ds.Points)-1)
}

func (rd *reader) text(e *entity) {
	f := e.fields()
	var txt string
	var pos, alt vec
	if e.typ == "MTEXT" {
		var sb strings.Builder
		for _, p := range e.pairs {
			if p.code == 3 {
				sb.WriteString(p.val)
			}
		}

		txt = stripMText(sb.String() + f.str(1))
		pos = f.pt(10)
		alt = pos
	} else {
		o := f.ocs()
		txt = decodeText(f.str(1))
		pos = o.toWCS(f.pt(10))
		alt = pos
		if f.has(11) || f.has(21) {
			alt = o.toWCS(f.pt(11))
		}
	}

	rd.labels = append(rd.labels, label{
		text: txt, layer: f.layer(), pos: pos, alt: alt, hasZ: f.has(30), line: e.line,
	})
}

func (rd *reader) line(e *entity) {
	f := e.fields()
	rd.badNumbers(e, f)
	hasZ := f.has(30) || f.has(31)
	a, b := f.pt(10).vertex(), f.pt(11).vertex()
	a.HasZ, b.HasZ = hasZ, hasZ
	rd.ds.Lines = append(rd.ds.Lines, survey.Line{Code: f.layer(), Vertices: []survey.Vertex{a, b}})
}

// bulgeVertex is a 2-D OCS vertex with the bulge of the segment after it.
type bulgeVertex struct {
	x, y, bulge float64
}

func (rd *reader) lwpolyline(e *entity) {
	f := e.fields()
	rd.badNumbers(e, f)
	var vs []bulgeVertex
	for _, p := range e.pairs {
		v, _ := num(p.val)
		switch p.code {
		case 10:
			vs = append(vs, bulgeVertex{x: v})
		case 20:
			if len(vs) > 0 {
				vs[len(vs)-1].y = v
			}
		case 42:
			if len(vs) > 0 {
				vs[len(vs)-1].bulge = v
			}
		}
	}

	closed := int(f.num(70))&1 != 0
	hasZ := f.has(38) || f.extruded()
	rd.addBulgeLine(e, f.layer(), vs, f.num(38), closed, hasZ, f.ocs())
}

// addBulgeLine densifies bulges in the OCS, applies the elevation and the
// extrusion, and adds the line.
func (rd *reader) addBulgeLine(e *entity, layer string, vs []bulgeVertex, elev float64, closed,
	hasZ bool, o ocs,
) {
	if len(vs) < 2 {
		rd.warn(e.line, e.typ, "polyline with %d vertex(es); skipped", len(vs))

		return
	}

	var out []survey.Vertex
	emit := func(x, y float64) {
		v := o.toWCS(vec{x, y, elev}).vertex()
		v.HasZ = hasZ
		out = append(out, v)
	}

	n := len(vs)
	for i, v := range vs {
		emit(v.x, v.y)
		if i == n-1 && !closed {
			break
		}

		next := vs[(i+1)%n]
		for _, q := range bulgePoints(v, next, rd.tol) {
			emit(q[0], q[1])
		}
	}

	rd.ds.Lines = append(rd.ds.Lines, survey.Line{Code: layer, Vertices: out, Closed: closed})
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

func (rd *reader) arc(e *entity) {
	f := e.fields()
	rd.badNumbers(e, f)
	r := f.num(40)
	if r <= 0 {
		rd.warn(e.line, e.typ, "radius %g is not positive; skipped", r)

		return
	}

	start, end := 0.0, 2*math.Pi
	closed := e.typ == "CIRCLE"
	if !closed {
		start, end = f.num(50)*math.Pi/180, f.num(51)*math.Pi/180
		for end <= start {
			end += 2 * math.Pi
		}

		if end-start > 2*math.Pi {
			end = start + 2*math.Pi
		}
	}

	c, o := f.pt(10), f.ocs()
	n := arcSteps(r, end-start, rd.tol)
	if closed {
		n = max(n, 8)
	}

	last := n
	if closed {
		last = n - 1
	}

	vs := make([]survey.Vertex, 0, n+1)
	for k := 0; k <= last; k++ {
		t := start + (end-start)*float64(k)/float64(n)
		v := o.toWCS(vec{c.x + r*math.Cos(t), c.y + r*math.Sin(t), c.z}).vertex()
		v.HasZ = f.has(30) || f.extruded()
		vs = append(vs, v)
	}

	rd.ds.Lines = append(rd.ds.Lines, survey.Line{Code: f.layer(), Vertices: vs, Closed: closed})
}

// insert adds a block reference as a point; ATTRIBs that follow fill it.
func (rd *reader) insert(e *entity) {
	f := e.fields()
	rd.badNumbers(e, f)
	p := f.ocs().toWCS(f.pt(10))
	pt := survey.Point{Code: f.layer(), E: p.x, N: p.y, Z: p.z, HasZ: f.has(30) || f.extruded()}
	if b := strings.TrimSpace(f.str(2)); b != "" {
		pt.Attrs = map[string]string{"block": decodeEscapes(b)}
	}

	rd.ds.Points = append(rd.ds.Points, pt)
	rd.lastIns = len(rd.ds.Points) - 1
	rd.needID = append(rd.needID, rd.lastIns) // dropped in finish if an ATTRIB gives the id
}

// idTags and codeTags name the ATTRIB tags that give a point id or code.
var (
	idTags = map[string]bool{"POINT": true, "PNT": true, "PT": true, "PN": true, "PTNO": true,
		"NUMBER": true, "NO": true, "ID": true, "NAME": true, "POINTNUMBER": true, "PUNKT": true,
		"PKT": true, "PNO": true, "PT#": true}
	codeTags = map[string]bool{"CODE": true, "DESC": true, "DESCRIPTION": true, "PTCODE": true}
)

func (rd *reader) attrib(e *entity) {
	if rd.lastIns < 0 {
		rd.skipped["ATTRIB (outside INSERT)"]++

		return
	}

	f := e.fields()
	tag := strings.TrimSpace(decodeEscapes(f.str(2)))
	val := decodeText(f.str(1))
	p := &rd.ds.Points[rd.lastIns]
	if p.Attrs == nil {
		p.Attrs = map[string]string{}
	}

	if tag != "" {
		p.Attrs[tag] = val
	}

	up := strings.ToUpper(tag)
	switch {
	case idTags[up] && p.ID == "" && strings.TrimSpace(val) != "":
		p.ID = strings.TrimSpace(val)
	case codeTags[up] && strings.TrimSpace(val) != "":
		p.Code = val
	}
}

// faceSet collects the 3DFACE triangles of one layer with shared vertices.
type faceSet struct {
	index map[vec]int
	verts []survey.Vertex
	tris  [][3]int
}

func (fs *faceSet) vertex(v vec) int {
	if i, ok := fs.index[v]; ok {
		return i
	}

	fs.index[v] = len(fs.verts)
	fs.verts = append(fs.verts, v.vertex())

	return len(fs.verts) - 1
}

func (fs *faceSet) add(a, b, c vec) bool {
	if a == b || b == c || a == c {
		return false
	}

	fs.tris = append(fs.tris, [3]int{fs.vertex(a), fs.vertex(b), fs.vertex(c)})

	return true
}

func (rd *reader) face(e *entity) {
	f := e.fields()
	rd.badNumbers(e, f)
	layer := f.layer()
	fs := rd.faces[layer]
	if fs == nil {
		fs = &faceSet{index: map[vec]int{}}
		rd.faces[layer] = fs
		rd.faceOrder = append(rd.faceOrder, layer)
	}

	c := [4]vec{f.pt(10), f.pt(11), f.pt(12), f.pt(13)}
	if !f.has(13) && !f.has(23) {
		c[3] = c[2]
	}

	ok := fs.add(c[0], c[1], c[2])
	if c[3] != c[2] {
		ok = fs.add(c[0], c[2], c[3]) || ok
	}

	if !ok {
		rd.warn(e.line, e.typ, "degenerate face (repeated corners); skipped")
	}
}

// pairLabels gives points without an id the label at the same position.
func (rd *reader) pairLabels() {
	tol := rd.s.LabelTolerance
	if tol <= 0 {
		tol = 0.001
	}

	grid := map[[2]int64][]int{}
	cell := func(x, y float64) [2]int64 {
		return [2]int64{int64(math.Floor(x / tol)), int64(math.Floor(y / tol))}
	}

	for i, l := range rd.labels {
		if math.Abs(l.pos.x/tol) > 1e15 || math.Abs(l.pos.y/tol) > 1e15 {
			continue
		}

		k := cell(l.pos.x, l.pos.y)
		grid[k] = append(grid[k], i)
		if l.alt != l.pos && math.Abs(l.alt.x/tol) < 1e15 && math.Abs(l.alt.y/tol) < 1e15 {
			ka := cell(l.alt.x, l.alt.y)
			grid[ka] = append(grid[ka], i)
		}
	}

	kept := rd.needID[:0]
	for _, idx := range rd.needID {
		p := &rd.ds.Points[idx]
		if best := rd.nearestLabel(grid, cell, p, tol); best >= 0 {
			rd.labels[best].used = true
			p.ID = strings.TrimSpace(rd.labels[best].text)

			continue
		}

		kept = append(kept, idx)
	}

	rd.needID = kept
}

func (rd *reader) nearestLabel(grid map[[2]int64][]int, cell func(x, y float64) [2]int64,
	p *survey.Point, tol float64,
) int {
	if math.Abs(p.E/tol) > 1e15 || math.Abs(p.N/tol) > 1e15 {
		return -1
	}

	k := cell(p.E, p.N)
	best, bestD := -1, math.Inf(1)
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, i := range grid[[2]int64{k[0] + dx, k[1] + dy}] {
				l := &rd.labels[i]
				if l.used || strings.TrimSpace(l.text) == "" {
					continue
				}

				for _, q := range []vec{l.pos, l.alt} {
					d := math.Hypot(q.x-p.E, q.y-p.N)
					if p.HasZ && l.hasZ {
						d = math.Hypot(d, q.z-p.Z)
					}

					if d <= tol && d < bestD {
						best, bestD = i, d
					}
				}
			}
		}
	}

	return best
}

// unusedLabels reports labels that gave no id, or turns them into points.
func (rd *reader) unusedLabels() {
	unused := 0
	for _, l := range rd.labels {
		if l.used {
			continue
		}

		unused++
		if rd.s.TextAsPoints {
			rd.ds.Points = append(rd.ds.Points, survey.Point{
				Code: l.layer, E: l.pos.x, N: l.pos.y, Z: l.pos.z, HasZ: l.hasZ,
				Attrs: map[string]string{"text": l.text},
			})
			rd.needID = append(rd.needID, len(rd.ds.Points)-1)
		}
	}

	if unused > 0 && !rd.s.TextAsPoints {
		hint := ""
		if !rd.s.PairLabels {
			hint = "; set PairLabels to use them as point ids"
		}

		rd.warn(0, "TEXT", "%d TEXT/MTEXT label(s) not imported%s", unused, hint)
	}
}
