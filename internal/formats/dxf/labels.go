package dxf

import (
	"math"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

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
			hint = "; to use them as point ids, choose \"Take point ids from their " +
				"labels\" (--dxf-labels)"
		}

		rd.warn(0, "TEXT", "%s not imported%s",
			survey.Plural(unused, "TEXT/MTEXT label", "TEXT/MTEXT labels"), hint)
	}
}
