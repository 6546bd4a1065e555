package plan

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/backsight/backsight/internal/survey"
)

func sample() *survey.Dataset {
	return &survey.Dataset{
		Points: []survey.Point{
			{ID: "1", E: 2_500_000.001, N: 6_100_000.002},
			{ID: "2", E: 2_500_100.003, N: 6_100_050.004},
		},
		Lines: []survey.Line{{Vertices: []survey.Vertex{
			{E: 2_500_000, N: 6_100_000}, {E: 2_500_100, N: 6_100_050},
		}}},
		Surfaces: []survey.Surface{{
			Vertices: []survey.Vertex{
				{E: 2_500_000, N: 6_100_000}, {E: 2_500_100, N: 6_100_000},
				{E: 2_500_100, N: 6_100_050},
			},
			Triangles: [][3]int{{0, 1, 2}, {0, 9, 1}},
		}},
	}
}

func TestNewDataKeepsMillimetres(t *testing.T) {
	d := NewData(sample())

	if d.OriginE != 2_500_000 || d.OriginN != 6_100_000 {
		t.Fatalf("origin = %v, %v", d.OriginE, d.OriginN)
	}
	tests := []struct {
		i    int
		e, n float64
	}{
		{0, 2_500_000.001, 6_100_000.002},
		{1, 2_500_100.003, 6_100_050.004},
	}
	for _, tt := range tests {
		e := d.OriginE + float64(d.X[tt.i])
		n := d.OriginN + float64(d.Y[tt.i])
		if math.Abs(e-tt.e) > 1e-4 || math.Abs(n-tt.n) > 1e-4 {
			t.Errorf("point %d = %.4f, %.4f; want %.4f, %.4f", tt.i, e, n, tt.e, tt.n)
		}
	}
	if len(d.Edges) != 3*4 {
		t.Errorf("edges = %d values, want 12 (the bad triangle skipped)", len(d.Edges))
	}
	if d.MaxX < 100 || d.MaxY < 50 {
		t.Errorf("bounds = %v..%v, %v..%v", d.MinX, d.MaxX, d.MinY, d.MaxY)
	}
}

func TestZoomPanFit(t *testing.T) {
	test.NewTempApp(t)
	v := NewView()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(400, 300))
	v.SetData(NewData(sample()))

	fitScale := v.Scale()
	if fitScale <= 0 {
		t.Fatalf("scale after fit = %v", fitScale)
	}

	// The world point under the cursor stays put while zooming.
	pos := fyne.NewPos(50, 60)
	before := worldAt(v, pos)
	v.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pos}, Scrolled: fyne.Delta{DY: 10}})
	if v.Scale() <= fitScale {
		t.Fatalf("scale after wheel up = %v, want more than %v", v.Scale(), fitScale)
	}
	after := worldAt(v, pos)
	if math.Abs(before[0]-after[0]) > 1e-6 || math.Abs(before[1]-after[1]) > 1e-6 {
		t.Errorf("point under cursor moved from %v to %v", before, after)
	}

	e0, n0 := v.Center()
	v.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 40}})
	e1, n1 := v.Center()
	if e1 >= e0 || n1 != n0 {
		t.Errorf("drag right moved centre from %v,%v to %v,%v", e0, n0, e1, n1)
	}

	v.Fit()
	if v.Scale() != fitScale {
		t.Errorf("scale after Fit = %v, want %v", v.Scale(), fitScale)
	}

	img := v.draw(400, 300)
	if img.Bounds().Dx() != 400 {
		t.Errorf("image width = %d", img.Bounds().Dx())
	}
}

func worldAt(v *View, pos fyne.Position) [2]float64 {
	s := v.Size()

	return [2]float64{
		v.cx + float64(pos.X-s.Width/2)/v.scale,
		v.cy - float64(pos.Y-s.Height/2)/v.scale,
	}
}

func BenchmarkDraw1M(b *testing.B) {
	test.NewTempApp(b)
	ds := &survey.Dataset{Points: make([]survey.Point, 1_000_000)}
	for i := range ds.Points {
		ds.Points[i] = survey.Point{E: 500_000 + float64(i%1000), N: 4_000_000 + float64(i/1000)}
	}
	v := NewView()
	w := test.NewTempWindow(b, v)
	w.Resize(fyne.NewSize(800, 600))
	v.SetData(NewData(ds))

	for b.Loop() {
		v.draw(800, 600)
	}
}

func TestViewAtIsInverseOfCentre(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{E: 1000, N: 2000}, {E: 1100, N: 2050}}}
	v := NewView()
	v.SetData(NewData(ds))
	v.Resize(fyne.NewSize(200, 100))

	ce, cn := v.Center()
	e, n := v.At(fyne.NewPos(100, 50))
	if math.Abs(e-ce) > 1e-9 || math.Abs(n-cn) > 1e-9 {
		t.Errorf("At(centre) = %v, %v, want %v, %v", e, n, ce, cn)
	}
	// Right and up on the screen is east and north on the ground.
	e2, n2 := v.At(fyne.NewPos(150, 25))
	if e2 <= e || n2 <= n {
		t.Errorf("At(right, up) = %v, %v; from %v, %v", e2, n2, e, n)
	}

	var got []bool
	v.OnHover = func(_, _ float64, ok bool) { got = append(got, ok) }
	v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(10, 10)}})
	v.MouseOut()
	if len(got) != 2 || !got[0] || got[1] {
		t.Errorf("hover reports = %v, want [true false]", got)
	}
}

// TestEmptyViewHoldsNoRaster checks that an empty view shows its hint and no
// raster (no image or texture the size of the view), and that data brings
// the drawing back.
func TestEmptyViewHoldsNoRaster(t *testing.T) {
	test.NewTempApp(t)
	v := NewView()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(400, 300))

	if !v.Empty() || v.raster.Visible() || !v.hint.Visible() {
		t.Fatalf("new view: empty %v, raster shown %v, hint shown %v; want true, false, true",
			v.Empty(), v.raster.Visible(), v.hint.Visible())
	}

	v.SetData(NewData(sample()))
	if v.Empty() || !v.raster.Visible() || v.hint.Visible() {
		t.Errorf("with data: empty %v, raster shown %v, hint shown %v; want false, true, false",
			v.Empty(), v.raster.Visible(), v.hint.Visible())
	}

	v.SetData(nil)
	if !v.Empty() || v.raster.Visible() || !v.hint.Visible() {
		t.Errorf("after SetData(nil): empty %v, raster shown %v, hint shown %v",
			v.Empty(), v.raster.Visible(), v.hint.Visible())
	}
}
