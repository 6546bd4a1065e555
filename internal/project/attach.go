package project

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	// Path is relative to the project folder (slash-separated). Records
	// made before attachments were copied into the project may hold an
	// absolute path.
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

// AttachmentsDir is the folder inside a project that keeps copies of
// attachments imported from outside the project.
const AttachmentsDir = "Attachments"

// ErrAlreadyInProject is returned (with the attachment already recorded)
// when a file with the same content (SHA-256) is already an attachment.
var ErrAlreadyInProject = errors.New("already in the project")

// AddAttachment records the file at path as an attachment of kind. src
// describes it (Name, Size and SHA256 are filled in from the file when
// empty; set Procore for downloads). A file inside the project folder (a
// download under Procore/) is referenced in place; one from elsewhere is
// copied into <project>/Attachments/ (keeping its name, made unique) so the
// project keeps it. The same content imported again is not recorded twice:
// AddAttachment returns the attachment already recorded and an error
// wrapping ErrAlreadyInProject. A newer version of the same Procore file
// replaces the older one's record.
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

	if a, ok, err := p.sameContent(ctx, src); err != nil || ok {
		if ok {
			err = fmt.Errorf("project: attachment %s: %w (as %s)", src.Name, ErrAlreadyInProject, a.Path)
		}

		return a, err
	}

	stored, copied, err := p.keep(ctx, path)
	if err != nil {
		return Attachment{}, err
	}

	done := false
	defer func() {
		if copied && !done {
			os.Remove(p.AbsPath(Attachment{Path: stored}))
		}
	}()

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
		Path: stored}
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

	done = true

	return a, nil
}

// sameContent finds an attachment with src's SHA-256. A newer version of
// the same Procore file does not count: it replaces the older record.
func (p *Project) sameContent(ctx context.Context, src SourceInfo) (Attachment, bool, error) {
	var a Attachment
	var company, project, file sql.NullInt64
	err := p.db.QueryRowContext(ctx, `SELECT a.id, a.source_id, a.name, a.kind, a.size, a.sha256,
		a.path, s.company_id, s.project_id, s.file_id
		FROM attachments a JOIN sources s ON s.id = a.source_id
		WHERE a.sha256 = ? ORDER BY a.id LIMIT 1`, src.SHA256).Scan(&a.ID, &a.SourceID, &a.Name,
		&a.Kind, &a.Size, &a.SHA256, &a.Path, &company, &project, &file)
	if errors.Is(err, sql.ErrNoRows) {
		return Attachment{}, false, nil
	}

	if err != nil {
		return Attachment{}, false, fmt.Errorf("project: attachment: %w", err)
	}

	if pr := src.Procore; pr != nil && pr.FileID != 0 && file.Int64 == pr.FileID &&
		company.Int64 == pr.CompanyID && project.Int64 == pr.ProjectID {
		return Attachment{}, false, nil
	}

	return a, true, nil
}

// keep returns the project-relative path an attachment is stored under:
// path itself when it is inside the project, else a copy made in
// Attachments/ (copied is then true).
func (p *Project) keep(ctx context.Context, path string) (stored string, copied bool, err error) {
	if rel := p.relPath(path); !filepath.IsAbs(rel) {
		return rel, false, nil
	}

	dir := filepath.Join(p.dir, AttachmentsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, fmt.Errorf("project: attachment: %w", err)
	}

	tmp, err := copyToTemp(ctx, path, dir)
	if err != nil {
		return "", false, err
	}

	name := safeName(filepath.Base(path))
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for k := 1; ; k++ {
		cand := name
		if k > 1 {
			cand = fmt.Sprintf("%s (%d)%s", base, k, ext)
		}

		// A hard link never replaces an existing file, so two imports of
		// different files with one name cannot overwrite each other. Where
		// links are not supported (FAT, some shares), rename to a free name.
		dst := filepath.Join(dir, cand)
		err := os.Link(tmp, dst)
		if errors.Is(err, fs.ErrExist) {
			continue
		}

		if err != nil {
			if _, serr := os.Lstat(dst); serr == nil {
				continue
			}

			err = os.Rename(tmp, dst)
		}

		os.Remove(tmp)
		if err != nil {
			return "", false, fmt.Errorf("project: attachment: %w", err)
		}

		return AttachmentsDir + "/" + cand, true, nil
	}
}

// copyToTemp copies path to a new temporary file in dir (0644) and returns
// its name; nothing is left behind on failure.
func copyToTemp(ctx context.Context, path, dir string) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("project: attachment: %w", err)
	}
	defer in.Close()

	out, err := os.CreateTemp(dir, ".attach-*.tmp")
	if err != nil {
		return "", fmt.Errorf("project: attachment: %w", err)
	}

	_, err = io.Copy(out, ctxReader{ctx: ctx, r: in})
	if err == nil {
		err = out.Chmod(0o644)
	}

	if err == nil {
		err = out.Sync()
	}

	if cerr := out.Close(); err == nil {
		err = cerr
	}

	if err != nil {
		os.Remove(out.Name())

		return "", fmt.Errorf("project: attachment %s: %w", filepath.Base(path), err)
	}

	return out.Name(), nil
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
