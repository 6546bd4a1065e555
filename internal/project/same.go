package project

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/backsight/backsight/internal/survey"
)

// sameContent finds the data sources (not attachments) whose file had the
// SHA-256 of the file being imported. Older versions of the same Procore
// file do not count: the import is their newer version and replaces them.
func (im *importer) sameContent(ctx context.Context) ([]int64, error) {
	if im.src.SHA256 == "" {
		return nil, nil
	}

	var company, project, file, version int64
	if pr := im.src.Procore; pr != nil && pr.FileID != 0 {
		company, project, file, version = pr.CompanyID, pr.ProjectID, pr.FileID, pr.VersionNumber
	}

	rows, err := im.tx.QueryContext(ctx, `SELECT s.id FROM sources s WHERE s.sha256 = ? AND s.id <> ?
		AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.source_id = s.id)
		AND NOT (s.company_id IS ? AND s.project_id IS ? AND s.file_id IS ?
			AND COALESCE(s.version_number, 0) < ?)
		ORDER BY s.id`, im.src.SHA256, im.id, company, project, file, version)
	if err != nil {
		return nil, fmt.Errorf("project: import: same content: %w", err)
	}
	defer rows.Close()

	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("project: import: same content: %w", err)
		}

		ids = append(ids, id)
	}

	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("project: import: same content: %w", err)
	}

	return ids, nil
}

// keyBuf builds the identity of a line or surface: its names and every
// coordinate bit for bit.
type keyBuf []byte

func (k keyBuf) str(s string) keyBuf {
	return append(binary.AppendUvarint(k, uint64(len(s))), s...)
}

func (k keyBuf) num(v uint64) keyBuf { return binary.AppendUvarint(k, v) }

func (k keyBuf) vertex(e, n float64, z sql.NullFloat64) keyBuf {
	k = binary.LittleEndian.AppendUint64(k, math.Float64bits(e))
	k = binary.LittleEndian.AppendUint64(k, math.Float64bits(n))
	if !z.Valid {
		return append(k, 0)
	}

	return binary.LittleEndian.AppendUint64(append(k, 1), math.Float64bits(z.Float64))
}

func zOf(v survey.Vertex) sql.NullFloat64 { return sql.NullFloat64{Float64: v.Z, Valid: v.HasZ} }

func lineKey(l survey.Line) string {
	k := keyBuf{}.str(l.Code).str(l.Name).num(boolNum(l.Closed))
	for _, v := range l.Vertices {
		k = k.vertex(v.E, v.N, zOf(v))
	}

	return string(k)
}

func boolNum(b bool) uint64 {
	if b {
		return 1
	}

	return 0
}

