package plan

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// palette holds the colours of one drawing, taken from the current theme.
type palette struct {
	background, point, line, edge color.NRGBA
}

func themePalette() palette {
	nrgba := func(name fyne.ThemeColorName) color.NRGBA {
		return color.NRGBAModel.Convert(theme.Color(name)).(color.NRGBA)
	}

	return palette{
		background: nrgba(theme.ColorNameInputBackground),
		point:      nrgba(theme.ColorNameForeground),
		line:       nrgba(theme.ColorNamePrimary),
		edge:       nrgba(theme.ColorNameSuccess),
	}
}

// zoomStep is the zoom factor of one wheel notch.
const zoomStep = 1.2

// View draws a [Data] in plan. Call its methods on the UI goroutine only.
type View struct {
	widget.BaseWidget

	data   *Data
	raster *canvas.Raster
	bg     *canvas.Rectangle
	hint   *canvas.Text

	// cx, cy is the local coordinate at the centre of the view; scale is
	// Fyne units per metre. fitted is false until the first fit that had a
	// size to fit into.
	cx, cy float64
	scale  float64
	fitted bool

	// OnHover, when set, receives the world coordinate under the mouse as
	// it moves over the view, and ok false when it leaves.
	OnHover func(e, n float64, ok bool)
}

// emptyHint is what an empty view says in place of a drawing.
const emptyHint = "Nothing to draw yet"

// NewView returns an empty plan view.
func NewView() *View {
	v := &View{data: &Data{}, scale: 1}
	v.raster = canvas.NewRaster(v.draw)
	v.raster.Hide()
	v.bg = canvas.NewRectangle(themePalette().background)
	v.hint = canvas.NewText(emptyHint, theme.Color(theme.ColorNamePlaceHolder))
	v.hint.Alignment = fyne.TextAlignCenter
	v.ExtendBaseWidget(v)

	return v
}

// SetData replaces what the view draws and fits it into the view.
func (v *View) SetData(d *Data) {
	if d == nil {
		d = &Data{}
	}
	v.data = d
	v.fitted = false
	v.Fit()
}

// Data returns what the view draws.
func (v *View) Data() *Data { return v.data }

// Fit zooms and pans so that everything is in view.
func (v *View) Fit() {
	size := v.Size()
	d := v.data
	v.cx = float64(d.MinX+d.MaxX) / 2
	v.cy = float64(d.MinY+d.MaxY) / 2

	w := math.Max(float64(d.MaxX-d.MinX), 1e-3)
	h := math.Max(float64(d.MaxY-d.MinY), 1e-3)
	if size.Width > 0 && size.Height > 0 {
		v.scale = 0.9 * math.Min(float64(size.Width)/w, float64(size.Height)/h)
		v.fitted = true
	}
	v.redraw()
}

// redraw draws the data again. With nothing to draw the raster stays hidden:
// the view is then a plain background with a hint, and holds no image or
// texture the size of the view.
func (v *View) redraw() {
	if v.data.Empty() {
		v.raster.Hide()
		v.hint.Show()
		return
	}

	v.hint.Hide()
	v.raster.Show()
	v.raster.Refresh()
}

// Empty reports whether the view has nothing to draw.
func (v *View) Empty() bool { return v.data.Empty() }

// Scale returns the zoom in Fyne units per metre.
func (v *View) Scale() float64 { return v.scale }

// Center returns the world coordinate at the centre of the view.
func (v *View) Center() (e, n float64) {
	return v.cx + v.data.OriginE, v.cy + v.data.OriginN
}

// Resize fits the data the first time the view gets a size.
func (v *View) Resize(s fyne.Size) {
	v.BaseWidget.Resize(s)
	if !v.fitted {
		v.Fit()
	}
}

