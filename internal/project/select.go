package project

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/backsight/backsight/internal/survey"
)

// LineRow is a stored line with its row id and source.
type LineRow struct {
	RowID    int64
	SourceID int64
	survey.Line
}

// SurfaceRow is a stored surface with its row id and source.
type SurfaceRow struct {
	RowID    int64
	SourceID int64
	survey.Surface
}

// Lines returns the selected lines with their vertices, in row order.
func (p *Project) Lines(ctx context.Context, sel Selection) ([]LineRow, error) {
	w, args := sel.where(true)
	rows, err := p.db.QueryContext(ctx, `SELECT id, source_id, code, name, closed FROM lines WHERE `+w+
		` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("project: lines: %w", err)
	}

	var out []LineRow
	for rows.Next() {
		var l LineRow
		if err := rows.Scan(&l.RowID, &l.SourceID, &l.Code, &l.Name, &l.Closed); err != nil {
			rows.Close()

			return nil, fmt.Errorf("project: lines: %w", err)
		}

		out = append(out, l)
	}

	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("project: lines: %w", err)
	}

	if len(out) == 0 {
		return out, nil
	}

	if err := p.lineVertices(ctx, w, args, out); err != nil {
		return nil, fmt.Errorf("project: lines: %w", err)
	}

	return out, nil
}

// lineVertices fills in the vertices of lines (selected by where) with one
// query, not one per line.
func (p *Project) lineVertices(ctx context.Context, where string, args []any, lines []LineRow) error {
	at := make(map[int64]int, len(lines))
	for i, l := range lines {
		at[l.RowID] = i
	}

	rows, err := p.db.QueryContext(ctx, `SELECT line_id, e, n, z FROM line_vertices
		WHERE line_id IN (SELECT id FROM lines WHERE `+where+`) ORDER BY line_id, seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()

	for rows.Next() {
		var id int64
		var v survey.Vertex
		var z sql.NullFloat64
		if err := rows.Scan(&id, &v.E, &v.N, &z); err != nil {
			return err
		}

		v.Z, v.HasZ = z.Float64, z.Valid
		if i, ok := at[id]; ok {
			lines[i].Vertices = append(lines[i].Vertices, v)
		}
	}

	return rows.Err()
}

func (p *Project) vertices(ctx context.Context, query string, id int64) ([]survey.Vertex, error) {
	rows, err := p.db.QueryContext(ctx, query, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []survey.Vertex
	for rows.Next() {
		var v survey.Vertex
		var z sql.NullFloat64
		if err := rows.Scan(&v.E, &v.N, &z); err != nil {
			return nil, err
		}

		v.Z, v.HasZ = z.Float64, z.Valid
		out = append(out, v)
	}

	return out, rows.Err()
}

// Surfaces returns the selected surfaces with vertices and triangles.
// Selection.Codes does not apply to surfaces.
func (p *Project) Surfaces(ctx context.Context, sel Selection) ([]SurfaceRow, error) {
	w, args := sel.where(false)
	rows, err := p.db.QueryContext(ctx, `SELECT id, source_id, name FROM surfaces WHERE `+w+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("project: surfaces: %w", err)
	}

	var out []SurfaceRow
	for rows.Next() {
		var s SurfaceRow
		if err := rows.Scan(&s.RowID, &s.SourceID, &s.Name); err != nil {
			rows.Close()

			return nil, fmt.Errorf("project: surfaces: %w", err)
		}

		out = append(out, s)
	}

	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("project: surfaces: %w", err)
	}

	for i := range out {
		s := &out[i]
		v, err := p.vertices(ctx, `SELECT e, n, z FROM surface_vertices WHERE surface_id = ? ORDER BY seq`, s.RowID)
		if err != nil {
			return nil, fmt.Errorf("project: surfaces: %w", err)
		}

		s.Vertices = v
		if s.Triangles, err = p.triangles(ctx, s.RowID); err != nil {
			return nil, fmt.Errorf("project: surfaces: %w", err)
		}
	}

	return out, nil
}

func (p *Project) triangles(ctx context.Context, id int64) ([][3]int, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT a, b, c FROM surface_triangles WHERE surface_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out [][3]int
	for rows.Next() {
		var t [3]int
		if err := rows.Scan(&t[0], &t[1], &t[2]); err != nil {
			return nil, err
		}

		out = append(out, t)
	}

	return out, rows.Err()
}

// Select loads the selected points, lines and surfaces as a dataset for an
// export, in metres and in row order (so exports are deterministic). For
// very large point sets, EachPoint avoids holding them all.
func (p *Project) Select(ctx context.Context, sel Selection) (*survey.Dataset, error) {
	points, err := p.selectPoints(ctx, sel)
	if err != nil {
		return nil, err
	}

	ds := &survey.Dataset{Points: points, SourceUnit: survey.Metre}

	lines, err := p.Lines(ctx, sel)
	if err != nil {
		return nil, err
	}

	for _, l := range lines {
		ds.Lines = append(ds.Lines, l.Line)
	}

	surfaces, err := p.Surfaces(ctx, sel)
	if err != nil {
		return nil, err
	}

	for _, s := range surfaces {
		ds.Surfaces = append(ds.Surfaces, s.Surface)
	}

	return ds, nil
}
