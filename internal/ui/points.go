package ui

import (
	"container/list"
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/survey"
)

const (
	// blockRows is how many rows one fetch from the project brings.
	blockRows = 256
	// maxBlocks bounds the cache: 64 blocks of 256 rows.
	maxBlocks = 64
)

var pointColumns = []struct {
	title string
	width float32
}{
	{"Point", 110}, {"Easting", 130}, {"Northing", 130}, {"Elevation", 130}, {"Code", 130},
}

// pointsTable shows a project's points in a widget.Table whose rows are
// fetched block by block, off the UI goroutine, and kept in a small LRU
// cache, so a million points cost a few blocks of memory.
type pointsTable struct {
	table *widget.Table
	ctx   context.Context

	// The fields below belong to the UI goroutine.
	proj    Project
	unit    survey.Unit // the project's: coordinates are shown in it
	rows    int
	gen     int // bumped on every reset, so stale fetches are dropped
	blocks  map[int]*list.Element
	lru     *list.List // of *pointBlock, most recent first
	loading map[int]bool
}

type pointBlock struct {
	index  int
	points []survey.Point
}

func newPointsTable(ctx context.Context) *pointsTable {
	pt := &pointsTable{ctx: ctx}
	pt.resetCache()

	t := widget.NewTable(pt.length, pt.create, pt.update)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("Elevation") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(pointColumns) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = true
			l.SetText(columnTitle(id.Col, pt.unit))
		}
	}
	for i, c := range pointColumns {
		t.SetColumnWidth(i, c.width)
	}
	pt.table = t

	return pt
}

func (pt *pointsTable) resetCache() {
	pt.gen++
	pt.blocks = map[int]*list.Element{}
	pt.lru = list.New()
	pt.loading = map[int]bool{}
}

// setProject shows proj with rows points; the first block may be given
// when the caller fetched it already. Call on the UI goroutine.
func (pt *pointsTable) setProject(proj Project, rows int, first []survey.Point) {
	pt.proj, pt.rows = proj, rows
	pt.unit = proj.Settings().Unit
	pt.resetCache()
	if first != nil {
		pt.store(0, first)
	}
	pt.table.ScrollToTop()
	pt.table.Refresh()
}

func (pt *pointsTable) length() (int, int) { return pt.rows, len(pointColumns) }

func (pt *pointsTable) create() fyne.CanvasObject {
	l := widget.NewLabel("000000000.000")
	l.Truncation = fyne.TextTruncateEllipsis

	return l
}

func (pt *pointsTable) update(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	p, ok := pt.point(id.Row)
	if !ok {
		l.SetText("…")
		return
	}
	l.SetText(cellText(p, id.Col, pt.unit))
}

// setUnit shows the coordinates in unit, after the project's unit changed.
// Call on the UI goroutine.
func (pt *pointsTable) setUnit(unit survey.Unit) {
	if unit != pt.unit {
		pt.unit = unit
		pt.table.Refresh()
	}
}

// columnTitle is the header of column col, with the unit of the
// coordinates: "Easting (usft)".
func columnTitle(col int, unit survey.Unit) string {
	title := pointColumns[col].title
	if col >= 1 && col <= 3 {
		title += " (" + string(displayUnit(unit)) + ")"
	}

	return title
}

// cellText formats one cell, its coordinates in unit (the project's; the
// points hold metres); an unknown elevation is blank, never 0.
func cellText(p *survey.Point, col int, unit survey.Unit) string {
	switch col {
	case 0:
		return p.ID
	case 1:
		return lengthText(p.E, unit)
	case 2:
		return lengthText(p.N, unit)
	case 3:
		if !p.HasZ {
			return ""
		}
		return lengthText(p.Z, unit)
	case 4:
		return p.Code
	}

	return ""
}

// point returns row's point from the cache, or starts fetching its block.
func (pt *pointsTable) point(row int) (*survey.Point, bool) {
	b := row / blockRows
	if e, ok := pt.blocks[b]; ok {
		pt.lru.MoveToFront(e)
		blk := e.Value.(*pointBlock)
		if i := row - b*blockRows; i < len(blk.points) {
			return &blk.points[i], true
		}
		return nil, false
	}
	pt.fetch(b)

	return nil, false
}

func (pt *pointsTable) fetch(b int) {
	if pt.proj == nil || pt.loading[b] {
		return
	}
	pt.loading[b] = true
	proj, gen := pt.proj, pt.gen

	go func() {
		pts, err := proj.Points(pt.ctx, b*blockRows, blockRows)
		do(func() {
			if gen != pt.gen {
				return
			}
			delete(pt.loading, b)
			if err != nil {
				return // the cells keep showing "…"; the next scroll retries
			}
			pt.store(b, pts)
			pt.table.Refresh()
		})
	}()
}

func (pt *pointsTable) store(b int, pts []survey.Point) {
	pt.blocks[b] = pt.lru.PushFront(&pointBlock{index: b, points: pts})
	for pt.lru.Len() > maxBlocks {
		old := pt.lru.Back()
		pt.lru.Remove(old)
		delete(pt.blocks, old.Value.(*pointBlock).index)
	}
}

// cached reports whether row's block is in the cache (for tests).
func (pt *pointsTable) cached(row int) bool {
	_, ok := pt.blocks[row/blockRows]
	return ok
}

// displayUnit is unit, or metres for a project without one.
func displayUnit(unit survey.Unit) survey.Unit {
	if unit == survey.Foot || unit == survey.USSurveyFoot {
		return unit
	}

	return survey.Metre
}

// lengthText writes m metres in unit with three decimals.
func lengthText(m float64, unit survey.Unit) string {
	return strconv.FormatFloat(m/displayUnit(unit).Metres(), 'f', 3, 64)
}
