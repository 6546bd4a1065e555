// Package project is the local survey project: a folder holding a SQLite
// database (backsight.db) with the imported points, lines, surfaces and
// attachments and the source file each came from, a Procore/ folder for
// downloads (mirroring the Procore folder path) and an Exports/ folder.
//
// Every entity references its source. An import runs in one transaction:
// the whole file lands or nothing does.
//
// An import meets what the project already holds as follows:
//
//   - A file whose content (SHA-256) is already a data source of the
//     project adds nothing and is reported as already in the project
//     ([ImportResult.AlreadyInProject]), so a nightly re-import does not
//     grow it. With [Overwrite] the file replaces that source instead: its
//     points, lines and surfaces go and the file's come in. Attachments are
//     kept once per content in the same way.
//   - A newer version of a Procore file (same company, project and file,
//     a version number at least the one held) replaces the sources of the
//     versions held, even when its content is unchanged, and is recorded
//     with its version; an older version is refused ([ErrOlderVersion]).
//   - Any other file, a changed file under a name already imported
//     included, is a new source. Its points whose ids the project already
//     uses follow [Duplicates]. Its lines and surfaces identical to ones the
//     project holds (code or name, closed flag, every vertex, triangles) are
//     not added again, or with [Overwrite] replace those. A file that
//     brings nothing new records no source ([ImportResult.NothingNew]).
package project

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/backsight/backsight/internal/survey"
)

// File and folder names inside a project folder.
const (
	DBName      = "backsight.db"
	ProcoreDir  = "Procore"
	ExportsDir  = "Exports"
	settingsKey = "settings"
	createdKey  = "created_at"
)

// Where the local copy of an export goes.
const (
	ExportToProject   = "project"
	ExportToDownloads = "downloads"
)

// Errors callers can test with errors.Is.
var (
	ErrExists     = errors.New("project: folder already holds a project")
	ErrNotProject = errors.New("project: not a project folder (no " + DBName + ")")
)

// ProcoreLink ties the project to a Procore project.
type ProcoreLink struct {
	Environment    string `json:"environment,omitempty"`
	CompanyID      int64  `json:"company_id,omitempty"`
	ProjectID      int64  `json:"project_id,omitempty"`
	LastFolderID   int64  `json:"last_folder_id,omitempty"`
	LastFolderPath string `json:"last_folder_path,omitempty"`
}

// ImportPrefs remembers the import pickers per project.
type ImportPrefs struct {
	LastDir    string     `json:"last_dir,omitempty"`
	Format     string     `json:"format,omitempty"`
	Template   string     `json:"template,omitempty"`
	Delimiter  string     `json:"delimiter,omitempty"`
	Unit       string     `json:"unit,omitempty"`
	Encoding   string     `json:"encoding,omitempty"`
	Duplicates Duplicates `json:"duplicates,omitempty"`
	// Extra holds further picker values by name.
	Extra map[string]string `json:"extra,omitempty"`
}

// Settings are the project's own settings, stored in its database.
type Settings struct {
	Name string      `json:"name"`
	Unit survey.Unit `json:"unit"`
	// ExportCopy is ExportToProject or ExportToDownloads.
	ExportCopy string      `json:"export_copy"`
	Procore    ProcoreLink `json:"procore"`
	Import     ImportPrefs `json:"import"`
}

// Project is an open project folder. Its methods are safe for concurrent use.
type Project struct {
	dir string
	db  *sql.DB

	mu          sync.Mutex
	settings    Settings
	pageMu      sync.Mutex
	anchors     []int64 // rowid of every anchorStep-th point, as far as scanned
	anchorsDone bool    // anchors reach the last point
}

// Create makes dir (if needed) a new project with the given settings.
func Create(ctx context.Context, dir string, s Settings) (*Project, error) {
	if _, err := os.Stat(filepath.Join(dir, DBName)); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, dir)
	}

	for _, d := range []string{dir, filepath.Join(dir, ProcoreDir), filepath.Join(dir, ExportsDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("project: create: %w", err)
		}
	}

	p, err := open(ctx, dir)
	if err != nil {
		return nil, err
	}

	if err := p.SaveSettings(ctx, s.withDefaults(dir)); err != nil {
		p.Close()

		return nil, err
	}

	created := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	if _, err := p.db.ExecContext(ctx, `INSERT OR IGNORE INTO meta(key, value) VALUES(?, ?)`,
		createdKey, created); err != nil {
		p.Close()

		return nil, fmt.Errorf("project: create: %w", err)
	}

	return p, nil
}

// CreatedAt returns when the project was created (UTC, whole seconds), or
// the zero time for a project made before this was recorded.
func (p *Project) CreatedAt(ctx context.Context) (time.Time, error) {
	var v string
	err := p.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, createdKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}

	if err != nil {
		return time.Time{}, fmt.Errorf("project: created at: %w", err)
	}

	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		// A damaged value only loses the stamp; it is no reason to fail an export.
		return time.Time{}, nil
	}

	return t.UTC(), nil
}

// Open opens an existing project folder.
func Open(ctx context.Context, dir string) (*Project, error) {
	if _, err := os.Stat(filepath.Join(dir, DBName)); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotProject, dir)
	}

	p, err := open(ctx, dir)
	if err != nil {
		return nil, err
	}

	if err := p.loadSettings(ctx); err != nil {
		p.Close()

		return nil, err
	}

	for _, d := range []string{ProcoreDir, ExportsDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			p.Close()

			return nil, fmt.Errorf("project: open: %w", err)
		}
	}

	return p, nil
}

