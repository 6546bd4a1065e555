package project

import (
	"context"
	"fmt"
)

// schemaVersion is stored in PRAGMA user_version.
const schemaVersion = 1

var schema = []string{
	`CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS sources(
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		format TEXT NOT NULL,
		size INTEGER NOT NULL DEFAULT 0,
		sha256 TEXT NOT NULL DEFAULT '',
		imported_at TEXT NOT NULL,
		unit TEXT NOT NULL DEFAULT '',
		crs TEXT NOT NULL DEFAULT '',
		observations INTEGER NOT NULL DEFAULT 0,
		company_id INTEGER,
		project_id INTEGER,
		file_id INTEGER,
		version_id INTEGER,
		version_number INTEGER,
		procore_path TEXT
	)`,
	`CREATE INDEX IF NOT EXISTS sources_procore ON sources(company_id, project_id, file_id)`,
	`CREATE TABLE IF NOT EXISTS points(
		id INTEGER PRIMARY KEY,
		source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
		pid TEXT NOT NULL,
		code TEXT NOT NULL DEFAULT '',
		e REAL NOT NULL,
		n REAL NOT NULL,
		z REAL,
		attrs TEXT
	)`,
	`CREATE INDEX IF NOT EXISTS points_pid ON points(pid)`,
	`CREATE INDEX IF NOT EXISTS points_source ON points(source_id)`,
	`CREATE TABLE IF NOT EXISTS lines(
		id INTEGER PRIMARY KEY,
		source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
		code TEXT NOT NULL DEFAULT '',
		name TEXT NOT NULL DEFAULT '',
		closed INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX IF NOT EXISTS lines_source ON lines(source_id)`,
	`CREATE TABLE IF NOT EXISTS line_vertices(
		line_id INTEGER NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		e REAL NOT NULL, n REAL NOT NULL, z REAL,
		PRIMARY KEY(line_id, seq)
	) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS surfaces(
		id INTEGER PRIMARY KEY,
		source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
		name TEXT NOT NULL DEFAULT ''
	)`,
	`CREATE INDEX IF NOT EXISTS surfaces_source ON surfaces(source_id)`,
	`CREATE TABLE IF NOT EXISTS surface_vertices(
		surface_id INTEGER NOT NULL REFERENCES surfaces(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		e REAL NOT NULL, n REAL NOT NULL, z REAL,
		PRIMARY KEY(surface_id, seq)
	) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS surface_triangles(
		surface_id INTEGER NOT NULL REFERENCES surfaces(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		a INTEGER NOT NULL, b INTEGER NOT NULL, c INTEGER NOT NULL,
		PRIMARY KEY(surface_id, seq)
	) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS attachments(
		id INTEGER PRIMARY KEY,
		source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		kind TEXT NOT NULL DEFAULT '',
		size INTEGER NOT NULL,
		sha256 TEXT NOT NULL,
		path TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS warnings(
		source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		line INTEGER NOT NULL DEFAULT 0,
		element TEXT NOT NULL DEFAULT '',
		msg TEXT NOT NULL,
		PRIMARY KEY(source_id, seq)
	) WITHOUT ROWID`,
}

// migrate creates the tables of a new project and checks the version of
// an existing one. A project already at schemaVersion is only read: opening
// it never takes the write lock, so a second handle (backsight project info
// while an import runs) opens at once.
func (p *Project) migrate(ctx context.Context) error {
	var v int
	if err := p.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("project: schema: %w", err)
	}

	if v > schemaVersion {
		return fmt.Errorf("project: schema version %d is newer than this program (%d)", v, schemaVersion)
	}

	if v == schemaVersion {
		return nil
	}

	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("project: schema: %w", err)
	}
	defer tx.Rollback()

	for _, s := range schema {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("project: schema: %w", err)
		}
	}

	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return fmt.Errorf("project: schema: %w", err)
	}

	if err := tx.Commit(); err != nil {
		return fmt.Errorf("project: schema: %w", err)
	}

	return nil
}
