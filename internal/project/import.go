package project

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backsight/backsight/internal/survey"
)

// Duplicates says what an import does with a point id that points from
// other sources already use.
type Duplicates string

// Duplicate policies. The zero value is Skip.
const (
	Skip      Duplicates = "skip"      // keep the existing point, drop the new one
	Overwrite Duplicates = "overwrite" // delete the existing point, keep the new one
	Rename    Duplicates = "rename"    // keep both; the new id gets a suffix _1, _2, ...
)

// ParseDuplicates reads "skip", "overwrite" or "rename" ("" is skip).
func ParseDuplicates(s string) (Duplicates, error) {
	switch d := Duplicates(strings.ToLower(strings.TrimSpace(s))); d {
	case "", Skip:
		return Skip, nil
	case Overwrite, Rename:
		return d, nil
	}

	return "", fmt.Errorf("project: duplicates %q (want skip, overwrite or rename)", s)
}

// Errors an import can return (test with errors.Is).
var (
	// ErrNothingToImport: the file gave no point, line or surface. The
	// error text carries the counts and the first warning.
	ErrNothingToImport = errors.New("project: nothing to import")
	// ErrOlderVersion: the project already holds a newer version of the
	// same Procore file.
	ErrOlderVersion = errors.New("project: older version than the one in the project")
	// ErrNothingToExport: the selection holds no point, line or surface.
	ErrNothingToExport = errors.New("nothing selected to export")
)

// ProcoreRef identifies a file version in Procore.
type ProcoreRef struct {
	CompanyID     int64
	ProjectID     int64
	FileID        int64
	VersionID     int64
	VersionNumber int64
	// Path is the Procore folder path and file name, e.g. "Survey/topo.csv".
	Path string
}

// SourceInfo describes the file an import comes from.
type SourceInfo struct {
	Name   string // file name
	Format string // format name, e.g. "csv"
	Size   int64
	SHA256 string // hex
	// ImportedAt defaults to now.
	ImportedAt time.Time
	// Procore is set for files downloaded from Procore.
	Procore *ProcoreRef
}

// ImportOptions controls an import.
type ImportOptions struct {
	Duplicates Duplicates
}

// ImportResult reports what an import did.
type ImportResult struct {
	SourceID int64
	// Format is the format the file was read as (set by ImportFile).
	Format string
	// Attachment is set when ImportFile kept the file as an attachment.
	Attachment *Attachment
	// AlreadyInProject is set when a file with the same content (SHA-256)
	// is already a source of the project and nothing was added: with
	// Attachment (the earlier record) for an attachment, else SourceID is
	// the earlier source and the counts are zero. Tell the user "already
	// in the project".
	AlreadyInProject bool
	// EarlierName is, with AlreadyInProject, the name of the earlier source
	// that holds the same content (the file may have had another name).
	EarlierName string
	// LinkedToProcore is set with AlreadyInProject when the earlier source
	// had no Procore link and this import came from Procore: the earlier
	// source now records the Procore file and version, so that a newer
	// version on Procore is noticed.
	LinkedToProcore bool
	// Points, Lines and Surfaces count what landed in the project.
	Points, Lines, Surfaces int
	// Skipped counts new points dropped because their id was taken (Skip);
	// Overwritten counts the point ids whose existing point was replaced
	// (Overwrite; never more than Points); Renamed counts new points given
	// a suffixed id (Rename).
	Skipped, Overwritten, Renamed int
	// SameLines and SameSurfaces count the file's lines and surfaces
	// identical to ones other sources hold: with Skip and Rename they were
	// not added again (Lines and Surfaces leave them out), with Overwrite
	// they replaced those.
	SameLines, SameSurfaces int
	// ReplacedSources lists the sources this import replaced: older
	// versions of the same Procore file, or (with Overwrite) earlier
	// imports of the same content; Added, Changed and Removed compare the
	// points by id with what they brought.
	ReplacedSources         []int64
	Added, Changed, Removed int
	// Observations counts raw observations that gave no coordinates.
	Observations int
	Warnings     []survey.Warning
	// NothingNew is set when every point, line and surface of the file was
	// dropped as already in the project (Skip or Rename): the project is
	// left as it was, no source is recorded (SourceID is 0), and Skipped,
	// SameLines and SameSurfaces count what was dropped. Tell the user
	// "nothing new imported", not "0 points imported".
	NothingNew bool
}

// EmitFunc receives one point from a streaming reader.
type EmitFunc func(survey.Point) error

