package formats

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/dxf"
	"github.com/backsight/backsight/internal/formats/geojson"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/formats/landxml"
	"github.com/backsight/backsight/internal/survey"
)

// Read reads a dataset in the named format from r; name is the file name
// used for detection and in warnings. An empty format detects it. Reading
// an attachment returns ErrAttachment. Like the format readers, Read may
// return a dataset together with an error (a GSI file of observations
// only, for example); the error then says why it cannot be imported. An
// alias that names a column order (pnezd, penzd, xyz) reads in that order
// unless s.CSV.Read.Template gives one.
func Read(ctx context.Context, r io.Reader, name, format string, s Settings) (*survey.Dataset, error) {
	s = s.WithAlias(format)
	br := bufio.NewReaderSize(r, HeadSize)
	format, err := resolve(br, name, format)
	if err != nil {
		return nil, err
	}

	switch format {
	case CSV:
		return csv.Read(ctx, br, name, s.CSV.Read)
	case LandXML:
		return landxml.Read(ctx, br, name, s.LandXML.Read)
	case DXF:
		return dxf.Read(ctx, br, name, s.DXF.Read)
	case GSI:
		return gsi.Read(ctx, br, name, s.GSI.Read)
	case GeoJSON:
		return geojson.Read(ctx, br, name, s.GeoJSON.Read)
	}

	return nil, fmt.Errorf("%w %q", ErrUnknownFormat, format)
}

// resolve checks a format name, or detects it from the buffered head.
func resolve(br *bufio.Reader, name, format string) (string, error) {
	if format == "" {
		head, err := peekHead(br, name)
		if err != nil {
			return "", err
		}

		format, _ = Detect(name, head)
	}

	f, err := Lookup(format)
	if err != nil {
		return "", err
	}

	if f.Kind == KindAttachment {
		return "", fmt.Errorf("%w: %s (%s)", ErrAttachment, name, f.Label)
	}

	return f.Name, nil
}

// peekHead returns up to HeadSize bytes from the start of br without
// consuming them; a file shorter than that is not an error.
func peekHead(br *bufio.Reader, name string) ([]byte, error) {
	head, err := br.Peek(HeadSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("formats: read %s: %w", name, err)
	}

	return head, nil
}

// ReadFile opens path and reads it with Read. The file name is the base name.
func ReadFile(ctx context.Context, path, format string, s Settings) (*survey.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("formats: %w", err)
	}
	defer f.Close()

	return Read(ctx, f, filepath.Base(path), format, s)
}

// ReadEach is Read for imports: points go to emit one by one and the
// returned dataset holds the rest (lines, surfaces, warnings, counts) but
// no points. Delimited files stream without holding their points; other
// formats are read whole first.
func ReadEach(ctx context.Context, r io.Reader, name, format string, s Settings, emit func(survey.Point) error) (*survey.Dataset, error) {
	s = s.WithAlias(format)
	br := bufio.NewReaderSize(r, HeadSize)
	format, err := resolve(br, name, format)
	if err != nil {
		return nil, err
	}

	if format == CSV {
		return csv.ReadEach(ctx, br, name, s.CSV.Read, emit)
	}

	ds, err := Read(ctx, br, name, format, s)
	if err != nil {
		return ds, err
	}

	for _, p := range ds.Points {
		if err := emit(p); err != nil {
			return nil, err
		}
	}

	ds.Points = nil

	return ds, nil
}

// Write writes ds in the named format.
func Write(ctx context.Context, w io.Writer, format string, ds *survey.Dataset, s Settings) error {
	_, err := WriteWarnings(ctx, w, format, ds, s)

	return err
}

// WriteWarnings writes ds in the named format and returns what the writer
// had to change to fit the format (GSI ids and codes), for the user to see.
// An alias that names a column order (pnezd, penzd, xyz) writes in that
// order unless s.CSV.Write.Template gives one.
func WriteWarnings(ctx context.Context, w io.Writer, format string, ds *survey.Dataset, s Settings) ([]survey.Warning, error) {
	f, err := Lookup(format)
	if err != nil {
		return nil, err
	}

	if f.Name == GSI {
		return gsi.WriteWarnings(ctx, w, ds, s.GSI.Write)
	}

	return nil, write(ctx, w, f, ds, s.WithAlias(format))
}

func write(ctx context.Context, w io.Writer, f Format, ds *survey.Dataset, s Settings) error {
	switch f.Name {
	case CSV:
		return csv.Write(ctx, w, ds, s.CSV.Write)
	case LandXML:
		return landxml.Write(ctx, w, ds, s.LandXML.Write)
	case DXF:
		return dxf.Write(ctx, w, ds, s.DXF.Write)
	case GeoJSON:
		return geojson.Write(ctx, w, ds, s.GeoJSON.Write)
	}

	return fmt.Errorf("%w: %s", ErrNotWritable, f.Label)
}

// PreviewResult is what an import step shows before importing.
type PreviewResult struct {
	// Format is the format used (detected when none was given).
	Format string
	// Confidence is the detection confidence (100 when the format was given).
	Confidence int
	// Points and Lines are the first n of each, as they will be imported.
	Points []survey.Point
	Lines  []survey.Line
	// Counts counts everything the file gives, including all warnings.
	Counts survey.Counts
	// Warnings are the first n warnings.
	Warnings []survey.Warning
	// Layout is the detected delimiter, header and template of a delimited file.
	Layout *csv.Layout
	// Err is the reason the file cannot be imported, if any (the preview
	// still shows what was read).
	Err error
}

// Preview reads r as an import would and returns its first n points and
// lines with the counts, for the import step of the GUI. A file that
// cannot be imported gives a result with Err set (and what was read), not
// an error; the error return is for I/O failures and cancellation. Points
// are not held beyond the first n, so previewing a large file is cheap in
// memory.
func Preview(ctx context.Context, r io.Reader, name, format string, s Settings, n int) (*PreviewResult, error) {
	br := bufio.NewReaderSize(r, HeadSize)
	head, err := peekHead(br, name)
	if err != nil {
		return nil, err
	}

	pv := &PreviewResult{Format: format, Confidence: 100}
	if format == "" {
		pv.Format, pv.Confidence = Detect(name, head)
	}

	if pv.Format == CSV {
		if l, err := csv.DetectLayout(head, s.CSV.Read); err == nil {
			pv.Layout = &l
		}
	}

	total := 0
	ds, err := ReadEach(ctx, br, name, pv.Format, s, func(p survey.Point) error {
		total++
		if len(pv.Points) < n {
			pv.Points = append(pv.Points, p)
		}

		return nil
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	if ds != nil {
		pv.Counts = ds.Counts()
		pv.Lines = ds.Lines[:min(n, len(ds.Lines))]
		pv.Warnings = ds.Warnings[:min(n, len(ds.Warnings))]
	}

	pv.Counts.Points = total
	pv.Err = err

	return pv, nil
}
