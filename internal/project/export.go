package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/survey"
)

// ExportResult reports what an export wrote.
type ExportResult struct {
	survey.Counts
	// Warnings list what the writer had to change to fit the format (GSI
	// ids with spaces, codes too long...): show them to the user.
	Warnings []survey.Warning
}

// NothingToExportError is returned (wrapping ErrNothingToExport) when the
// selection holds nothing the chosen format can hold: no data at all, or
// only surfaces for a format that holds points.
type NothingToExportError struct {
	Format string // registry name, e.g. "csv"
	// Points, Lines and Surfaces count the selection.
	Points, Lines, Surfaces int
}

// Error implements error.
func (e *NothingToExportError) Error() string {
	return "nothing to export: " + e.Sentence()
}

// Unwrap makes errors.Is(err, ErrNothingToExport) true.
func (e *NothingToExportError) Unwrap() error { return ErrNothingToExport }

// Sentence says, for the user, what the format holds and what the
// selection has.
func (e *NothingToExportError) Sentence() string {
	if e.Points+e.Lines+e.Surfaces == 0 {
		return "the selection holds no points, lines or surfaces. Choose other sources or codes."
	}

	var has []string
	for _, c := range []struct {
		n    int
		what string
	}{{e.Lines, "line"}, {e.Surfaces, "surface"}} {
		switch {
		case c.n == 1:
			has = append(has, "1 "+c.what)
		case c.n > 1:
			has = append(has, fmt.Sprintf("%d %ss", c.n, c.what))
		}
	}

	return fmt.Sprintf("a %s file holds points only, and the selection has %s but no points. "+
		"Export it as LandXML, DXF or GeoJSON, or choose other sources.",
		strings.ToUpper(e.Format), strings.Join(has, " and "))
}

// holdsPointsOnly lists the formats whose writer writes points only.
func holdsPointsOnly(format string) bool { return format == formats.CSV || format == formats.GSI }

// Export writes the selection in the named format to w and returns what was
// written; see ExportReport.
func (p *Project) Export(ctx context.Context, w io.Writer, format string, sel Selection, fs formats.Settings) (survey.Counts, error) {
	r, err := p.ExportReport(ctx, w, format, sel, fs)

	return r.Counts, err
}

// ExportReport writes the selection in the named format to w and returns
// what was written and the writer's warnings. Delimited files stream points
// from the database (a point file has no lines or surfaces); other formats
// load the selection first. Use fs.WithUnit(p.Settings().Unit) to write in
// the project unit.
//
// The output is deterministic (survey-formats.md §9): row order, fixed
// formatting, and a header time taken from the data, never the clock: the
// LandXML date and time are the latest import time (UTC) of the sources
// exported, or the project's creation time, unless fs sets them.
func (p *Project) ExportReport(ctx context.Context, w io.Writer, format string, sel Selection, fs formats.Settings) (ExportResult, error) {
	f, err := formats.Lookup(format)
	if err != nil {
		return ExportResult{}, err
	}

	if f.Name == formats.CSV {
		c, err := p.exportCSV(ctx, w, sel, fs.WithAlias(format).CSV.Write)

		return ExportResult{Counts: c}, err
	}

	// Only the LandXML header carries a date.
	if lx := &fs.LandXML.Write; f.Name == formats.LandXML && lx.Date == "" {
		at, err := p.DataTime(ctx, sel)
		if err != nil {
			return ExportResult{}, err
		}

		if !at.IsZero() {
			lx.Date, lx.Time = at.Format("2006-01-02"), at.Format("15:04:05")
		}
	}

	// A points-only writer (GSI) needs no lines or surfaces loaded.
	ds := &survey.Dataset{SourceUnit: survey.Metre}
	if holdsPointsOnly(f.Name) {
		ds.Points, err = p.selectPoints(ctx, sel)
	} else {
		ds, err = p.Select(ctx, sel)
	}

	if err != nil {
		return ExportResult{}, err
	}

	warns, err := formats.WriteWarnings(ctx, w, f.Name, ds, fs)
	if err != nil {
		return ExportResult{}, fmt.Errorf("project: export %s: %w", f.Name, err)
	}

	c := ds.Counts()
	if holdsPointsOnly(f.Name) {
		c.Lines, c.Surfaces = 0, 0
	}

	return ExportResult{Counts: c, Warnings: warns}, nil
}

func (p *Project) exportCSV(ctx context.Context, w io.Writer, sel Selection, s csv.WriteSettings) (survey.Counts, error) {
	pw, err := csv.NewPointWriter(w, s)
	if err != nil {
		return survey.Counts{}, err
	}

	var c survey.Counts
	err = p.EachPoint(ctx, sel, func(r PointRow) error {
		c.Points++

		return pw.Write(&r.Point)
	})
	if err != nil {
		return survey.Counts{}, err
	}

	if err := pw.Flush(); err != nil {
		return survey.Counts{}, fmt.Errorf("project: export csv: %w", err)
	}

	return c, nil
}

