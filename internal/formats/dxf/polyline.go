package dxf

import (
	"fmt"

	"github.com/backsight/backsight/internal/survey"
)

// POLYLINE flags (group 70).
const (
	plClosed   = 1
	pl3D       = 8
	plMesh     = 16
	plMeshNClo = 32
	plPolyface = 64
)

// VERTEX flags (group 70).
const (
	vxSplineFrame = 16
	vxPolyfaceVtx = 64
	vxFaceRecord  = 128
)

// vertexRec is one VERTEX entity.
type vertexRec struct {
	p     vec
	hasZ  bool
	bulge float64
	flags int
	idx   [4]int // 71..74 for polyface face records
	line  int
}

// polyline reads a POLYLINE, its VERTEX entities and SEQEND, and branches on
// the flags: 3-D polyline, polygon mesh, polyface mesh or 2-D polyline.
func (rd *reader) polyline(e *entity) error {
	f := e.fields()
	rd.badNumbers(e, f)
	var verts []vertexRec
	for {
		v, err := rd.readEntity()
		if err != nil {
			return err
		}

		if v == nil { // ENDSEC without SEQEND
			rd.pr.unread(pair{code: 0, val: "ENDSEC", line: rd.pr.line})

			break
		}

		if v.typ == "SEQEND" {
			break
		}

		if v.typ != "VERTEX" {
			rd.pending = v // a malformed file: no SEQEND

			break
		}

		if len(verts) >= maxPolylineVerts {
			return &survey.ParseError{File: rd.name, Line: e.line, Element: "POLYLINE",
				Msg: fmt.Sprintf("more than %d vertices", maxPolylineVerts)}
		}

		vf := v.fields()
		verts = append(verts, vertexRec{
			p: vf.pt(10), hasZ: vf.has(30), bulge: vf.num(42), flags: int(vf.num(70)), line: v.line,
			idx: [4]int{int(vf.num(71)), int(vf.num(72)), int(vf.num(73)), int(vf.num(74))},
		})
	}

	flags := int(f.num(70))
	switch {
	case flags&plPolyface != 0:
		rd.polyface(e, f, verts)
	case flags&plMesh != 0:
		rd.mesh(e, f, verts)
	case flags&pl3D != 0:
		var vs []survey.Vertex
		for _, v := range verts {
			if v.flags&vxSplineFrame == 0 {
				vs = append(vs, v.p.vertex())
			}
		}

		if len(vs) < 2 {
			rd.warn(e.line, "POLYLINE", "3-D polyline with %d vertex(es); skipped", len(vs))

			return nil
		}

		rd.ds.Lines = append(rd.ds.Lines, survey.Line{
			Code: f.layer(), Vertices: vs, Closed: flags&plClosed != 0,
		})
	default:
		var bv []bulgeVertex
		for _, v := range verts {
			if v.flags&vxSplineFrame == 0 {
				bv = append(bv, bulgeVertex{x: v.p.x, y: v.p.y, bulge: v.bulge})
			}
		}

		hasZ := f.has(30) || f.extruded()
		rd.addBulgeLine(e, f.layer(), bv, f.num(30), flags&plClosed != 0, hasZ, f.ocs())
	}

	return nil
}

// mesh turns an M×N polygon mesh into a surface of two triangles per cell.
func (rd *reader) mesh(e *entity, f fields, verts []vertexRec) {
	m, n := int(f.num(71)), int(f.num(72))
	if m < 2 || n < 2 || m*n > len(verts) || m > maxPolylineVerts || n > maxPolylineVerts {
		rd.warn(e.line, "POLYLINE", "polygon mesh %d×%d with %d vertices; skipped", m, n, len(verts))

		return
	}

	sf := survey.Surface{Name: f.layer()}
	for _, v := range verts[:m*n] {
		sf.Vertices = append(sf.Vertices, v.p.vertex())
	}

	flags := int(f.num(70))
	rows, cols := m-1, n-1
	if flags&plClosed != 0 {
		rows = m
	}

	if flags&plMeshNClo != 0 {
		cols = n
	}

	for i := range rows {
		for j := range cols {
			a, b := i*n+j, i*n+(j+1)%n
			c, d := ((i+1)%m)*n+(j+1)%n, ((i+1)%m)*n+j
			sf.Triangles = append(sf.Triangles, [3]int{a, b, c}, [3]int{a, c, d})
		}
	}

	rd.ds.Surfaces = append(rd.ds.Surfaces, sf)
}

// polyface turns a polyface mesh into a surface; negative indexes mark
// invisible edges and are read by absolute value.
func (rd *reader) polyface(e *entity, f fields, verts []vertexRec) {
	sf := survey.Surface{Name: f.layer()}
	var faces []vertexRec
	for _, v := range verts {
		switch {
		case v.flags&vxFaceRecord != 0 && v.flags&vxPolyfaceVtx == 0:
			faces = append(faces, v)
		default:
			sf.Vertices = append(sf.Vertices, v.p.vertex())
		}
	}

	bad := 0
	for _, fr := range faces {
		var ids []int
		for _, k := range fr.idx {
			if k < 0 {
				k = -k
			}

			if k != 0 {
				ids = append(ids, k-1)
			}
		}

		ok := len(ids) >= 3
		for _, k := range ids {
			ok = ok && k < len(sf.Vertices)
		}

		if !ok {
			bad++

			continue
		}

		sf.Triangles = append(sf.Triangles, [3]int{ids[0], ids[1], ids[2]})
		if len(ids) == 4 && ids[3] != ids[2] {
			sf.Triangles = append(sf.Triangles, [3]int{ids[0], ids[2], ids[3]})
		}
	}

	if bad > 0 {
		rd.warn(e.line, "POLYLINE", "%s missing vertices; skipped",
			survey.Plural(bad, "polyface face references", "polyface faces reference"))
	}

	if len(sf.Triangles) == 0 {
		rd.warn(e.line, "POLYLINE", "polyface mesh without usable faces; skipped")

		return
	}

	rd.ds.Surfaces = append(rd.ds.Surfaces, sf)
}