// Scrolled zooms about the mouse position.
func (v *View) Scrolled(ev *fyne.ScrollEvent) {
	if ev.Scrolled.DY == 0 {
		return
	}
	factor := zoomStep
	if ev.Scrolled.DY < 0 {
		factor = 1 / zoomStep
	}
	v.ZoomAt(ev.Position, factor)
}

// ZoomAt multiplies the scale by factor, keeping the world point under pos
// where it is.
func (v *View) ZoomAt(pos fyne.Position, factor float64) {
	size := v.Size()
	dx := float64(pos.X - size.Width/2)
	dy := float64(pos.Y - size.Height/2)
	wx := v.cx + dx/v.scale
	wy := v.cy - dy/v.scale

	v.scale = math.Min(math.Max(v.scale*factor, 1e-6), 1e6)
	v.cx = wx - dx/v.scale
	v.cy = wy + dy/v.scale
	v.redraw()
}

// At returns the world coordinate at pos in the view.
func (v *View) At(pos fyne.Position) (e, n float64) {
	size := v.Size()
	x := v.cx + float64(pos.X-size.Width/2)/v.scale
	y := v.cy - float64(pos.Y-size.Height/2)/v.scale

	return x + v.data.OriginE, y + v.data.OriginN
}

// MouseIn implements desktop.Hoverable.
func (v *View) MouseIn(ev *desktop.MouseEvent) { v.MouseMoved(ev) }

// MouseMoved implements desktop.Hoverable: it reports the coordinate under
// the mouse to OnHover.
func (v *View) MouseMoved(ev *desktop.MouseEvent) {
	if v.OnHover != nil && v.data.Len() > 0 {
		e, n := v.At(ev.Position)
		v.OnHover(e, n, true)
	}
}

// MouseOut implements desktop.Hoverable.
func (v *View) MouseOut() {
	if v.OnHover != nil {
		v.OnHover(0, 0, false)
	}
}

// Dragged pans the view with the mouse.
func (v *View) Dragged(ev *fyne.DragEvent) {
	v.cx -= float64(ev.Dragged.DX) / v.scale
	v.cy += float64(ev.Dragged.DY) / v.scale
	v.redraw()
}

// DragEnd implements fyne.Draggable.
func (v *View) DragEnd() {}

// CreateRenderer implements fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return &viewRenderer{v: v, objects: []fyne.CanvasObject{v.bg, v.hint, v.raster}}
}

// viewRenderer lays out the view: a background the colour of the drawing's,
// the hint in its middle while there is nothing to draw, and the raster over
// both.
type viewRenderer struct {
	v       *View
	objects []fyne.CanvasObject
}

func (r *viewRenderer) Layout(size fyne.Size) {
	v := r.v
	v.bg.Resize(size)
	v.raster.Resize(size)

	hs := v.hint.MinSize()
	v.hint.Resize(fyne.NewSize(size.Width, hs.Height))
	v.hint.Move(fyne.NewPos(0, (size.Height-hs.Height)/2))
}

func (r *viewRenderer) MinSize() fyne.Size { return fyne.NewSize(0, 0) }

// Refresh takes the theme's colours and size, for a theme that changed.
func (r *viewRenderer) Refresh() {
	v := r.v
	v.bg.FillColor = themePalette().background
	v.hint.Color = theme.Color(theme.ColorNamePlaceHolder)
	v.hint.TextSize = theme.TextSize()
	v.bg.Refresh()
	v.hint.Refresh()
	if v.raster.Visible() {
		v.raster.Refresh()
	}
}

func (r *viewRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *viewRenderer) Destroy() {}