// StreamFunc reads a file, calling emit for each point, and returns the rest
// of the dataset (lines, surfaces, warnings, counts; any Points in it are
// imported too).
type StreamFunc func(ctx context.Context, emit EmitFunc) (*survey.Dataset, error)

// Import stores a dataset read from src in one transaction.
func (p *Project) Import(ctx context.Context, ds *survey.Dataset, src SourceInfo, opts ImportOptions) (ImportResult, error) {
	return p.ImportStream(ctx, src, opts, func(context.Context, EmitFunc) (*survey.Dataset, error) {
		return ds, nil
	})
}

// ImportStream stores what read produces in one transaction: the whole
// file lands or nothing does (a read error, a cancelled context or a
// dataset with nothing in it leaves the project as it was). Points stream
// straight into the database, so a million-point file is not held in memory.
// A src.SHA256 that a data source of the project already has adds nothing
// (AlreadyInProject) unless opts.Duplicates is Overwrite; see the package
// doc for how imports meet what the project holds.
func (p *Project) ImportStream(ctx context.Context, src SourceInfo, opts ImportOptions, read StreamFunc) (ImportResult, error) {
	return p.importStream(ctx, src, opts, nil, read)
}

// importStream is ImportStream; hashed, when set, is called once read has
// returned and gives the size and SHA-256 recorded for the source (ImportFile
// hashes the file in the pass that reads it).
func (p *Project) importStream(ctx context.Context, src SourceInfo, opts ImportOptions,
	hashed func() (int64, string, error), read StreamFunc) (ImportResult, error) {
	dup, err := ParseDuplicates(string(opts.Duplicates))
	if err != nil {
		return ImportResult{}, err
	}

	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return ImportResult{}, fmt.Errorf("project: import: %w", err)
	}
	defer tx.Rollback()

	im := &importer{tx: tx, src: src, hashed: hashed}
	res, err := im.run(ctx, dup, read)
	if err != nil {
		// A cancelled context also rolls the transaction back under the
		// running statement, whose own error ("statement is closed") would
		// hide the reason.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return ImportResult{}, fmt.Errorf("project: import: %w", ctxErr)
		}

		return ImportResult{}, err
	}

	// The same content is there already: the rollback drops what was
	// read. An earlier import from disk learns where on Procore it is.
	if res.AlreadyInProject {
		if err := tx.Rollback(); err != nil {
			return ImportResult{}, fmt.Errorf("project: import: %w", err)
		}
		if res.LinkedToProcore, err = p.linkProcore(ctx, res.SourceID, src.Procore); err != nil {
			return ImportResult{}, err
		}
		err = p.db.QueryRowContext(ctx, `SELECT name FROM sources WHERE id = ?`,
			res.SourceID).Scan(&res.EarlierName)
		if err != nil {
			return ImportResult{}, fmt.Errorf("project: import: earlier source: %w", err)
		}

		return res, nil
	}

	// Everything was already there and dropped: keep no empty source (the
	// deferred rollback drops it) and say so.
	if res.Points == 0 && res.Lines == 0 && res.Surfaces == 0 &&
		res.Skipped+res.SameLines+res.SameSurfaces > 0 {
		res.SourceID, res.NothingNew, res.ReplacedSources = 0, true, nil
		res.Added, res.Changed, res.Removed = 0, 0, 0

		return res, nil
	}

	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("project: import: commit: %w", err)
	}

	p.invalidate()

	return res, nil
}

