// Package plan is the plan-view widget: a top-down drawing of a project's
// points, lines and surfaces with zoom about the cursor, drag to pan and fit.
//
// Coordinates are kept as float32 offsets from a local origin (the lower-left
// corner of the data), so that projected coordinates in the millions of metres
// keep millimetre precision. The drawing goes into one raster image, so a
// million points cost one canvas object, not a million.
package plan

import (
	"math"

	"github.com/backsight/backsight/internal/survey"
)

// Data is what the view draws, in local coordinates relative to Origin.
// Build it with [NewData]; it is not changed after that.
type Data struct {
	// OriginE and OriginN are the world coordinates of local (0, 0).
	OriginE, OriginN float64
	// X and Y hold one entry per point.
	X, Y []float32
	// Lines are polylines as x0, y0, x1, y1, ...
	Lines [][]float32
	// Edges are the triangle edges of every surface as x0, y0, x1, y1 pairs.
	Edges []float32
	// MinX, MinY, MaxX, MaxY bound everything, in local coordinates.
	MinX, MinY, MaxX, MaxY float32
}

// NewData converts a dataset into drawing data. A nil dataset gives empty data.
func NewData(ds *survey.Dataset) *Data {
	if ds == nil {
		return &Data{}
	}

	e, n := origin(ds)
	b := NewBuilder(e, n, len(ds.Points))
	for _, p := range ds.Points {
		b.AddPoint(p.E, p.N)
	}
	for _, l := range ds.Lines {
		b.AddLine(l)
	}
	for _, s := range ds.Surfaces {
		b.AddSurface(s)
	}

	return b.Data()
}

// Builder fills a [Data] piece by piece, so that a caller streaming points
// from a database never holds them as survey.Point values.
type Builder struct {
	d *Data
}

// NewBuilder starts drawing data around the world origin (e, n); pick it
// near the data (its lower-left corner, say) to keep float32 precision.
// hint is the expected number of points.
func NewBuilder(e, n float64, hint int) *Builder {
	d := &Data{OriginE: math.Floor(e), OriginN: math.Floor(n)}
	d.X = make([]float32, 0, hint)
	d.Y = make([]float32, 0, hint)

	return &Builder{d: d}
}

// AddPoint adds a point at world coordinates (e, n).
func (b *Builder) AddPoint(e, n float64) {
	x, y := b.d.local(e, n)
	b.d.X = append(b.d.X, x)
	b.d.Y = append(b.d.Y, y)
}

// AddLine adds a polyline.
func (b *Builder) AddLine(l survey.Line) {
	d := b.d
	xy := make([]float32, 0, 2*len(l.Vertices)+2)
	for _, v := range l.Vertices {
		x, y := d.local(v.E, v.N)
		xy = append(xy, x, y)
	}
	if l.Closed && len(l.Vertices) > 2 {
		xy = append(xy, xy[0], xy[1])
	}
	d.Lines = append(d.Lines, xy)
}

// AddSurface adds the edges of a surface's triangles.
func (b *Builder) AddSurface(s survey.Surface) { b.d.addSurface(s) }

// Data finishes the drawing data.
func (b *Builder) Data() *Data {
	b.d.bounds()

	return b.d
}

// Len returns the number of points.
func (d *Data) Len() int { return len(d.X) }

// Empty reports whether d has nothing to draw: no points, lines or
// surface edges.
func (d *Data) Empty() bool { return d.Len() == 0 && len(d.Lines) == 0 && len(d.Edges) == 0 }

func (d *Data) local(e, n float64) (float32, float32) {
	return float32(e - d.OriginE), float32(n - d.OriginN)
}

func (d *Data) addSurface(s survey.Surface) {
	// Each inner edge is shared by two triangles; draw it once.
	seen := make(map[[2]int]bool, len(s.Triangles)*3/2)
	for _, t := range s.Triangles {
		if !valid(t, len(s.Vertices)) {
			continue
		}
		for k := range 3 {
			a, b := t[k], t[(k+1)%3]
			if a > b {
				a, b = b, a
			}
			if seen[[2]int{a, b}] {
				continue
			}
			seen[[2]int{a, b}] = true
			x0, y0 := d.local(s.Vertices[a].E, s.Vertices[a].N)
			x1, y1 := d.local(s.Vertices[b].E, s.Vertices[b].N)
			d.Edges = append(d.Edges, x0, y0, x1, y1)
		}
	}
}

func valid(t [3]int, n int) bool {
	for _, i := range t {
		if i < 0 || i >= n {
			return false
		}
	}

	return true
}

// origin picks the smallest easting and northing of the data (rounded down to
// a whole metre), so every local coordinate is small and positive.
func origin(ds *survey.Dataset) (float64, float64) {
	e, n := math.Inf(1), math.Inf(1)
	see := func(x, y float64) {
		e, n = math.Min(e, x), math.Min(n, y)
	}
	for _, p := range ds.Points {
		see(p.E, p.N)
	}
	for _, l := range ds.Lines {
		for _, v := range l.Vertices {
			see(v.E, v.N)
		}
	}
	for _, s := range ds.Surfaces {
		for _, v := range s.Vertices {
			see(v.E, v.N)
		}
	}
	if math.IsInf(e, 1) {
		return 0, 0
	}

	return math.Floor(e), math.Floor(n)
}

func (d *Data) bounds() {
	minX, minY := float32(math.MaxFloat32), float32(math.MaxFloat32)
	maxX, maxY := -minX, -minY
	see := func(x, y float32) {
		minX, maxX = min(minX, x), max(maxX, x)
		minY, maxY = min(minY, y), max(maxY, y)
	}
	for i := range d.X {
		see(d.X[i], d.Y[i])
	}
	for _, l := range d.Lines {
		for i := 0; i+1 < len(l); i += 2 {
			see(l[i], l[i+1])
		}
	}
	for i := 0; i+1 < len(d.Edges); i += 2 {
		see(d.Edges[i], d.Edges[i+1])
	}
	if minX > maxX {
		minX, minY, maxX, maxY = 0, 0, 0, 0
	}
	d.MinX, d.MinY, d.MaxX, d.MaxY = minX, minY, maxX, maxY
}