// draw renders the data into a w×h pixel image.
func (v *View) draw(w, h int) image.Image {
	pal := themePalette()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{C: pal.background}, image.Point{}, draw.Src)

	size := v.Size()
	if size.Width <= 0 || w <= 0 {
		return img
	}
	px := float64(w) / float64(size.Width) // pixels per Fyne unit
	t := transform{
		s:  v.scale * px,
		cx: v.cx, cy: v.cy,
		hw: float64(w) / 2, hh: float64(h) / 2,
	}

	d := v.data
	for i := 0; i+3 < len(d.Edges); i += 4 {
		x0, y0 := t.apply(d.Edges[i], d.Edges[i+1])
		x1, y1 := t.apply(d.Edges[i+2], d.Edges[i+3])
		drawLine(img, x0, y0, x1, y1, pal.edge)
	}
	for _, l := range d.Lines {
		for i := 0; i+3 < len(l); i += 2 {
			x0, y0 := t.apply(l[i], l[i+1])
			x1, y1 := t.apply(l[i+2], l[i+3])
			drawLine(img, x0, y0, x1, y1, pal.line)
		}
	}

	drawPoints(img, d, t, max(1, int(2*px)), pal.point)

	return img
}

// drawPoints draws every point as a small cross. It is the hot loop for big
// projects, so the transform is done in float32 and crosses that lie wholly
// inside the image are written without per-pixel bounds checks.
func drawPoints(img *image.NRGBA, d *Data, t transform, arm int, c color.NRGBA) {
	s := float32(t.s)
	ox := float32(t.hw) - float32(t.cx)*s
	oy := float32(t.hh) + float32(t.cy)*s
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for i := range d.X {
		fx := d.X[i]*s + ox
		fy := oy - d.Y[i]*s
		if fx < float32(-arm) || fy < float32(-arm) || fx > float32(w+arm) || fy > float32(h+arm) {
			continue
		}
		x, y := int(fx+0.5), int(fy+0.5)
		if x < arm || y < arm || x >= w-arm || y >= h-arm {
			drawCross(img, x, y, arm, c)
			continue
		}
		row := img.Pix[y*img.Stride+(x-arm)*4 : y*img.Stride+(x+arm+1)*4]
		for k := 0; k < len(row); k += 4 {
			row[k], row[k+1], row[k+2], row[k+3] = c.R, c.G, c.B, c.A
		}
		for k := -arm; k <= arm; k++ {
			o := (y+k)*img.Stride + x*4
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
		}
	}
}

type transform struct {
	s, cx, cy, hw, hh float64
}

func (t transform) apply(x, y float32) (int, int) {
	return int(math.Round((float64(x)-t.cx)*t.s + t.hw)),
		int(math.Round(t.hh - (float64(y)-t.cy)*t.s))
}

func drawCross(img *image.NRGBA, x, y, arm int, c color.NRGBA) {
	b := img.Bounds()
	if x < -arm || y < -arm || x > b.Max.X+arm || y > b.Max.Y+arm {
		return
	}
	for k := -arm; k <= arm; k++ {
		set(img, x+k, y, c)
		set(img, x, y+k, c)
	}
}

func set(img *image.NRGBA, x, y int, c color.NRGBA) {
	if !(image.Point{X: x, Y: y}).In(img.Rect) {
		return
	}
	i := img.PixOffset(x, y)
	img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
}

// drawLine draws a one-pixel line (Bresenham), clipped to the image. Lines
// far outside the image are skipped before walking them.
func drawLine(img *image.NRGBA, x0, y0, x1, y1 int, c color.NRGBA) {
	b := img.Bounds()
	if (x0 < 0 && x1 < 0) || (y0 < 0 && y1 < 0) ||
		(x0 >= b.Max.X && x1 >= b.Max.X) || (y0 >= b.Max.Y && y1 >= b.Max.Y) {
		return
	}
	// A line longer than a few image sizes is clipped crudely by bounding
	// its walk; zoomed far in, such segments are rare.
	const limit = 1 << 16
	if abs(x1-x0) > limit || abs(y1-y0) > limit {
		return
	}

	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		set(img, x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(a int) int {
	if a < 0 {
		return -a
	}

	return a
}

func sign(a int) int {
	switch {
	case a < 0:
		return -1
	case a > 0:
		return 1
	}

	return 0
}
