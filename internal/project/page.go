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
	p.mu.Lock()
	p.anchors = nil
	p.mu.Unlock()
}

// PointsPage returns up to limit points starting at the offset-th point in
// row order: the view a table of all points shows. It stays fast on a
// million rows: the rowid of every 1024th point is cached (one pass over the
// rowid index after each change), so a page costs at most 1024 skipped rows.
func (p *Project) PointsPage(ctx context.Context, offset, limit int) ([]PointRow, error) {
	if offset < 0 || limit <= 0 {
		return nil, nil
	}

	anchors, err := p.pageAnchors(ctx)
	if err != nil {
		return nil, err
	}

	k := offset / anchorStep
	if k >= len(anchors) {
		return nil, nil
	}

	rows, err := p.db.QueryContext(ctx, `SELECT `+pointCols+` FROM points WHERE id >= ?
		ORDER BY id LIMIT ? OFFSET ?`, anchors[k], limit, offset%anchorStep)
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

func (p *Project) pageAnchors(ctx context.Context) ([]int64, error) {
	p.mu.Lock()
	a := p.anchors
	p.mu.Unlock()
	if a != nil {
		return a, nil
	}

	rows, err := p.db.QueryContext(ctx, `SELECT id FROM points ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("project: points page: %w", err)
	}
	defer rows.Close()

	a = []int64{}
	for i := 0; rows.Next(); i++ {
		if i%anchorStep != 0 {
			continue
		}

		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("project: points page: %w", err)
		}

		a = append(a, id)
	}

	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("project: points page: %w", err)
	}

	p.mu.Lock()
	p.anchors = a
	p.mu.Unlock()

	return a, nil
}