type importer struct {
	tx    *sql.Tx
	src   SourceInfo
	id    int64
	ins   *sql.Stmt
	count int
	// hashed, when set, gives the file's size and SHA-256 after read.
	hashed func() (int64, string, error)
	// badCoords and badZ count points with NaN or infinite values (which no
	// reader should give): skipped, or kept without elevation.
	badCoords, badZ int
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func (im *importer) run(ctx context.Context, dup Duplicates, read StreamFunc) (ImportResult, error) {
	older, err := im.olderVersions(ctx)
	if err != nil {
		return ImportResult{}, err
	}

	if err := im.insertSource(ctx); err != nil {
		return ImportResult{}, err
	}

	ds, err := im.readPoints(ctx, read)
	if err != nil {
		return ImportResult{}, err
	}

	if im.badCoords > 0 {
		ds.Warnings = append(ds.Warnings, survey.Warning{File: im.src.Name,
			Msg: survey.Plural(im.badCoords, "point", "points") +
				" with non-finite coordinates skipped"})
	}

	if im.badZ > 0 {
		ds.Warnings = append(ds.Warnings, survey.Warning{File: im.src.Name,
			Msg: survey.Plural(im.badZ, "non-finite elevation", "non-finite elevations") +
				" read as no elevation"})
	}

	res := ImportResult{SourceID: im.id, Observations: ds.Observations, Warnings: ds.Warnings}
	if im.count == 0 && len(ds.Lines) == 0 && len(ds.Surfaces) == 0 {
		return res, nothingError(im.src.Name, ds)
	}

	same, err := im.sameContent(ctx)
	if err != nil {
		return res, err
	}

	if len(same) > 0 && dup != Overwrite {
		return ImportResult{SourceID: same[0], AlreadyInProject: true}, nil
	}

	// Older versions and earlier imports of the same content go before the
	// duplicate checks, which then only meet other files' data.
	older = append(older, same...)
	slices.Sort(older)
	if older = slices.Compact(older); len(older) > 0 {
		if err := im.replace(ctx, older, &res); err != nil {
			return res, err
		}
	}

	if err := im.insertRest(ctx, ds, dup, &res); err != nil {
		return res, err
	}

	if err := im.duplicates(ctx, dup, &res); err != nil {
		return res, err
	}

	err = im.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM points WHERE source_id = ?`, im.id).Scan(&res.Points)
	if err != nil {
		return res, fmt.Errorf("project: import: %w", err)
	}

	return res, nil
}

func nothingError(name string, ds *survey.Dataset) error {
	msg := fmt.Sprintf("%s: no points, lines or surfaces (%s, %s)", name,
		survey.Plural(ds.Observations, "observation", "observations"),
		survey.Plural(len(ds.Warnings), "warning", "warnings"))
	if len(ds.Warnings) > 0 {
		msg += "; first: " + ds.Warnings[0].String()
	}

	return fmt.Errorf("%w: %s", ErrNothingToImport, msg)
}

// olderVersions finds sources holding earlier versions of the same Procore file.
func (im *importer) olderVersions(ctx context.Context) ([]int64, error) {
	pr := im.src.Procore
	if pr == nil || pr.FileID == 0 {
		return nil, nil
	}

	rows, err := im.tx.QueryContext(ctx, `SELECT id, COALESCE(version_number, 0) FROM sources
		WHERE company_id = ? AND project_id = ? AND file_id = ?`, pr.CompanyID, pr.ProjectID, pr.FileID)
	if err != nil {
		return nil, fmt.Errorf("project: import: %w", err)
	}
	defer rows.Close()

	var ids []int64
	for rows.Next() {
		var id, version int64
		if err := rows.Scan(&id, &version); err != nil {
			return nil, fmt.Errorf("project: import: %w", err)
		}

		if version > pr.VersionNumber {
			return nil, fmt.Errorf("%w: %s version %d, project has version %d", ErrOlderVersion,
				im.src.Name, pr.VersionNumber, version)
		}

		ids = append(ids, id)
	}

	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("project: import: %w", err)
	}

	return ids, nil
}

// linkProcore records pr as the Procore file of source id when the source has
// none. It reports whether it did.
func (p *Project) linkProcore(ctx context.Context, id int64, pr *ProcoreRef) (bool, error) {
	if pr == nil || pr.FileID == 0 {
		return false, nil
	}

	r, err := p.db.ExecContext(ctx, `UPDATE sources SET company_id = ?, project_id = ?,
		file_id = ?, version_id = ?, version_number = ?, procore_path = ?
		WHERE id = ? AND company_id IS NULL AND file_id IS NULL`, pr.CompanyID, pr.ProjectID,
		pr.FileID, pr.VersionID, pr.VersionNumber, pr.Path, id)
	if err != nil {
		return false, fmt.Errorf("project: import: link to Procore: %w", err)
	}

	n, err := r.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("project: import: link to Procore: %w", err)
	}
	if n > 0 {
		p.invalidate()
	}

	return n > 0, nil
}

func (im *importer) insertSource(ctx context.Context) error {
	s := im.src
	at := s.ImportedAt
	if at.IsZero() {
		at = time.Now()
	}

	var company, project, file, version, number, path any
	if pr := s.Procore; pr != nil {
		company, project, file, version, number, path = pr.CompanyID, pr.ProjectID, pr.FileID,
			pr.VersionID, pr.VersionNumber, pr.Path
	}

	r, err := im.tx.ExecContext(ctx, `INSERT INTO sources(name, format, size, sha256, imported_at,
		company_id, project_id, file_id, version_id, version_number, procore_path)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.Name, s.Format, s.Size, s.SHA256,
		at.UTC().Format(time.RFC3339Nano), company, project, file, version, number, path)
	if err != nil {
		return fmt.Errorf("project: import: source: %w", err)
	}

	im.id, err = r.LastInsertId()
	if err != nil {
		return fmt.Errorf("project: import: source: %w", err)
	}

	return nil
}

