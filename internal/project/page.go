package project

import (
	"context"
	"fmt"
)

// anchorStep is the distance, in rows, between the page anchors kept for
// PointsPage.
const anchorStep = 1024

// invalidate drops cached page anchors after a change.
func (p *Project) invalidate() {
	p.pageMu.Lock()
	p.anchors, p.anchorsDone = nil, false
	p.pageMu.Unlock()
}

// PointsPage returns up to limit points starting at the offset-th point in
// row order: the view a table of all points shows. It stays fast on a
// million rows: the rowid of every 1024th point is cached as pages are
// asked for (the scan goes only as far as the furthest page asked), so a
// page costs at most 1024 skipped rows once its anchor is known.
func (p *Project) PointsPage(ctx context.Context, offset, limit int) ([]PointRow, error) {
	if offset < 0 || limit <= 0 {
		return nil, nil
	}

	k := offset / anchorStep
	anchor, ok, err := p.anchor(ctx, k)
	if err != nil || !ok {
		return nil, err
	}

	rows, err := p.db.QueryContext(ctx, `SELECT `+pointCols+` FROM points WHERE id >= ?
		ORDER BY id LIMIT ? OFFSET ?`, anchor, limit, offset%anchorStep)
	if err != nil {
		return nil, fmt.Errorf("project: points page: %w", err)
	}
	defer rows.Close()

	out := make([]PointRow, 0, min(limit, 4096))
	for rows.Next() {
		r, err := scanPoint(rows)
		if err != nil {
			return nil, fmt.Errorf("project: points page: %w", err)
		}

		out = append(out, r)
	}

	return out, rows.Err()
}

// anchor returns the rowid of the (k*anchorStep)-th point, extending the
// cache from its last entry when needed. ok is false past the last point.
func (p *Project) anchor(ctx context.Context, k int) (int64, bool, error) {
	p.pageMu.Lock()
	defer p.pageMu.Unlock()

	if k < len(p.anchors) {
		return p.anchors[k], true, nil
	}

	if p.anchorsDone {
		return 0, false, nil
	}

	from := int64(-1 << 63)
	if n := len(p.anchors); n > 0 {
		from = p.anchors[n-1] + 1
	}

	rows, err := p.db.QueryContext(ctx, `SELECT id FROM points WHERE id >= ? ORDER BY id`, from)
	if err != nil {
		return 0, false, fmt.Errorf("project: points page: %w", err)
	}
	defer rows.Close()

	// The first row after the last anchor is 1 row on from it (or row 0).
	i := 0
	if len(p.anchors) > 0 {
		i = 1
	}

	for ; rows.Next(); i++ {
		if i%anchorStep != 0 {
			continue
		}

		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, false, fmt.Errorf("project: points page: %w", err)
		}

		p.anchors = append(p.anchors, id)
		if k < len(p.anchors) {
			return p.anchors[k], true, nil
		}
	}

	if err := rows.Err(); err != nil {
		return 0, false, fmt.Errorf("project: points page: %w", err)
	}

	p.anchorsDone = true

	return 0, false, nil
}
