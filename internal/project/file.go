package project

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
)

// FileImport says which file to import and how.
type FileImport struct {
	Path string
	// Format is a registry name (formats.CSV, ...); empty detects it.
	Format   string
	Settings formats.Settings
	Options  ImportOptions
	// Procore is set for a file downloaded from Procore.
	Procore *ProcoreRef
	// Progress, when set, is called from the reading goroutine with the
	// number of bytes of the file just read by the format reader (their
	// sum reaches the file's size once it is read through). It must be
	// cheap, an atomic add: report on a timer elsewhere.
	Progress func(n int64)
}

// countingReader passes reads through and tells fn how many bytes each
// one returned.
type countingReader struct {
	r  io.Reader
	fn func(n int64)
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if n > 0 {
		c.fn(int64(n))
	}

	return n, err
}

// TODO(project): only delimited files stream; LandXML, DXF, GSI and GeoJSON
// are read whole before their points are inserted. Stream them if
// million-point files in those formats turn up.

// ImportFile imports a file: survey data through the format registry
// (points streamed into the database), anything else (PDF, images, DWG,
// point clouds, unknown files) as an attachment. The source records the
// file's name, size and SHA-256.
func (p *Project) ImportFile(ctx context.Context, fi FileImport) (ImportResult, error) {
	f, err := os.Open(fi.Path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("project: import: %w", err)
	}
	defer f.Close()

	// One pass through the file: the hash sees every byte the detector and
	// the reader see (and the rest, drained after the reader stops).
	h := sha256.New()
	var in io.Reader = ctxReader{ctx: ctx, r: f}
	if fi.Progress != nil {
		in = &countingReader{r: in, fn: fi.Progress}
	}

	var total int64
	counted := &countingReader{r: io.TeeReader(in, h), fn: func(n int64) { total += n }}
	br := bufio.NewReaderSize(counted, formats.HeadSize)

	name := filepath.Base(fi.Path)
	format := fi.Format
	if format == "" {
		head, err := br.Peek(formats.HeadSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return ImportResult{}, fmt.Errorf("project: import: %w", err)
		}

		format, _ = formats.Detect(name, head)
	}

	src := SourceInfo{Name: name, Format: format, Procore: fi.Procore}
	if formats.IsAttachment(format) {
		// AddAttachment hashes the file itself before deciding to copy it;
		// the progress hook hears of the whole file once it is kept.
		a, err := p.AddAttachment(ctx, fi.Path, format, src)
		if fi.Progress != nil && (err == nil || errors.Is(err, ErrAlreadyInProject)) {
			if st, serr := f.Stat(); serr == nil && st.Size() > total {
				fi.Progress(st.Size() - total)
			}
		}
		if errors.Is(err, ErrAlreadyInProject) {
			return ImportResult{SourceID: a.SourceID, Format: format, Attachment: &a,
				AlreadyInProject: true}, nil
		}

		if err != nil {
			return ImportResult{}, err
		}

		return ImportResult{SourceID: a.SourceID, Format: format, Attachment: &a}, nil
	}

	hashed := func() (int64, string, error) {
		if _, err := io.Copy(io.Discard, br); err != nil {
			return 0, "", fmt.Errorf("hash %s: %w", name, err)
		}

		return total, hex.EncodeToString(h.Sum(nil)), nil
	}

	res, err := p.importStream(ctx, src, fi.Options, hashed,
		func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error) {
			return formats.ReadEach(ctx, br, name, format, fi.Settings, emit)
		})
	res.Format = format

	return res, err
}