// readPoints runs the reader with an emit function that inserts points.
func (im *importer) readPoints(ctx context.Context, read StreamFunc) (*survey.Dataset, error) {
	ins, err := im.tx.PrepareContext(ctx, `INSERT INTO points(source_id, pid, code, e, n, z, attrs)
		VALUES(?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("project: import: %w", err)
	}
	defer ins.Close()

	im.ins = ins
	ds, err := read(ctx, func(pt survey.Point) error { return im.insertPoint(ctx, &pt) })
	if err != nil {
		return nil, fmt.Errorf("project: import: %w", err)
	}

	if ds == nil {
		ds = &survey.Dataset{}
	}

	if im.hashed != nil {
		if im.src.Size, im.src.SHA256, err = im.hashed(); err != nil {
			return nil, fmt.Errorf("project: import: %w", err)
		}
	}

	for i := range ds.Points {
		if err := im.insertPoint(ctx, &ds.Points[i]); err != nil {
			return nil, fmt.Errorf("project: import: %w", err)
		}
	}

	return ds, nil
}

func (im *importer) insertPoint(ctx context.Context, pt *survey.Point) error {
	if im.count%4096 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}

	if !finite(pt.E) || !finite(pt.N) {
		im.badCoords++

		return nil
	}

	if pt.HasZ && !finite(pt.Z) {
		pt.HasZ, pt.Z = false, 0
		im.badZ++
	}

	var z, attrs any
	if pt.HasZ {
		z = pt.Z
	}

	if len(pt.Attrs) > 0 {
		b, err := json.Marshal(pt.Attrs)
		if err != nil {
			return err
		}

		attrs = string(b)
	}

	if _, err := im.ins.ExecContext(ctx, im.id, pt.ID, pt.Code, pt.E, pt.N, z, attrs); err != nil {
		return fmt.Errorf("point %q: %w", pt.ID, err)
	}

	im.count++

	return nil
}

// insertRest stores lines and surfaces (but those identical to other
// sources' under dup, see twins), warnings and the source's counts.
func (im *importer) insertRest(ctx context.Context, ds *survey.Dataset, dup Duplicates, res *ImportResult) error {
	_, err := im.tx.ExecContext(ctx, `UPDATE sources SET unit = ?, crs = ?, observations = ?,
		size = ?, sha256 = ? WHERE id = ?`, string(ds.SourceUnit), ds.CRS, ds.Observations,
		im.src.Size, im.src.SHA256, im.id)
	if err != nil {
		return fmt.Errorf("project: import: %w", err)
	}

	lines, surfaces, err := im.twins(ctx, ds, dup, res)
	if err != nil {
		return err
	}

	if err := im.insertLines(ctx, lines); err != nil {
		return fmt.Errorf("project: import: lines: %w", err)
	}

	if err := im.insertSurfaces(ctx, surfaces); err != nil {
		return fmt.Errorf("project: import: surfaces: %w", err)
	}

	res.Lines, res.Surfaces = len(lines), len(surfaces)

	ins, err := im.tx.PrepareContext(ctx, `INSERT INTO warnings(source_id, seq, line, element, msg)
		VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("project: import: warnings: %w", err)
	}
	defer ins.Close()

	for i, w := range ds.Warnings {
		if _, err := ins.ExecContext(ctx, im.id, i, w.Line, w.Element, w.Msg); err != nil {
			return fmt.Errorf("project: import: warnings: %w", err)
		}
	}

	return nil
}