// sameLines finds the lines of other sources identical to one of lines
// (code, name, closed flag and every vertex). It returns which of lines
// have such a twin and the ids of the twins.
func (im *importer) sameLines(ctx context.Context, lines []survey.Line) ([]bool, []int64, error) {
	idx := make(map[string][]int, len(lines))
	for i, l := range lines {
		k := lineKey(l)
		idx[k] = append(idx[k], i)
	}

	rows, err := im.tx.QueryContext(ctx, `SELECT l.id, l.code, l.name, l.closed, v.e, v.n, v.z
		FROM lines l LEFT JOIN line_vertices v ON v.line_id = l.id
		WHERE l.source_id <> ? ORDER BY l.id, v.seq`, im.id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()

	same := make([]bool, len(lines))
	var old []int64
	var k keyBuf
	cur := int64(-1)
	done := func() {
		if is, ok := idx[string(k)]; ok && cur >= 0 {
			old = append(old, cur)
			for _, i := range is {
				same[i] = true
			}
		}
	}

	for rows.Next() {
		var id, closed int64
		var code, name string
		var e, n, z sql.NullFloat64
		if err := rows.Scan(&id, &code, &name, &closed, &e, &n, &z); err != nil {
			return nil, nil, err
		}

		if id != cur {
			done()
			cur, k = id, k[:0].str(code).str(name).num(boolNum(closed != 0))
		}

		if e.Valid {
			k = k.vertex(e.Float64, n.Float64, z)
		}
	}

	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	done()

	return same, old, nil
}

func surfaceKey(s survey.Surface) string {
	k := keyBuf{}.str(s.Name).num(uint64(len(s.Vertices)))
	for _, v := range s.Vertices {
		k = k.vertex(v.E, v.N, zOf(v))
	}

	for _, t := range s.Triangles {
		k = k.num(uint64(t[0])).num(uint64(t[1])).num(uint64(t[2]))
	}

	return string(k)
}

// sameSurfaces is sameLines for surfaces (name, vertices and triangles).
// Only surfaces whose name and sizes match one of surfaces are read whole.
func (im *importer) sameSurfaces(ctx context.Context, surfaces []survey.Surface) ([]bool, []int64, error) {
	type head struct {
		name   string
		nv, nt int
	}

	heads := make(map[head]bool, len(surfaces))
	idx := make(map[string][]int, len(surfaces))
	for i, s := range surfaces {
		heads[head{s.Name, len(s.Vertices), len(s.Triangles)}] = true
		k := surfaceKey(s)
		idx[k] = append(idx[k], i)
	}

	rows, err := im.tx.QueryContext(ctx, `SELECT s.id, s.name,
		(SELECT COUNT(*) FROM surface_vertices WHERE surface_id = s.id),
		(SELECT COUNT(*) FROM surface_triangles WHERE surface_id = s.id)
		FROM surfaces s WHERE s.source_id <> ? ORDER BY s.id`, im.id)
	if err != nil {
		return nil, nil, err
	}

	var cands []int64
	for rows.Next() {
		var id int64
		var h head
		if err := rows.Scan(&id, &h.name, &h.nv, &h.nt); err != nil {
			rows.Close()

			return nil, nil, err
		}

		if heads[h] {
			cands = append(cands, id)
		}
	}

	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	same := make([]bool, len(surfaces))
	var old []int64
	for _, id := range cands {
		k, err := im.storedSurfaceKey(ctx, id)
		if err != nil {
			return nil, nil, err
		}

		if is, ok := idx[k]; ok {
			old = append(old, id)
			for _, i := range is {
				same[i] = true
			}
		}
	}

	return same, old, nil
}

// storedSurfaceKey reads surface id back and returns its surfaceKey.
func (im *importer) storedSurfaceKey(ctx context.Context, id int64) (string, error) {
	var name string
	var nv int
	err := im.tx.QueryRowContext(ctx, `SELECT name, (SELECT COUNT(*) FROM surface_vertices
		WHERE surface_id = ?1) FROM surfaces WHERE id = ?1`, id).Scan(&name, &nv)
	if err != nil {
		return "", err
	}

	k := keyBuf{}.str(name).num(uint64(nv))
	k, err = im.appendRows(ctx, k, `SELECT e, n, z FROM surface_vertices WHERE surface_id = ?
		ORDER BY seq`, id, func(k keyBuf, rows *sql.Rows) (keyBuf, error) {
		var e, n float64
		var z sql.NullFloat64
		err := rows.Scan(&e, &n, &z)

		return k.vertex(e, n, z), err
	})
	if err != nil {
		return "", err
	}

	k, err = im.appendRows(ctx, k, `SELECT a, b, c FROM surface_triangles WHERE surface_id = ?
		ORDER BY seq`, id, func(k keyBuf, rows *sql.Rows) (keyBuf, error) {
		var a, b, c int64
		err := rows.Scan(&a, &b, &c)

		return k.num(uint64(a)).num(uint64(b)).num(uint64(c)), err
	})

	return string(k), err
}

// appendRows runs query with arg and lets add append each row to k.
func (im *importer) appendRows(ctx context.Context, k keyBuf, query string, arg int64,
	add func(keyBuf, *sql.Rows) (keyBuf, error),
) (keyBuf, error) {
	rows, err := im.tx.QueryContext(ctx, query, arg)
	if err != nil {
		return k, err
	}
	defer rows.Close()

	for rows.Next() {
		if k, err = add(k, rows); err != nil {
			return k, err
		}
	}

	return k, rows.Err()
}

// dropTwins applies dup to items, of which same marks those with a twin in
// table (lines or surfaces) among old: Overwrite deletes the twins and keeps
// items whole, Skip and Rename leave the marked items out. It returns how
// many items have a twin and the items to insert.
func dropTwins[T any](ctx context.Context, im *importer, table string, items []T, same []bool,
	old []int64, dup Duplicates,
) (int, []T, error) {
	if len(old) == 0 {
		return 0, items, nil
	}

	n := 0
	for _, s := range same {
		if s {
			n++
		}
	}

	if dup == Overwrite {
		if _, err := im.tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id IN (`+idList(old)+`)`); err != nil {
			return 0, nil, fmt.Errorf("project: import: %s: %w", table, err)
		}

		return n, items, nil
	}

	keep := make([]T, 0, len(items)-n)
	for i, it := range items {
		if !same[i] {
			keep = append(keep, it)
		}
	}

	return n, keep, nil
}
