package dxf

import (
	"math"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

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