// twins applies dup to the lines and surfaces of ds identical to ones other
// sources hold: Overwrite deletes those, Skip and Rename drop the new ones
// (there is no id to rename). It returns the lines and surfaces to insert.
func (im *importer) twins(ctx context.Context, ds *survey.Dataset, dup Duplicates, res *ImportResult,
) ([]survey.Line, []survey.Surface, error) {
	lines, surfaces := ds.Lines, ds.Surfaces
	if len(lines) > 0 {
		same, old, err := im.sameLines(ctx, lines)
		if err != nil {
			return nil, nil, fmt.Errorf("project: import: lines: %w", err)
		}

		if res.SameLines, lines, err = dropTwins(ctx, im, "lines", lines, same, old, dup); err != nil {
			return nil, nil, err
		}
	}

	if len(surfaces) > 0 {
		same, old, err := im.sameSurfaces(ctx, surfaces)
		if err != nil {
			return nil, nil, fmt.Errorf("project: import: surfaces: %w", err)
		}

		if res.SameSurfaces, surfaces, err = dropTwins(ctx, im, "surfaces", surfaces, same, old, dup); err != nil {
			return nil, nil, err
		}
	}

	return lines, surfaces, nil
}

func nullZ(v survey.Vertex) any {
	if v.HasZ {
		return v.Z
	}

	return nil
}

func (im *importer) insertLines(ctx context.Context, lines []survey.Line) error {
	if len(lines) == 0 {
		return nil
	}

	lins, err := im.tx.PrepareContext(ctx, `INSERT INTO lines(source_id, code, name, closed) VALUES(?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer lins.Close()

	vins, err := im.tx.PrepareContext(ctx, `INSERT INTO line_vertices(line_id, seq, e, n, z) VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer vins.Close()

	for _, l := range lines {
		r, err := lins.ExecContext(ctx, im.id, l.Code, l.Name, l.Closed)
		if err != nil {
			return err
		}

		id, err := r.LastInsertId()
		if err != nil {
			return err
		}

		for i, v := range l.Vertices {
			if _, err := vins.ExecContext(ctx, id, i, v.E, v.N, nullZ(v)); err != nil {
				return err
			}
		}
	}

	return nil
}

func (im *importer) insertSurfaces(ctx context.Context, surfaces []survey.Surface) error {
	if len(surfaces) == 0 {
		return nil
	}

	vins, err := im.tx.PrepareContext(ctx, `INSERT INTO surface_vertices(surface_id, seq, e, n, z)
		VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer vins.Close()

	tins, err := im.tx.PrepareContext(ctx, `INSERT INTO surface_triangles(surface_id, seq, a, b, c)
		VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer tins.Close()

	for _, s := range surfaces {
		r, err := im.tx.ExecContext(ctx, `INSERT INTO surfaces(source_id, name) VALUES(?, ?)`, im.id, s.Name)
		if err != nil {
			return err
		}

		id, err := r.LastInsertId()
		if err != nil {
			return err
		}

		for i, v := range s.Vertices {
			if _, err := vins.ExecContext(ctx, id, i, v.E, v.N, nullZ(v)); err != nil {
				return err
			}
		}

		for i, t := range s.Triangles {
			for _, k := range t {
				if k < 0 || k >= len(s.Vertices) {
					return fmt.Errorf("surface %q: triangle %d points at vertex %d of %d", s.Name, i, k, len(s.Vertices))
				}
			}

			if _, err := tins.ExecContext(ctx, id, i, t[0], t[1], t[2]); err != nil {
				return err
			}
		}
	}

	return nil
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}

	return strings.Join(s, ",")
}

// replace compares the new points with those of older versions of the same
// Procore file and deletes the older versions' sources (and, by cascade,
// everything they brought).
func (im *importer) replace(ctx context.Context, older []int64, res *ImportResult) error {
	old := idList(older)
	q := func(query string, dst *int) error {
		return im.tx.QueryRowContext(ctx, query, im.id).Scan(dst)
	}

	// The unary + keeps SQLite off the source index inside the subqueries:
	// looked up by pid, comparing a whole file with its earlier import is
	// linear, not quadratic.
	added := `SELECT COUNT(*) FROM points nw WHERE nw.source_id = ? AND NOT EXISTS
		(SELECT 1 FROM points o WHERE +o.source_id IN (` + old + `) AND o.pid = nw.pid)`
	removed := `SELECT COUNT(*) FROM points o WHERE o.source_id IN (` + old + `) AND NOT EXISTS
		(SELECT 1 FROM points nw WHERE +nw.source_id = ? AND nw.pid = o.pid)`
	changed := `SELECT COUNT(*) FROM points nw WHERE nw.source_id = ? AND EXISTS
		(SELECT 1 FROM points o WHERE +o.source_id IN (` + old + `) AND o.pid = nw.pid) AND NOT EXISTS
		(SELECT 1 FROM points o WHERE +o.source_id IN (` + old + `) AND o.pid = nw.pid
		 AND o.code = nw.code AND o.e = nw.e AND o.n = nw.n AND o.z IS nw.z
		 AND o.attrs IS nw.attrs)`
	for _, c := range []struct {
		q   string
		dst *int
	}{{added, &res.Added}, {removed, &res.Removed}, {changed, &res.Changed}} {
		if err := q(c.q, c.dst); err != nil {
			return fmt.Errorf("project: import: compare versions: %w", err)
		}
	}

	if _, err := im.tx.ExecContext(ctx, `DELETE FROM sources WHERE id IN (`+old+`)`); err != nil {
		return fmt.Errorf("project: import: remove older version: %w", err)
	}

	res.ReplacedSources = older

	return nil
}

// duplicates applies the duplicate policy against points of other sources.
func (im *importer) duplicates(ctx context.Context, dup Duplicates, res *ImportResult) error {
	var others bool
	err := im.tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM points WHERE source_id <> ?)`, im.id).Scan(&others)
	if err != nil {
		return fmt.Errorf("project: import: duplicates: %w", err)
	}

	if !others {
		return nil
	}

	switch dup {
	case Rename:
		return im.rename(ctx, res)
	case Overwrite:
		return im.overwrite(ctx, res)
	}

	r, err := im.tx.ExecContext(ctx, `DELETE FROM points WHERE source_id = ?1 AND pid IN
		(SELECT pid FROM points WHERE source_id <> ?1)`, im.id)
	if err != nil {
		return fmt.Errorf("project: import: duplicates: %w", err)
	}

	n, err := r.RowsAffected()
	if err != nil {
		return fmt.Errorf("project: import: duplicates: %w", err)
	}

	res.Skipped = int(n)

	return nil
}

// overwrite deletes the points of other sources whose ids the new points
// use. Overwritten counts those ids: an id held more than once (repeated
// in a file, or in several sources) is one point replaced, not several.
func (im *importer) overwrite(ctx context.Context, res *ImportResult) error {
	const taken = `source_id <> ?1 AND pid IN (SELECT pid FROM points WHERE source_id = ?1)`
	err := im.tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT pid) FROM points WHERE `+taken,
		im.id).Scan(&res.Overwritten)
	if err != nil {
		return fmt.Errorf("project: import: duplicates: %w", err)
	}

	if _, err := im.tx.ExecContext(ctx, `DELETE FROM points WHERE `+taken, im.id); err != nil {
		return fmt.Errorf("project: import: duplicates: %w", err)
	}

	return nil
}

