package ui

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

// storeProject adapts an internal/project folder to [Project].
//
// TODO(ui): the project package has no read API for sources, pages of
// points and filtered datasets yet; until it has, these read-only queries use
// Project.DB, which it offers for that purpose.
type storeProject struct {
	p *project.Project
}

// openProjectStore opens the project in dir, creating it when create is set
// and dir holds none yet.
func openProjectStore(ctx context.Context, dir string, create bool) (Project, error) {
	p, err := project.Open(ctx, dir)
	if create && errors.Is(err, project.ErrNotProject) {
		p, err = project.Create(ctx, dir, project.Settings{Name: filepath.Base(dir)})
	}
	if err != nil {
		return nil, err
	}

	return &storeProject{p: p}, nil
}

func (s *storeProject) Name() string { return s.p.Settings().Name }
func (s *storeProject) Dir() string  { return s.p.Dir() }
func (s *storeProject) Close() error { return s.p.Close() }

func (s *storeProject) ExportDir() (string, error) { return s.p.ExportDir() }

func (s *storeProject) Settings() ProjectSettings {
	ps := s.p.Settings()

	return ProjectSettings{
		Name:              ps.Name,
		Unit:              ps.Unit,
		ExportToDownloads: ps.ExportCopy == project.ExportToDownloads,
		CompanyID:         ps.Procore.CompanyID,
		ProjectID:         ps.Procore.ProjectID,
		CompanyName:       ps.Import.Extra["company_name"],
		ProjectName:       ps.Import.Extra["project_name"],
		FolderID:          ps.Procore.LastFolderID,
	}
}

func (s *storeProject) SaveSettings(ctx context.Context, in ProjectSettings) error {
	ps := s.p.Settings()
	ps.Name = in.Name
	ps.Unit = in.Unit
	ps.ExportCopy = project.ExportToProject
	if in.ExportToDownloads {
		ps.ExportCopy = project.ExportToDownloads
	}
	ps.Procore.CompanyID = in.CompanyID
	ps.Procore.ProjectID = in.ProjectID
	ps.Procore.LastFolderID = in.FolderID
	if ps.Import.Extra == nil {
		ps.Import.Extra = map[string]string{}
	}
	ps.Import.Extra["company_name"] = in.CompanyName
	ps.Import.Extra["project_name"] = in.ProjectName

	return s.p.SaveSettings(ctx, ps)
}

func (s *storeProject) Sources(ctx context.Context) ([]Source, error) {
	rows, err := s.p.DB().QueryContext(ctx, `SELECT s.id, s.name, s.format, s.imported_at,
		s.company_id, s.project_id, s.file_id, s.version_id, s.version_number,
		(SELECT count(*) FROM points p WHERE p.source_id = s.id)
		FROM sources s ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("ui: sources: %w", err)
	}
	defer rows.Close()

	var out []Source
	for rows.Next() {
		var src Source
		var at string
		var cid, pid, fid, vid, vnum sql.NullInt64
		if err := rows.Scan(&src.ID, &src.FileName, &src.Format, &at,
			&cid, &pid, &fid, &vid, &vnum, &src.Points); err != nil {
			return nil, fmt.Errorf("ui: sources: %w", err)
		}
		src.Imported, _ = time.Parse(time.RFC3339Nano, at)
		if fid.Valid {
			src.Procore = &ProcoreOrigin{
				CompanyID: cid.Int64, ProjectID: pid.Int64,
				FileID: fid.Int64, VersionID: vid.Int64, Version: int(vnum.Int64),
			}
		}
		out = append(out, src)
	}

	return out, rows.Err()
}

func (s *storeProject) PointCount(ctx context.Context) (int, error) {
	var n int
	if err := s.p.DB().QueryRowContext(ctx, `SELECT count(*) FROM points`).Scan(&n); err != nil {
		return 0, fmt.Errorf("ui: count points: %w", err)
	}

	return n, nil
}

// Points pages through the points in row order. The rowid range keeps each
// page cheap even deep into a million rows (OFFSET would walk from the top).
func (s *storeProject) Points(ctx context.Context, offset, limit int) ([]survey.Point, error) {
	rows, err := s.p.DB().QueryContext(ctx, `SELECT pid, code, e, n, z FROM points
		ORDER BY id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("ui: points: %w", err)
	}
	defer rows.Close()

	return scanPoints(rows, limit)
}

func scanPoints(rows *sql.Rows, capHint int) ([]survey.Point, error) {
	out := make([]survey.Point, 0, capHint)
	for rows.Next() {
		var p survey.Point
		var z sql.NullFloat64
		if err := rows.Scan(&p.ID, &p.Code, &p.E, &p.N, &z); err != nil {
			return nil, fmt.Errorf("ui: points: %w", err)
		}
		p.Z, p.HasZ = z.Float64, z.Valid
		out = append(out, p)
	}

	return out, rows.Err()
}

func (s *storeProject) Dataset(ctx context.Context, f Filter) (*survey.Dataset, error) {
	where, args := filterSQL(f)
	rows, err := s.p.DB().QueryContext(ctx,
		`SELECT pid, code, e, n, z FROM points`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ui: dataset: %w", err)
	}
	pts, err := scanPoints(rows, 0)
	rows.Close()
	if err != nil {
		return nil, err
	}
	ds := &survey.Dataset{Points: pts}

	if ds.Lines, err = s.lines(ctx, where, args); err != nil {
		return nil, err
	}
	if len(f.Codes) == 0 {
		if ds.Surfaces, err = s.surfaces(ctx, f.SourceID); err != nil {
			return nil, err
		}
	}

	return ds, nil
}

