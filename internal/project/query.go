package project

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/backsight/backsight/internal/survey"
)

// Source is an imported file as listed in the project.
type Source struct {
	ID int64
	SourceInfo
	Unit         survey.Unit
	CRS          string
	Observations int
	// Points, Lines, Surfaces and Attachments count what the source holds now.
	Points, Lines, Surfaces, Attachments int
}

// Sources lists the imported files, oldest first.
func (p *Project) Sources(ctx context.Context) ([]Source, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT s.id, s.name, s.format, s.size, s.sha256, s.imported_at,
		s.unit, s.crs, s.observations, s.company_id, s.project_id, s.file_id, s.version_id,
		s.version_number, s.procore_path,
		(SELECT COUNT(*) FROM points WHERE source_id = s.id),
		(SELECT COUNT(*) FROM lines WHERE source_id = s.id),
		(SELECT COUNT(*) FROM surfaces WHERE source_id = s.id),
		(SELECT COUNT(*) FROM attachments WHERE source_id = s.id)
		FROM sources s ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("project: sources: %w", err)
	}
	defer rows.Close()

	var out []Source
	for rows.Next() {
		var s Source
		var at, unit string
		var company, project, file, version, number sql.NullInt64
		var path sql.NullString
		err := rows.Scan(&s.ID, &s.Name, &s.Format, &s.Size, &s.SHA256, &at, &unit, &s.CRS,
			&s.Observations, &company, &project, &file, &version, &number, &path,
			&s.Points, &s.Lines, &s.Surfaces, &s.Attachments)
		if err != nil {
			return nil, fmt.Errorf("project: sources: %w", err)
		}

		s.Unit = survey.Unit(unit)
		s.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
		if file.Valid {
			s.Procore = &ProcoreRef{CompanyID: company.Int64, ProjectID: project.Int64, FileID: file.Int64,
				VersionID: version.Int64, VersionNumber: number.Int64, Path: path.String}
		}

		out = append(out, s)
	}

	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("project: sources: %w", err)
	}

	return out, nil
}

// DeleteSource removes a source and everything it brought.
func (p *Project) DeleteSource(ctx context.Context, id int64) error {
	if _, err := p.db.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id); err != nil {
		return fmt.Errorf("project: delete source %d: %w", id, err)
	}

	p.invalidate()

	return nil
}

// Warnings returns the warnings recorded when a source was imported.
func (p *Project) Warnings(ctx context.Context, sourceID int64) ([]survey.Warning, error) {
	var name string
	if err := p.db.QueryRowContext(ctx, `SELECT name FROM sources WHERE id = ?`, sourceID).Scan(&name); err != nil {
		return nil, fmt.Errorf("project: warnings: %w", err)
	}

	rows, err := p.db.QueryContext(ctx, `SELECT line, element, msg FROM warnings WHERE source_id = ? ORDER BY seq`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("project: warnings: %w", err)
	}
	defer rows.Close()

	var out []survey.Warning
	for rows.Next() {
		w := survey.Warning{File: name}
		if err := rows.Scan(&w.Line, &w.Element, &w.Msg); err != nil {
			return nil, fmt.Errorf("project: warnings: %w", err)
		}

		out = append(out, w)
	}

	return out, rows.Err()
}

// PointRow is a stored point with its row id and source.
type PointRow struct {
	RowID    int64
	SourceID int64
	survey.Point
}

const pointCols = `id, source_id, pid, code, e, n, z, attrs`

func scanPoint(rows *sql.Rows) (PointRow, error) {
	var r PointRow
	var z sql.NullFloat64
	var attrs sql.NullString
	if err := rows.Scan(&r.RowID, &r.SourceID, &r.ID, &r.Code, &r.E, &r.N, &z, &attrs); err != nil {
		return r, err
	}

	r.Z, r.HasZ = z.Float64, z.Valid
	if attrs.Valid && attrs.String != "" {
		if err := json.Unmarshal([]byte(attrs.String), &r.Attrs); err != nil {
			return r, fmt.Errorf("point %q attributes: %w", r.ID, err)
		}
	}

	return r, nil
}

// Selection picks the data to export. The zero value selects everything;
// SourceIDs and Codes narrow it (both must match when both are given).
// Codes filter points and lines; surfaces are selected by source only.
type Selection struct {
	SourceIDs []int64
	Codes     []string
}

// where returns a SQL condition and its arguments for the selection.
func (s Selection) where(codes bool) (string, []any) {
	var conds []string
	var args []any
	if len(s.SourceIDs) > 0 {
		conds = append(conds, "source_id IN ("+idList(s.SourceIDs)+")")
	}

	if codes && len(s.Codes) > 0 {
		conds = append(conds, "code IN ("+strings.TrimSuffix(strings.Repeat("?,", len(s.Codes)), ",")+")")
		for _, c := range s.Codes {
			args = append(args, c)
		}
	}

	if len(conds) == 0 {
		return "1", nil
	}

	return strings.Join(conds, " AND "), args
}