type idPid struct {
	id  int64
	pid string
}

// rename gives each new point whose id is taken the first free id of the
// form id_1, id_2, ...
func (im *importer) rename(ctx context.Context, res *ImportResult) error {
	rows, err := im.tx.QueryContext(ctx, `SELECT id, pid FROM points WHERE source_id = ?1 AND pid IN
		(SELECT pid FROM points WHERE source_id <> ?1) ORDER BY id`, im.id)
	if err != nil {
		return fmt.Errorf("project: import: rename: %w", err)
	}

	var clash []idPid
	for rows.Next() {
		var c idPid
		if err := rows.Scan(&c.id, &c.pid); err != nil {
			rows.Close()

			return fmt.Errorf("project: import: rename: %w", err)
		}

		clash = append(clash, c)
	}

	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("project: import: rename: %w", err)
	}

	if len(clash) == 0 {
		return nil
	}

	exists, err := im.tx.PrepareContext(ctx, `SELECT EXISTS(SELECT 1 FROM points WHERE pid = ?)`)
	if err != nil {
		return fmt.Errorf("project: import: rename: %w", err)
	}
	defer exists.Close()

	update, err := im.tx.PrepareContext(ctx, `UPDATE points SET pid = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("project: import: rename: %w", err)
	}
	defer update.Close()

	next := map[string]int{}
	for _, c := range clash {
		for k := max(next[c.pid], 1); ; k++ {
			cand := c.pid + "_" + strconv.Itoa(k)
			var taken bool
			if err := exists.QueryRowContext(ctx, cand).Scan(&taken); err != nil {
				return fmt.Errorf("project: import: rename: %w", err)
			}

			if taken {
				continue
			}

			if _, err := update.ExecContext(ctx, cand, c.id); err != nil {
				return fmt.Errorf("project: import: rename: %w", err)
			}

			next[c.pid] = k + 1
			res.Renamed++

			break
		}
	}

	return nil
}
