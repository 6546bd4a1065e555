package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Attachment is a file kept in the project but not parsed (PDF, image,
// DWG, point cloud...).
type Attachment struct {
	ID       int64
	SourceID int64
	Name     string
	Kind     string // e.g. "pdf", "image", "dwg", "las"
	Size     int64
	SHA256   string
	// Path is relative to the project folder when the file is inside it,
	// else absolute.
	Path string
}

// HashFile returns the size and hex SHA-256 of a file.
func HashFile(ctx context.Context, path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", fmt.Errorf("project: hash: %w", err)
	}
	defer f.Close()

	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx: ctx, r: f})
	if err != nil {
		return 0, "", fmt.Errorf("project: hash %s: %w", filepath.Base(path), err)
	}

	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops a copy when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}

	return c.r.Read(b)
}

// AddAttachment records the file at path as an attachment of kind. src
// describes it (Name, Size and SHA256 are filled in from the file when
// empty; set Procore for downloads). A newer version of the same Procore
// file replaces the older one's record.
func (p *Project) AddAttachment(ctx context.Context, path, kind string, src SourceInfo) (Attachment, error) {
	if src.Name == "" {
		src.Name = filepath.Base(path)
	}

	if src.SHA256 == "" {
		size, sum, err := HashFile(ctx, path)
		if err != nil {
			return Attachment{}, err
		}

		src.Size, src.SHA256 = size, sum
	}

	if src.Format == "" {
		src.Format = "attachment"
	}

	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return Attachment{}, fmt.Errorf("project: attachment: %w", err)
	}
	defer tx.Rollback()

	im := &importer{tx: tx, src: src}
	older, err := im.olderVersions(ctx)
	if err != nil {
		return Attachment{}, err
	}

	if err := im.insertSource(ctx); err != nil {
		return Attachment{}, err
	}

	a := Attachment{SourceID: im.id, Name: src.Name, Kind: kind, Size: src.Size, SHA256: src.SHA256,
		Path: p.relPath(path)}
	r, err := tx.ExecContext(ctx, `INSERT INTO attachments(source_id, name, kind, size, sha256, path)
		VALUES(?, ?, ?, ?, ?, ?)`, a.SourceID, a.Name, a.Kind, a.Size, a.SHA256, a.Path)
	if err != nil {
		return Attachment{}, fmt.Errorf("project: attachment: %w", err)
	}

	if a.ID, err = r.LastInsertId(); err != nil {
		return Attachment{}, fmt.Errorf("project: attachment: %w", err)
	}

	if len(older) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id IN (`+idList(older)+`)`); err != nil {
			return Attachment{}, fmt.Errorf("project: attachment: %w", err)
		}
	}

	if err := tx.Commit(); err != nil {
		return Attachment{}, fmt.Errorf("project: attachment: %w", err)
	}

	return a, nil
}

// relPath makes path relative to the project folder when it is inside it.
func (p *Project) relPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}

	rel, err := filepath.Rel(p.dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}

	return filepath.ToSlash(rel)
}

// AbsPath returns the absolute path of an attachment.
func (p *Project) AbsPath(a Attachment) string {
	if filepath.IsAbs(a.Path) {
		return a.Path
	}

	return filepath.Join(p.dir, filepath.FromSlash(a.Path))
}

// Attachments lists the attachments, oldest first.
func (p *Project) Attachments(ctx context.Context) ([]Attachment, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT id, source_id, name, kind, size, sha256, path
		FROM attachments ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("project: attachments: %w", err)
	}
	defer rows.Close()

	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.SourceID, &a.Name, &a.Kind, &a.Size, &a.SHA256, &a.Path); err != nil {
			return nil, fmt.Errorf("project: attachments: %w", err)
		}

		out = append(out, a)
	}

	return out, rows.Err()
}
