package ui

import (
	"context"
	"errors"
	"path/filepath"
	"sync"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/ui/plan"
)

// storeProject adapts an internal/project folder to [Project].
type storeProject struct {
	p *project.Project

	// mu makes each UpdateSettings a read, change and store of its own.
	mu sync.Mutex
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

// Name implements [Project].
func (s *storeProject) Name() string { return s.p.Settings().Name }

// Dir implements [Project].
func (s *storeProject) Dir() string { return s.p.Dir() }

// Close implements [Project].
func (s *storeProject) Close() error { return s.p.Close() }

// ExportDir implements [Project].
func (s *storeProject) ExportDir() (string, error) { return s.p.ExportDir() }

// Settings implements [Project].
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
		FolderPath:        ps.Procore.LastFolderPath,
	}
}

// UpdateSettings implements [Project].
func (s *storeProject) UpdateSettings(ctx context.Context, change func(*ProjectSettings)) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	in := s.Settings()
	change(&in)

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
	ps.Procore.LastFolderPath = in.FolderPath
	if ps.Import.Extra == nil {
		ps.Import.Extra = map[string]string{}
	}
	ps.Import.Extra["company_name"] = in.CompanyName
	ps.Import.Extra["project_name"] = in.ProjectName

	return s.p.SaveSettings(ctx, ps)
}

// Sources implements [Project].
func (s *storeProject) Sources(ctx context.Context) ([]Source, error) {
	list, err := s.p.Sources(ctx)
	if err != nil {
		return nil, err
	}

	out := make([]Source, 0, len(list))
	for _, src := range list {
		item := Source{
			ID: src.ID, FileName: src.Name, Format: src.Format, Points: src.Points,
			Lines: src.Lines, Surfaces: src.Surfaces, Imported: src.ImportedAt,
		}
		if r := src.Procore; r != nil {
			item.Procore = &ProcoreOrigin{
				CompanyID: r.CompanyID, ProjectID: r.ProjectID, FileID: r.FileID,
				VersionID: r.VersionID, Version: int(r.VersionNumber), Path: r.Path,
			}
		}
		out = append(out, item)
	}

	return out, nil
}

// PointCount implements [Project].
func (s *storeProject) PointCount(ctx context.Context) (int, error) {
	return s.p.PointCount(ctx, project.Selection{})
}

// Points implements [Project].
func (s *storeProject) Points(ctx context.Context, offset, limit int) ([]survey.Point, error) {
	rows, err := s.p.PointsPage(ctx, offset, limit)
	if err != nil {
		return nil, err
	}

	out := make([]survey.Point, len(rows))
	for i, r := range rows {
		out[i] = r.Point
	}

	return out, nil
}

// ExportFile implements [Project] with the project's own export, the one
// the command line uses.
func (s *storeProject) ExportFile(ctx context.Context, path, format string, f Filter,
	fs formats.Settings,
) (*ExportResult, error) {
	r, err := s.p.ExportFileReport(ctx, path, format, selection(f), fs)
	if err != nil {
		return nil, err
	}

	return &ExportResult{Counts: r.Counts, Warnings: r.Warnings}, nil
}

// selection turns a window filter into a project selection.
func selection(f Filter) project.Selection {
	sel := project.Selection{Codes: f.Codes}
	if f.SourceID != 0 {
		sel.SourceIDs = []int64{f.SourceID}
	}

	return sel
}

// Dataset implements [Project].
func (s *storeProject) Dataset(ctx context.Context, f Filter) (*survey.Dataset, error) {
	return s.p.Select(ctx, selection(f))
}

// Import reads req.Path through the format registry into the project, in
// one transaction.
func (s *storeProject) Import(ctx context.Context, req ImportRequest) (*ImportResult, error) {
	dup, err := project.ParseDuplicates(req.Duplicates)
	if err != nil {
		return nil, err
	}

	fi := project.FileImport{
		Path: req.Path, Format: req.Format, Settings: req.Settings,
		Options:  project.ImportOptions{Duplicates: dup},
		Progress: req.Progress,
	}
	if o := req.Procore; o != nil {
		fi.Procore = &project.ProcoreRef{
			CompanyID: o.CompanyID, ProjectID: o.ProjectID, FileID: o.FileID,
			VersionID: o.VersionID, VersionNumber: int64(o.Version), Path: o.Path,
		}
	}

	res, err := s.p.ImportFile(ctx, fi)
	if err != nil {
		return nil, err
	}

	out := &ImportResult{
		Counts: survey.Counts{
			Points: res.Points, Lines: res.Lines, Surfaces: res.Surfaces,
			Warnings: len(res.Warnings), Observations: res.Observations,
		},
		Added: res.Added, Changed: res.Changed, Removed: res.Removed,
		Skipped: res.Skipped, Warnings: res.Warnings, Attachment: res.Attachment != nil,
		NothingNew: res.NothingNew, AlreadyInProject: res.AlreadyInProject,
		LinkedToProcore: res.LinkedToProcore, EarlierName: res.EarlierName,
		SameLines:    res.SameLines,
		SameSurfaces: res.SameSurfaces,
	}
	if a := res.Attachment; a != nil {
		out.AttachmentPath = a.Path
	}

	return out, nil
}

// PlanData streams every point, line and surface into the plan view's
// drawing data without holding the points as survey values.
func (s *storeProject) PlanData(ctx context.Context) (*plan.Data, error) {
	ext, err := s.p.Extent(ctx)
	if err != nil {
		return nil, err
	}
	if ext.Empty {
		return &plan.Data{}, nil
	}

	n, err := s.p.PointCount(ctx, project.Selection{})
	if err != nil {
		return nil, err
	}

	b := plan.NewBuilder(ext.MinE, ext.MinN, n)
	err = s.p.EachPoint(ctx, project.Selection{}, func(r project.PointRow) error {
		b.AddPoint(r.E, r.N)
		return nil
	})
	if err != nil {
		return nil, err
	}

	lines, err := s.p.Lines(ctx, project.Selection{})
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		b.AddLine(l.Line)
	}

	surfaces, err := s.p.Surfaces(ctx, project.Selection{})
	if err != nil {
		return nil, err
	}
	for _, sf := range surfaces {
		b.AddSurface(sf.Surface)
	}

	return b.Data(), nil
}