// idleConnTime is how long a database connection may sit unused before it is
// closed. Each connection keeps a page cache of up to 32 MiB (cache_size below,
// for fast imports); after the plan view has read a large project through one,
// the cache would otherwise stay full for as long as the window sits idle.
const idleConnTime = 30 * time.Second

// open opens the project database in dir and brings its schema up to date.
func open(ctx context.Context, dir string) (*Project, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("project: open: %w", err)
	}

	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)",
		"busy_timeout(10000)", "cache_size(-32768)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}

	dsn := "file:" + filepath.ToSlash(filepath.Join(abs, DBName)) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("project: open database: %w", err)
	}

	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(idleConnTime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()

		return nil, fmt.Errorf("project: open database: %w", err)
	}

	p := &Project{dir: abs, db: db}
	if err := p.migrate(ctx); err != nil {
		p.Close()

		return nil, err
	}

	return p, nil
}

// Close closes the database.
func (p *Project) Close() error {
	if err := p.db.Close(); err != nil {
		return fmt.Errorf("project: close: %w", err)
	}

	return nil
}

// Dir returns the project folder (absolute).
func (p *Project) Dir() string { return p.dir }

// DB returns the underlying database for read-only queries not covered here.
func (p *Project) DB() *sql.DB { return p.db }

func (s Settings) withDefaults(dir string) Settings {
	if s.Name == "" {
		s.Name = filepath.Base(dir)
	}

	if s.Unit == survey.UnitUnknown {
		s.Unit = survey.Metre
	}

	if s.ExportCopy == "" {
		s.ExportCopy = ExportToProject
	}

	return s
}

// Settings returns a copy of the current settings.
func (p *Project) Settings() Settings {
	p.mu.Lock()
	defer p.mu.Unlock()

	s := p.settings
	if s.Import.Extra != nil {
		s.Import.Extra = cloneMap(s.Import.Extra)
	}

	return s
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}

	return out
}

// SaveSettings validates and stores the settings.
func (p *Project) SaveSettings(ctx context.Context, s Settings) error {
	switch s.Unit {
	case survey.Metre, survey.Foot, survey.USSurveyFoot:
	default:
		return fmt.Errorf("project: settings: unit %q (want m, ft or usft)", s.Unit)
	}

	if s.ExportCopy != ExportToProject && s.ExportCopy != ExportToDownloads {
		return fmt.Errorf("project: settings: export copy %q (want %s or %s)", s.ExportCopy,
			ExportToProject, ExportToDownloads)
	}

	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("project: settings: %w", err)
	}

	_, err = p.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, settingsKey, string(b))
	if err != nil {
		return fmt.Errorf("project: save settings: %w", err)
	}

	p.mu.Lock()
	p.settings = s
	p.mu.Unlock()

	return nil
}

func (p *Project) loadSettings(ctx context.Context) error {
	var v string
	err := p.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, settingsKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		p.settings = Settings{}.withDefaults(p.dir)

		return nil
	}

	if err != nil {
		return fmt.Errorf("project: load settings: %w", err)
	}

	var s Settings
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return fmt.Errorf("project: load settings: %w", err)
	}

	p.settings = s.withDefaults(p.dir)

	return nil
}

// ExportDir returns the folder for the local copy of an export:
// <project>/Exports, or the user's Downloads folder when the settings say so.
func (p *Project) ExportDir() (string, error) {
	if p.Settings().ExportCopy != ExportToDownloads {
		return filepath.Join(p.dir, ExportsDir), nil
	}

	return DownloadsDir()
}

// DownloadsDir returns the user's Downloads folder: XDG_DOWNLOAD_DIR from
// the user-dirs file when set, else ~/Downloads.
func DownloadsDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("project: downloads folder: %w", err)
	}

	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(home, ".config")
	}

	if d := xdgDownloadDir(filepath.Join(cfg, "user-dirs.dirs"), home); d != "" {
		return d, nil
	}

	return filepath.Join(home, "Downloads"), nil
}

// xdgDownloadDir reads XDG_DOWNLOAD_DIR="$HOME/..." from a user-dirs file.
func xdgDownloadDir(path, home string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		v, ok := strings.CutPrefix(line, "XDG_DOWNLOAD_DIR=")
		if !ok {
			continue
		}

		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if v == "" || !filepath.IsAbs(v) || filepath.Clean(v) == filepath.Clean(home) {
			return ""
		}

		return filepath.Clean(v)
	}

	return ""
}

// ProcorePath returns where a download from the Procore folder path
// (segments as shown in Procore, e.g. "Survey", "2026") is kept:
// <project>/Procore/Survey/2026. Segments that would leave the folder
// ("..", empty, containing a separator) are made safe.
func (p *Project) ProcorePath(segments ...string) string {
	parts := []string{p.dir, ProcoreDir}
	for _, s := range segments {
		parts = append(parts, safeName(s))
	}

	return filepath.Join(parts...)
}

// safeName turns a Procore folder or file name into one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', 0, ':', '*', '?', '"', '<', '>', '|':
			return '_'
		}

		if r < 0x20 {
			return '_'
		}

		return r
	}, strings.TrimSpace(s))
	if s == "" || s == "." || s == ".." {
		return "_"
	}

	return s
}