// PointCount counts the selected points.
func (p *Project) PointCount(ctx context.Context, sel Selection) (int, error) {
	w, args := sel.where(true)
	var n int
	if err := p.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM points WHERE `+w, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("project: count points: %w", err)
	}

	return n, nil
}

// Points returns up to limit selected points with a row id greater than
// afterRowID, in row order (keyset paging: pass the last RowID to continue).
func (p *Project) Points(ctx context.Context, sel Selection, afterRowID int64, limit int) ([]PointRow, error) {
	w, args := sel.where(true)
	args = append([]any{afterRowID}, args...)
	args = append(args, limit)
	rows, err := p.db.QueryContext(ctx, `SELECT `+pointCols+` FROM points WHERE id > ? AND `+w+
		` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("project: points: %w", err)
	}
	defer rows.Close()

	out := make([]PointRow, 0, min(limit, 4096))
	for rows.Next() {
		r, err := scanPoint(rows)
		if err != nil {
			return nil, fmt.Errorf("project: points: %w", err)
		}

		out = append(out, r)
	}

	return out, rows.Err()
}

// EachPoint calls fn for every selected point in row order, without holding
// them all in memory. Rows are read on a second goroutine in batches so that
// reading the database and writing a file overlap; fn runs on the caller's
// goroutine.
func (p *Project) EachPoint(ctx context.Context, sel Selection, fn func(PointRow) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	const batch = 2048
	full := make(chan []PointRow, 2)
	free := make(chan []PointRow, 3)
	for range 3 {
		free <- make([]PointRow, 0, batch)
	}

	errc := make(chan error, 1)
	go func() {
		defer close(full)
		errc <- p.scanPoints(ctx, sel, batch, full, free)
	}()

	var fnErr error
	for b := range full {
		if fnErr == nil {
			for i := range b {
				if fnErr = fn(b[i]); fnErr != nil {
					cancel()

					break
				}
			}
		}

		free <- b[:0]
	}

	if err := <-errc; fnErr == nil && err != nil {
		return err
	}

	return fnErr
}

// scanPoints reads the selected points into batches taken from free and
// sends them on full. It talks to the driver directly, as selectPoints does.
func (p *Project) scanPoints(ctx context.Context, sel Selection, size int, full, free chan []PointRow) error {
	w, args := sel.where(true)
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("project: points: %w", err)
	}
	defer conn.Close()

	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}

	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("driver cannot query directly")
		}

		rows, err := q.QueryContext(ctx, `SELECT id, source_id, pid, code, e, n, z, attrs FROM points WHERE `+
			w+` ORDER BY id`, named)
		if err != nil {
			return err
		}
		defer rows.Close()

		return sendBatches(ctx, rows, size, full, free)
	})
	if err != nil {
		return fmt.Errorf("project: points: %w", err)
	}

	return nil
}

func sendBatches(ctx context.Context, rows driver.Rows, size int, full, free chan []PointRow) error {
	dest := make([]driver.Value, 8)
	b := <-free
	for {
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		}

		if err != nil {
			return err
		}

		pt, err := pointFromValues(dest[2:])
		if err != nil {
			return err
		}

		id, _ := dest[0].(int64)
		src, _ := dest[1].(int64)
		b = append(b, PointRow{RowID: id, SourceID: src, Point: pt})
		if len(b) < size {
			continue
		}

		full <- b
		select {
		case b = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
	}

	if len(b) > 0 {
		full <- b
	}

	return nil
}

// CodeCount is a code and the number of points and lines using it.
type CodeCount struct {
	Code          string
	Points, Lines int
}

// Codes lists the point and line codes in use, sorted.
func (p *Project) Codes(ctx context.Context) ([]CodeCount, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT code, SUM(pt), SUM(ln) FROM (
		SELECT code, 1 AS pt, 0 AS ln FROM points UNION ALL SELECT code, 0, 1 FROM lines)
		GROUP BY code ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("project: codes: %w", err)
	}
	defer rows.Close()

	var out []CodeCount
	for rows.Next() {
		var c CodeCount
		if err := rows.Scan(&c.Code, &c.Points, &c.Lines); err != nil {
			return nil, fmt.Errorf("project: codes: %w", err)
		}

		out = append(out, c)
	}

	return out, rows.Err()
}

// Extent is a bounding box in metres.
type Extent struct {
	MinE, MinN, MaxE, MaxN float64
	// MinZ and MaxZ are meaningful only when HasZ is true.
	MinZ, MaxZ float64
	HasZ       bool
	// Empty is true when the project holds no coordinates.
	Empty bool
}

// Extent returns the bounding box of all points, line vertices and surface vertices.
func (p *Project) Extent(ctx context.Context) (Extent, error) {
	var minE, minN, maxE, maxN, minZ, maxZ sql.NullFloat64
	err := p.db.QueryRowContext(ctx, `SELECT MIN(e), MIN(n), MAX(e), MAX(n), MIN(z), MAX(z) FROM (
		SELECT e, n, z FROM points UNION ALL SELECT e, n, z FROM line_vertices
		UNION ALL SELECT e, n, z FROM surface_vertices)`).Scan(&minE, &minN, &maxE, &maxN, &minZ, &maxZ)
	if err != nil {
		return Extent{}, fmt.Errorf("project: extent: %w", err)
	}

	if !minE.Valid {
		return Extent{Empty: true}, nil
	}

	return Extent{MinE: minE.Float64, MinN: minN.Float64, MaxE: maxE.Float64, MaxN: maxN.Float64,
		MinZ: minZ.Float64, MaxZ: maxZ.Float64, HasZ: minZ.Valid}, nil
}
