package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/survey"
)

// Export writes the selection in the named format to w and returns what was
// written. Delimited files stream points from the database (a point file
// has no lines or surfaces); other formats load the selection first. Use
// fs.WithUnit(p.Settings().Unit) to write in the project unit. The output
// is deterministic: row order, fixed formatting, no timestamps.
func (p *Project) Export(ctx context.Context, w io.Writer, format string, sel Selection, fs formats.Settings) (survey.Counts, error) {
	f, err := formats.Lookup(format)
	if err != nil {
		return survey.Counts{}, err
	}

	if f.Name == formats.CSV {
		return p.exportCSV(ctx, w, sel, fs.CSV.Write)
	}

	ds, err := p.Select(ctx, sel)
	if err != nil {
		return survey.Counts{}, err
	}

	if err := formats.Write(ctx, w, f.Name, ds, fs); err != nil {
		return survey.Counts{}, fmt.Errorf("project: export %s: %w", f.Name, err)
	}

	return ds.Counts(), nil
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

// ExportFile exports to path: written to a temporary file in the same
// folder and renamed on success, so a failed or cancelled export leaves no
// partial file. It refuses to write an empty selection (a 0-byte or empty
// file is never what the user wants to upload).
func (p *Project) ExportFile(ctx context.Context, path, format string, sel Selection, fs formats.Settings) (survey.Counts, error) {
	n, err := p.PointCount(ctx, sel)
	if err != nil {
		return survey.Counts{}, err
	}

	if n == 0 {
		lines, err := p.Lines(ctx, sel)
		if err != nil {
			return survey.Counts{}, err
		}

		surfaces, err := p.Surfaces(ctx, sel)
		if err != nil {
			return survey.Counts{}, err
		}

		if len(lines) == 0 && len(surfaces) == 0 {
			return survey.Counts{}, fmt.Errorf("project: export %s: %w", filepath.Base(path), ErrNothingToExport)
		}
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		// Name the file the user asked for, not the hidden temporary one.
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = &os.PathError{Op: "create", Path: path, Err: pe.Err}
		}

		return survey.Counts{}, fmt.Errorf("project: export: %w", err)
	}

	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	c, err := p.Export(ctx, tmp, format, sel, fs)
	if err != nil {
		return c, err
	}

	if err := tmp.Close(); err != nil {
		return c, fmt.Errorf("project: export: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return c, fmt.Errorf("project: export: %w", err)
	}

	done = true

	return c, nil
}
