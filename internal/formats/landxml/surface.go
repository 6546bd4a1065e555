package landxml

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// rawSurface collects one TIN Surface. P ids are per surface.
type rawSurface struct {
	name     string
	line     int
	ids      map[int64]int
	verts    []survey.Vertex
	tris     [][3]int
	pending  []pendingFace // faces seen before their P
	bad      int           // P elements skipped
	dupIDs   int
	hidden   int // i="1" faces skipped
	dangling int
	firstBad string
	degen    int
	negative int
}

type pendingFace struct {
	ids  [3]int64
	line int
}

func newSurface(name string, line int) *rawSurface {
	return &rawSurface{name: name, line: line, ids: map[int64]int{}}
}

// xP is a surface P element.
type xP struct {
	ID   string `xml:"id,attr"`
	Text string `xml:",chardata"`
}

func (rd *reader) surfacePoint(t xml.StartElement) error {
	x := xP{ID: attr(t, "id")}
	var err error
	if x.Text, err = rd.text(t); err != nil {
		return err
	}

	sf := rd.surf
	id, err := strconv.ParseInt(strings.TrimSpace(x.ID), 10, 64)
	c, cerr := parseCoord(x.Text)
	if err != nil || cerr != nil || !c.ok {
		sf.bad++

		return nil
	}

	if _, dup := sf.ids[id]; dup {
		sf.dupIDs++

		return nil
	}

	sf.ids[id] = len(sf.verts)
	sf.verts = append(sf.verts, survey.Vertex{E: c.e, N: c.n, Z: c.z, HasZ: c.hasZ})

	return nil
}

// xF is a surface F element: three P ids, i="1" when invisible.
type xF struct {
	I    string `xml:"i,attr"`
	Text string `xml:",chardata"`
}

func (rd *reader) surfaceFace(t xml.StartElement) error {
	line := rd.line()
	x := xF{I: attr(t, "i")}
	var err error
	if x.Text, err = rd.text(t); err != nil {
		return err
	}

	sf := rd.surf
	if strings.TrimSpace(x.I) == "1" {
		sf.hidden++

		return nil
	}

	f := strings.Fields(x.Text)
	var ids [3]int64
	if len(f) < 3 {
		sf.noteDangling(x.Text, line)

		return nil
	}

	for i := range 3 {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			sf.noteDangling(x.Text, line)

			return nil
		}

		// Civil 3D writes negative ids for hidden edges; the vertex is |id|.
		if v < 0 {
			v = -v
			sf.negative++
		}

		ids[i] = v
	}

	if !sf.addFace(ids) {
		sf.pending = append(sf.pending, pendingFace{ids: ids, line: line})
	}

	return nil
}

// addFace resolves ids to vertex indexes; false when one is unknown.
func (sf *rawSurface) addFace(ids [3]int64) bool {
	var tri [3]int
	for i, id := range ids {
		v, ok := sf.ids[id]
		if !ok {
			return false
		}

		tri[i] = v
	}

	if tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2] {
		sf.degen++

		return true
	}

	sf.tris = append(sf.tris, tri)

	return true
}

func (sf *rawSurface) noteDangling(text string, line int) {
	sf.dangling++
	if sf.firstBad == "" {
		sf.firstBad = fmt.Sprintf("%q at line %d", clip(strings.TrimSpace(text)), line)
	}
}

// finish resolves late faces, reports problems and adds the surface when it
// has at least one usable triangle.
func (sf *rawSurface) finish(rd *reader) {
	for _, pf := range sf.pending {
		if !sf.addFace(pf.ids) {
			sf.noteDangling(fmt.Sprintf("%d %d %d", pf.ids[0], pf.ids[1], pf.ids[2]), pf.line)
		}
	}

	elem := fmt.Sprintf("Surface %q", clip(sf.name))
	if sf.dangling > 0 {
		rd.warn(sf.line, elem, "%s missing or malformed P ids (first: %s); skipped",
			survey.Plural(sf.dangling, "face references", "faces reference"), sf.firstBad)
	}

	if sf.bad > 0 || sf.dupIDs > 0 {
		rd.warn(sf.line, elem, "%s malformed and %d with a repeated id; skipped",
			survey.Plural(sf.bad, "P element", "P elements"), sf.dupIDs)
	}

	if sf.degen > 0 {
		rd.warn(sf.line, elem, "%s (a repeated vertex); skipped",
			survey.Plural(sf.degen, "degenerate face", "degenerate faces"))
	}

	if sf.hidden > 0 {
		rd.warn(sf.line, elem, "%s (i=\"1\") left out",
			survey.Plural(sf.hidden, "invisible face", "invisible faces"))
	}

	if len(sf.tris) == 0 {
		rd.warn(sf.line, elem, "surface has no usable faces (%d P); skipped", len(sf.verts))

		return
	}

	rd.ds.Surfaces = append(rd.ds.Surfaces, survey.Surface{
		Name: sf.name, Vertices: sf.verts, Triangles: sf.tris,
	})
}