// DataTime is the time an export of sel is stamped with: the latest
// imported_at (UTC) among the sources that hold something selected, or the
// project's creation time when none does; zero when neither is known.
func (p *Project) DataTime(ctx context.Context, sel Selection) (time.Time, error) {
	pw, pargs := sel.where(true)
	sw, sargs := sel.where(false)
	args := append(append(append([]any{}, pargs...), pargs...), sargs...)
	rows, err := p.db.QueryContext(ctx, `SELECT imported_at FROM sources s WHERE
		EXISTS(SELECT 1 FROM points WHERE source_id = s.id AND `+pw+`) OR
		EXISTS(SELECT 1 FROM lines WHERE source_id = s.id AND `+pw+`) OR
		EXISTS(SELECT 1 FROM surfaces WHERE source_id = s.id AND `+sw+`)`, args...)
	if err != nil {
		return time.Time{}, fmt.Errorf("project: export time: %w", err)
	}
	defer rows.Close()

	// imported_at is RFC 3339 with trimmed fractions, which does not sort
	// as text: compare parsed times.
	var latest time.Time
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return time.Time{}, fmt.Errorf("project: export time: %w", err)
		}

		if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.After(latest) {
			latest = t
		}
	}

	if err := rows.Err(); err != nil {
		return time.Time{}, fmt.Errorf("project: export time: %w", err)
	}

	if latest.IsZero() {
		return p.CreatedAt(ctx)
	}

	return latest.UTC().Truncate(time.Second), nil
}

// selectionCounts counts the selected points, lines and surfaces.
func (p *Project) selectionCounts(ctx context.Context, sel Selection) (survey.Counts, error) {
	var c survey.Counts
	pw, pargs := sel.where(true)
	sw, sargs := sel.where(false)
	for _, q := range []struct {
		query string
		args  []any
		dst   *int
	}{
		{`SELECT COUNT(*) FROM points WHERE ` + pw, pargs, &c.Points},
		{`SELECT COUNT(*) FROM lines WHERE ` + pw, pargs, &c.Lines},
		{`SELECT COUNT(*) FROM surfaces WHERE ` + sw, sargs, &c.Surfaces},
	} {
		if err := p.db.QueryRowContext(ctx, q.query, q.args...).Scan(q.dst); err != nil {
			return c, fmt.Errorf("project: export: count: %w", err)
		}
	}

	return c, nil
}

// ExportFile exports to path; see ExportFileReport.
func (p *Project) ExportFile(ctx context.Context, path, format string, sel Selection, fs formats.Settings) (survey.Counts, error) {
	r, err := p.ExportFileReport(ctx, path, format, sel, fs)

	return r.Counts, err
}

// ExportFileReport exports to path and returns what was written and the
// writer's warnings, each naming the file (path's base name). The file is
// written to a temporary file in the same folder, made readable by others
// (0644, for shared folders) and renamed on success, so a failed or
// cancelled export leaves no partial file. An export whose selection holds
// nothing the format can hold (nothing at all, or only lines and surfaces
// for CSV or GSI) is refused with a *NothingToExportError and leaves an
// existing file at path untouched.
func (p *Project) ExportFileReport(ctx context.Context, path, format string, sel Selection, fs formats.Settings) (ExportResult, error) {
	f, err := formats.Lookup(format)
	if err != nil {
		return ExportResult{}, err
	}

	c, err := p.selectionCounts(ctx, sel)
	if err != nil {
		return ExportResult{}, err
	}

	if c.Points == 0 && (holdsPointsOnly(f.Name) || c.Lines+c.Surfaces == 0) {
		return ExportResult{}, fmt.Errorf("project: export %s: %w", filepath.Base(path),
			&NothingToExportError{Format: f.Name, Lines: c.Lines, Surfaces: c.Surfaces})
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		// Name the file the user asked for, not the hidden temporary one.
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = &os.PathError{Op: "create", Path: path, Err: pe.Err}
		}

		return ExportResult{}, fmt.Errorf("project: export: %w", err)
	}

	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	r, err := p.ExportReport(ctx, tmp, format, sel, fs)
	if err != nil {
		return r, err
	}

	// The writer does not know the file's name; a warning without one
	// reads ": point 3 ..." to the user.
	for i := range r.Warnings {
		if r.Warnings[i].File == "" {
			r.Warnings[i].File = filepath.Base(path)
		}
	}

	if err := tmp.Chmod(0o644); err != nil {
		return r, fmt.Errorf("project: export: %w", err)
	}

	if err := tmp.Close(); err != nil {
		return r, fmt.Errorf("project: export: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return r, fmt.Errorf("project: export: %w", err)
	}

	done = true

	return r, nil
}
