package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/backsight/backsight/internal/procore"
)

// FolderResult describes a folder upload.
type FolderResult struct {
	// FolderID is the Procore folder made for the local folder.
	FolderID int64
	Folders  int
	Files    []UploadResult
	// Skipped names files left out (empty or not regular), relative to the
	// local folder.
	Skipped []string
}

// UploadFolder uploads the local folder dir, with everything below it, as a
// new folder inside parentID (0: the root) of scope. It refuses with a
// [*FolderExistsError] (matching ErrFolderExists) when the target already
// holds a folder of that name: Procore folders cannot be merged that way.
// Empty files and anything that is not a regular file or folder are skipped
// and listed in the result. p may be nil.
func (t *Transferer) UploadFolder(
	ctx context.Context, scope procore.Scope, parentID int64, dir string, p *Progress,
) (*FolderResult, error) {
	name := filepath.Base(filepath.Clean(dir))
	parent, err := t.listFolder(ctx, scope, parentID, &procore.FolderOptions{ExcludeFiles: true})
	if err != nil {
		return nil, err
	}

	for _, f := range parent.Folders {
		if f.Name == name && !f.IsDeleted {
			return nil, &FolderExistsError{Name: name, FolderID: f.ID}
		}
	}

	plan, err := planFolder(dir)
	if err != nil {
		return nil, err
	}
	p.AddTotal(plan.bytes, int64(len(plan.files)))

	res := &FolderResult{Skipped: plan.skipped}
	ids := map[string]int64{}
	rootID, err := t.makeFolder(ctx, scope, parentID, name)
	if errors.Is(err, procore.ErrNameTaken) {
		// Taken in another letter case, or made by someone meanwhile.
		return nil, &FolderExistsError{Name: name}
	}

	if err != nil {
		return nil, err
	}
	ids["."], res.FolderID = rootID, rootID
	res.Folders++

	for _, rel := range plan.dirs {
		id, err := t.makeFolder(ctx, scope, ids[filepath.Dir(rel)], filepath.Base(rel))
		if err != nil {
			return res, err
		}
		ids[rel] = id
		res.Folders++
	}

	return res, t.uploadPlanned(ctx, scope, dir, plan, ids, res, p)
}

// uploadPlanned uploads the planned files into their new folders, several
// at once.
func (t *Transferer) uploadPlanned(
	ctx context.Context, scope procore.Scope, dir string, plan *folderPlan,
	ids map[string]int64, res *FolderResult, p *Progress,
) error {
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.FileWorkers)
	for _, rel := range plan.files {
		g.Go(func() error {
			folderID := ids[filepath.Dir(rel)]
			// The folder is new, so every name is free; associate still checks
			// Procore after an ambiguous failure.
			r, err := t.uploadInto(gctx, scope, folderID, filepath.Join(dir, rel), byName{}, p)
			if err != nil {
				return err
			}

			mu.Lock()
			res.Files = append(res.Files, *r)
			mu.Unlock()

			return nil
		})
	}

	return g.Wait()
}

// errNoID means Procore answered a create without the new item's id.
var errNoID = errors.New("procore answered without an id")

// makeFolder creates a folder. After an ambiguous failure it looks for the
// folder before trying again, so that a lost answer does not fail the job
// with "name taken" nor make a second folder.
func (t *Transferer) makeFolder(ctx context.Context, scope procore.Scope, parentID int64, name string) (int64, error) {
	var lastErr error
	for try := 0; try < maxAssociateTries; try++ {
		f, _, err := t.c.Folders.Create(ctx, scope, parentID, name)
		if err == nil && f.ID == 0 {
			// An answer without an id (empty or null): 0 would mean the
			// root folder, and the files would land there.
			return 0, fmt.Errorf("transfer: create folder %s: %w", name, errNoID)
		}

		if err == nil {
			return f.ID, nil
		}

		lastErr = err
		if !ambiguous(err) && !(try > 0 && errors.Is(err, procore.ErrNameTaken)) {
			return 0, fmt.Errorf("transfer: create folder %s: %w", name, err)
		}

		parent, lerr := t.listFolder(ctx, scope, parentID, &procore.FolderOptions{ExcludeFiles: true})
		if lerr != nil {
			return 0, lerr
		}

		for _, sub := range parent.Folders {
			if sub.Name == name && !sub.IsDeleted {
				return sub.ID, nil
			}
		}

		t.log.Debug("transfer create folder failed, retrying", zap.String("name", name), zap.Int("try", try+1))
	}

	return 0, fmt.Errorf("transfer: create folder %s: %w", name, lastErr)
}

// folderPlan is the local tree to upload, relative to its top.
type folderPlan struct {
	dirs    []string // parents before children
	files   []string
	skipped []string
	bytes   int64
}

func planFolder(dir string) (*folderPlan, error) {
	plan := &folderPlan{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}

		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}

		info, err := d.Info()
		if err != nil {
			return err
		}

		switch {
		case d.IsDir():
			plan.dirs = append(plan.dirs, rel)
		case info.Mode().IsRegular() && info.Size() > 0:
			plan.files = append(plan.files, rel)
			plan.bytes += info.Size()
		default:
			plan.skipped = append(plan.skipped, rel)
		}

		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("transfer: read folder: %w", err)
	}

	return plan, nil
}
