package ui

import (
	"context"
	"time"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
)

// Project is what the window needs from an open survey project. The
// adapter in project_store.go fills it from internal/project; tests may use
// their own.
type Project interface {
	// Name is the project's name, shown in the title.
	Name() string
	// Dir is the project folder.
	Dir() string
	// Settings returns the project's settings.
	Settings() ProjectSettings
	// UpdateSettings changes the settings with change, which is given the
	// current ones, and stores them. Updates run one at a time, so each
	// keeps the fields that another changed (a dialog's copy taken when it
	// opened would undo them).
	UpdateSettings(ctx context.Context, change func(*ProjectSettings)) error
	// Sources lists the files imported into the project.
	Sources(ctx context.Context) ([]Source, error)
	// PointCount returns how many points the project holds.
	PointCount(ctx context.Context) (int, error)
	// Points returns up to limit points from offset, in the table's order.
	Points(ctx context.Context, offset, limit int) ([]survey.Point, error)
	// Dataset returns the data selected by f (everything for the zero Filter).
	Dataset(ctx context.Context, f Filter) (*survey.Dataset, error)
	// ExportDir is the folder for the local copy of an export.
	ExportDir() (string, error)
	// ExportFile writes the data selected by f to path in the named format.
	// A failed export leaves no partial file; a selection with nothing the
	// format holds is refused with an error wrapping a
	// *project.NothingToExportError.
	ExportFile(ctx context.Context, path, format string, f Filter,
		s formats.Settings) (*ExportResult, error)
	// Import reads a file into the project.
	Import(ctx context.Context, req ImportRequest) (*ImportResult, error)
	// Close releases the project.
	Close() error
}

// ProjectSettings are the settings of a project the window shows and edits.
type ProjectSettings struct {
	Name string
	Unit survey.Unit
	// ExportToDownloads puts the local copy of exports in the user's
	// Downloads folder instead of the project's Exports folder.
	ExportToDownloads bool
	// The Procore link: company, project and the last folder exported to
	// (its id, and its path from the Documents root, "" for the root).
	CompanyID, ProjectID int64
	CompanyName          string
	ProjectName          string
	FolderID             int64
	FolderPath           string
}

// Source is one imported file.
type Source struct {
	ID       int64
	FileName string
	Format   string
	// Points, Lines and Surfaces count what the source holds now.
	Points, Lines, Surfaces int
	Imported                time.Time
	// Procore is set for files downloaded from Procore.
	Procore *ProcoreOrigin
	// NewerVersion is the number of a newer version on Procore; 0 when none
	// is known.
	NewerVersion int
}

// ProcoreOrigin names the Procore file version a source came from.
type ProcoreOrigin struct {
	CompanyID, ProjectID int64
	FileID, VersionID    int64
	Version              int
	// Path is the Procore folder path and file name.
	Path string
}

// Filter selects data for an export.
type Filter struct {
	// SourceID keeps the data of one source; 0 means every source.
	SourceID int64
	// Codes keeps points (and lines) with one of these codes; empty means all.
	Codes []string
}

// ExportResult summarises one export.
type ExportResult struct {
	Counts survey.Counts
	// Warnings say what the writer changed to fit the format.
	Warnings []survey.Warning
}

// ImportRequest asks for one file to be imported.
type ImportRequest struct {
	Path string
	// Format is a registry name; empty detects it.
	Format     string
	Settings   formats.Settings
	Duplicates string // skip, overwrite or rename
	Procore    *ProcoreOrigin
	// Progress, when set, is told the bytes of the file read so far, from
	// the importing goroutine (an atomic add; no widgets).
	Progress func(n int64)
}

// ImportResult summarises one import.
type ImportResult struct {
	Counts                  survey.Counts
	Added, Changed, Removed int
	// Skipped counts points dropped because their id was already used.
	Skipped  int
	Warnings []survey.Warning
	// Attachment is true when the file was kept as an attachment;
	// AttachmentPath is where, relative to the project folder.
	// AlreadyInProject is true when the same content was already in the
	// project (an attachment, or a data file) and nothing was added.
	Attachment       bool
	AttachmentPath   string
	AlreadyInProject bool
	// LinkedToProcore is true with AlreadyInProject when the project's
	// earlier copy, imported from disk, now records this Procore file.
	LinkedToProcore bool
	// EarlierName is, with AlreadyInProject, the name of the source that
	// holds the same content.
	EarlierName string
	// SameLines and SameSurfaces count the file's lines and surfaces
	// identical to ones already in the project (not added again, or with
	// duplicates overwritten replacing those).
	SameLines, SameSurfaces int
	// NothingNew is true when every point, line and surface of the file was
	// already in the project: nothing was imported.
	NothingNew bool
}
