package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

// ImportRequest describes one file to import into a project. The command
// line and the window both import through [ImportFile].
type ImportRequest struct {
	// Path is the local file.
	Path string
	// Format is a registry name; "" or "auto" detects it from the content.
	Format string
	// Settings are the readers' settings.
	Settings formats.Settings
	// Unit is the unit of coordinates in files that do not say; empty
	// means the project's unit.
	Unit survey.Unit
	// Duplicates says what to do with point ids the project already has.
	Duplicates project.Duplicates
	// Procore is set for a file downloaded from Procore.
	Procore *project.ProcoreRef
}

// ImportSummary is what [ImportFile] did.
type ImportSummary struct {
	// File is the file's base name and Format the format it was read as.
	File, Format string
	// Attachment is true when the file was kept as an attachment, unparsed.
	Attachment bool
	project.ImportResult
}

// ImportFile imports req.Path into p: survey data in one transaction (the
// whole file or nothing), any other file (PDF, image, DWG...) as an
// attachment. Parse failures are *survey.ParseError values naming the file
// and line.
func ImportFile(ctx context.Context, p *project.Project, req ImportRequest) (*ImportSummary, error) {
	name := filepath.Base(req.Path)

	format, err := resolveFormat(req.Path, req.Format)
	if err != nil {
		return nil, err
	}
	sum := &ImportSummary{File: name, Format: format}

	if formats.IsAttachment(format) {
		_, err := p.AddAttachment(ctx, req.Path, format, project.SourceInfo{
			Name: name, Format: format, Procore: req.Procore,
		})
		if err != nil {
			return nil, err
		}
		sum.Attachment = true

		return sum, nil
	}

	size, digest, err := project.HashFile(ctx, req.Path)
	if err != nil {
		return nil, err
	}

	unit := req.Unit
	if unit == survey.UnitUnknown {
		unit = p.Settings().Unit
	}
	settings := req.Settings.WithUnit(unit)

	src := project.SourceInfo{Name: name, Format: format, Size: size, SHA256: digest,
		Procore: req.Procore}
	res, err := p.ImportStream(ctx, src, project.ImportOptions{Duplicates: req.Duplicates},
		func(ctx context.Context, emit project.EmitFunc) (*survey.Dataset, error) {
			f, err := os.Open(req.Path)
			if err != nil {
				return nil, err
			}
			defer f.Close()

			return formats.ReadEach(ctx, f, name, format, settings, emit)
		})
	if err != nil {
		return nil, err
	}
	sum.ImportResult = res

	return sum, nil
}

// resolveFormat names the format of path: the given one, or the detected one.
func resolveFormat(path, format string) (string, error) {
	if format != "" && format != "auto" {
		f, err := formats.Lookup(format)
		if err != nil {
			return "", err
		}

		return f.Name, nil
	}

	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()

	head := make([]byte, formats.HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", fmt.Errorf("app: read %s: %w", filepath.Base(path), err)
	}

	detected, _ := formats.Detect(filepath.Base(path), head[:n])

	return detected, nil
}

// ExportRequest describes one export of project data to a file.
type ExportRequest struct {
	// Path is the file to write; it is replaced only when the export is
	// complete.
	Path string
	// Format is a registry name of a writable format.
	Format string
	// Settings are the writers' settings.
	Settings formats.Settings
	// Unit is the unit to write; empty means the project's unit.
	Unit survey.Unit
	// Selection picks the data; the zero value exports everything.
	Selection project.Selection
}

// ExportSummary is what [ExportFile] wrote.
type ExportSummary struct {
	Path   string
	Format string
	Size   int64
	survey.Counts
}

// ErrNothingToExport is returned when the selection holds no data.
var ErrNothingToExport = errors.New("app: nothing to export")

// ExportFile writes the selected data of p to req.Path in req.Format,
// through a temporary file beside it that is renamed into place only when
// the whole file is written.
func ExportFile(ctx context.Context, p *project.Project, req ExportRequest) (_ *ExportSummary, err error) {
	f, err := formats.Lookup(req.Format)
	if err != nil {
		return nil, err
	}
	if !f.CanWrite {
		return nil, fmt.Errorf("%w: %s", formats.ErrNotWritable, f.Label)
	}

	ds, err := p.Select(ctx, req.Selection)
	if err != nil {
		return nil, err
	}
	counts := ds.Counts()
	if counts.Points+counts.Lines+counts.Surfaces == 0 {
		return nil, ErrNothingToExport
	}

	unit := req.Unit
	if unit == survey.UnitUnknown {
		unit = p.Settings().Unit
	}

	size, err := writeAtomic(req.Path, func(w io.Writer) error {
		return formats.Write(ctx, w, f.Name, ds, req.Settings.WithUnit(unit))
	})
	if err != nil {
		return nil, err
	}

	return &ExportSummary{Path: req.Path, Format: f.Name, Size: size, Counts: counts}, nil
}

// writeAtomic writes path through a temporary file in the same folder.
func writeAtomic(path string, write func(io.Writer) error) (_ int64, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("app: export: %w", err)
	}

	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("app: export: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	bw := bufio.NewWriterSize(tmp, 256<<10)
	cw := &countWriter{w: bw}
	if err = write(cw); err != nil {
		return 0, err
	}
	if err = bw.Flush(); err != nil {
		return 0, fmt.Errorf("app: export: %w", err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return 0, fmt.Errorf("app: export: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return 0, fmt.Errorf("app: export: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("app: export: %w", err)
	}

	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)

	return n, err
}