func filterSQL(f Filter) (string, []any) {
	var conds []string
	var args []any
	if f.SourceID != 0 {
		conds = append(conds, "source_id = ?")
		args = append(args, f.SourceID)
	}
	if len(f.Codes) > 0 {
		conds = append(conds, "code IN (?"+strings.Repeat(",?", len(f.Codes)-1)+")")
		for _, c := range f.Codes {
			args = append(args, c)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}

	return " WHERE " + strings.Join(conds, " AND "), args
}

func (s *storeProject) lines(ctx context.Context, where string, args []any) ([]survey.Line, error) {
	rows, err := s.p.DB().QueryContext(ctx, `SELECT l.id, l.code, l.name, l.closed, v.e, v.n, v.z
		FROM (SELECT * FROM lines`+where+`) l JOIN line_vertices v ON v.line_id = l.id
		ORDER BY l.id, v.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("ui: lines: %w", err)
	}
	defer rows.Close()

	var out []survey.Line
	last := int64(-1)
	for rows.Next() {
		var id int64
		var l survey.Line
		var v survey.Vertex
		var z sql.NullFloat64
		if err := rows.Scan(&id, &l.Code, &l.Name, &l.Closed, &v.E, &v.N, &z); err != nil {
			return nil, fmt.Errorf("ui: lines: %w", err)
		}
		v.Z, v.HasZ = z.Float64, z.Valid
		if id != last {
			out = append(out, l)
			last = id
		}
		cur := &out[len(out)-1]
		cur.Vertices = append(cur.Vertices, v)
	}

	return out, rows.Err()
}

func (s *storeProject) surfaces(ctx context.Context, sourceID int64) ([]survey.Surface, error) {
	q := `SELECT id, name FROM surfaces`
	var args []any
	if sourceID != 0 {
		q += ` WHERE source_id = ?`
		args = append(args, sourceID)
	}
	rows, err := s.p.DB().QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ui: surfaces: %w", err)
	}
	var ids []int64
	var out []survey.Surface
	for rows.Next() {
		var id int64
		var sf survey.Surface
		if err := rows.Scan(&id, &sf.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ui: surfaces: %w", err)
		}
		ids = append(ids, id)
		out = append(out, sf)
	}
	rows.Close()

	for i, id := range ids {
		if err := s.fillSurface(ctx, id, &out[i]); err != nil {
			return nil, err
		}
	}

	return out, nil
}

func (s *storeProject) fillSurface(ctx context.Context, id int64, sf *survey.Surface) error {
	vr, err := s.p.DB().QueryContext(ctx,
		`SELECT e, n, z FROM surface_vertices WHERE surface_id = ? ORDER BY seq`, id)
	if err != nil {
		return fmt.Errorf("ui: surface vertices: %w", err)
	}
	for vr.Next() {
		var v survey.Vertex
		var z sql.NullFloat64
		if err := vr.Scan(&v.E, &v.N, &z); err != nil {
			vr.Close()
			return fmt.Errorf("ui: surface vertices: %w", err)
		}
		v.Z, v.HasZ = z.Float64, z.Valid
		sf.Vertices = append(sf.Vertices, v)
	}
	vr.Close()

	tr, err := s.p.DB().QueryContext(ctx,
		`SELECT a, b, c FROM surface_triangles WHERE surface_id = ? ORDER BY seq`, id)
	if err != nil {
		return fmt.Errorf("ui: surface triangles: %w", err)
	}
	defer tr.Close()
	for tr.Next() {
		var t [3]int
		if err := tr.Scan(&t[0], &t[1], &t[2]); err != nil {
			return fmt.Errorf("ui: surface triangles: %w", err)
		}
		sf.Triangles = append(sf.Triangles, t)
	}

	return tr.Err()
}

// Import reads req.Path with its format and stores it in one transaction.
func (s *storeProject) Import(ctx context.Context, req ImportRequest) (*ImportResult, error) {
	f := formatByName(req.Format)
	if f == nil {
		return nil, fmt.Errorf("ui: import: unknown format %q", req.Format)
	}

	size, sum, err := fileDigest(req.Path)
	if err != nil {
		return nil, err
	}

	dup, err := project.ParseDuplicates(req.Duplicates)
	if err != nil {
		return nil, err
	}

	src := project.SourceInfo{
		Name: filepath.Base(req.Path), Format: f.Name, Size: size, SHA256: sum,
	}
	if o := req.Procore; o != nil {
		src.Procore = &project.ProcoreRef{
			CompanyID: o.CompanyID, ProjectID: o.ProjectID, FileID: o.FileID,
			VersionID: o.VersionID, VersionNumber: int64(o.Version), Path: o.Path,
		}
	}

	res, err := s.p.ImportStream(ctx, src, project.ImportOptions{Duplicates: dup},
		func(ctx context.Context, _ project.EmitFunc) (*survey.Dataset, error) {
			return readFile(ctx, f, req.Path, req.Settings)
		})
	if err != nil {
		return nil, err
	}

	return &ImportResult{
		Counts: survey.Counts{
			Points: res.Points, Lines: res.Lines, Surfaces: res.Surfaces,
			Warnings: len(res.Warnings), Observations: res.Observations,
		},
		Added: res.Added, Changed: res.Changed, Removed: res.Removed,
		Skipped: res.Skipped, Warnings: res.Warnings,
	}, nil
}

// readFile reads the whole of path with f.
func readFile(ctx context.Context, f *format, path string, settings any) (*survey.Dataset, error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()

	if settings == nil {
		settings = f.ReadSettings()
	}

	return f.Read(ctx, in, filepath.Base(path), settings)
}

func fileDigest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()

	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("ui: read %s: %w", filepath.Base(path), err)
	}

	return n, hex.EncodeToString(h.Sum(nil)), nil
}
