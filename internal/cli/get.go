package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

// fetched is one downloaded file with the Procore source it came from.
type fetched struct {
	ProcorePath string `json:"procore_path"`
	LocalPath   string `json:"local_path"`
	FileID      int64  `json:"file_id"`
	VersionID   int64  `json:"version_id"`
	Version     int    `json:"version"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Renamed is true when another file of the download had the same local
	// name, so this one was saved under a name with " (2)" or the like.
	Renamed bool `json:"renamed,omitempty"`
}

// getJSON is the result of procore get.
type getJSON struct {
	CompanyID int64     `json:"company_id"`
	ProjectID int64     `json:"project_id"`
	Dest      string    `json:"dest"`
	Files     []fetched `json:"files"`
	Skipped   []string  `json:"skipped,omitempty"`
	Failed    []failed  `json:"failed,omitempty"`
	// Nothing says why nothing was downloaded, when nothing was there to.
	Nothing string      `json:"nothing_to_download,omitempty"`
	Import  *importJSON `json:"import,omitempty"`
}

// failed is a file that could not be downloaded while the others were.
type failed struct {
	ProcorePath string `json:"procore_path"`
	Error       string `json:"error"`
}

// download is one file to fetch.
type download struct {
	path    []string
	fileID  int64
	version *procore.FileVersion
}

// getOptions are the flags of procore get.
type getOptions struct {
	to, projectDir string
	doImport       bool
	imp            importFlags
}

func (r *runner) getCommand() *cobra.Command {
	var o getOptions

	cmd := &cobra.Command{
		Use:   "get --company ID --project ID PROCORE_PATH [--to DIR] [--project-dir DIR --import]",
		Short: "Download a Procore file or a whole folder",
		Long: "Download the current version of a Procore file, or every file of a folder, " +
			"into --to DIR (default: the Procore/ folder of --project-dir, else the current " +
			"folder), keeping the Procore path. With --project-dir DIR --import the fetched " +
			"files are imported into that project, remembering where each came from " +
			"(company, project, file, version); the import flags apply. Two files whose " +
			"names are the same on this disk (\"a:b.csv\" and \"a_b.csv\") are both " +
			"kept, the second as \"a_b (2).csv\". A file that " +
			"cannot be downloaded (its name, or Procore refusing it) is reported and the " +
			"others go on; the exit status is then 1.\n\n" + exitHelp,
		Args: exactArgs(1, "PROCORE_PATH"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			return r.get(cmd, args[0], o)
		}),
	}
	r.projectFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.to, "to", "", "local folder to download into")
	f.StringVar(&o.projectDir, "project-dir", "", "survey project folder (its Procore/ "+
		"folder is the default --to)")
	f.BoolVar(&o.doImport, "import", false, "import the downloaded files into --project-dir")
	o.imp.register(cmd)

	return cmd
}

func (r *runner) get(cmd *cobra.Command, path string, o getOptions) error {
	if o.doImport && o.projectDir == "" {
		return usagef("--import needs --project-dir DIR")
	}

	req, err := o.imp.request()
	if err != nil {
		return err
	}

	var p *project.Project
	if o.projectDir != "" {
		if p, err = openProject(cmd.Context(), o.projectDir); err != nil {
			return err
		}
		defer p.Close()
	}

	dest := o.to
	switch {
	case dest != "":
	case p != nil:
		dest = p.ProcorePath()
	default:
		dest = "."
	}

	d, err := r.docs(cmd)
	if err != nil {
		return err
	}

	// A --to that cannot be a folder fails once here, not once per file.
	// The folders made for it go again when nothing landed in them (a
	// folder with no files, a path that is not there).
	made := transfer.MissingFolders(dest)
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	defer transfer.RemoveEmptyFolders(made)

	out, err := r.fetch(cmd.Context(), d, path, dest)
	if err != nil {
		return err
	}
	if len(out.Failed) > 0 {
		err = &sentenceError{msg: failedText(len(out.Failed), len(out.Failed)+len(out.Files),
			"downloaded")}
	}

	if o.doImport {
		var ierr error
		out.Import, ierr = r.importAll(cmd.Context(), p, req, fetchedItems(d.ids, out.Files))
		if out.Import == nil {
			return ierr
		}
		if err == nil {
			err = ierr
		}
	}

	if eerr := r.emit(out, func(w io.Writer) {
		for _, f := range out.Files {
			fmt.Fprintln(w, f.LocalPath)
		}
		if out.Import != nil {
			printImport(w, out.Import)
		}
	}); eerr != nil {
		return eerr
	}

	return err
}

// fetchedItems turns downloads into import items that remember their
// Procore source.
func fetchedItems(ids procoreIDs, files []fetched) []importItem {
	items := make([]importItem, len(files))
	for i, f := range files {
		items[i] = importItem{path: f.LocalPath, procore: &project.ProcoreRef{
			CompanyID: ids.company, ProjectID: ids.project, FileID: f.FileID,
			VersionID: f.VersionID, VersionNumber: int64(f.Version),
			Path: strings.TrimPrefix(f.ProcorePath, "/"),
		}}
	}

	return items
}

// fetch downloads what path names into dest.
func (r *runner) fetch(ctx context.Context, d *docs, path, dest string) (*getJSON, error) {
	tg, err := d.resolve(ctx, path)
	if err != nil {
		return nil, err
	}

	out := &getJSON{CompanyID: d.ids.company, ProjectID: d.ids.project, Dest: dest,
		Files: []fetched{}}

	var list []download
	switch {
	case tg.File != nil:
		if v := tg.File.LatestVersion(); v != nil {
			list = append(list, download{tg.Path, tg.File.ID, v})
		} else {
			out.Skipped = append(out.Skipped, joinPath(tg.Path))
		}
	default:
		tree, err := d.t.ListTree(ctx, d.scope, tg.folderID())
		if err != nil {
			return nil, err
		}

		tree.Root.Walk(func(n *transfer.Node) {
			if n.IsFolder {
				return
			}
			p := append(append([]string(nil), tg.Path...), n.Path...)
			if n.Version == nil {
				out.Skipped = append(out.Skipped, joinPath(p))
				return
			}
			list = append(list, download{p, n.ID, n.Version})
		})
	}

	if len(list) == 0 && len(out.Skipped) == 0 {
		switch {
		case tg.Folder != nil && tg.Folder.IsRecycleBin && tg.File == nil:
			out.Nothing = joinPath(tg.Path) + " is Procore's recycle bin, and Backsight does " +
				"not download deleted items. Restore them in Procore first."
		default:
			out.Nothing = joinPath(tg.Path) + " holds no files."
		}
		r.infof("Nothing to download: %s", out.Nothing)

		return out, nil
	}

	files, fails, err := r.downloadAll(ctx, d, list, dest)
	if err != nil {
		return nil, err
	}
	out.Files = append(out.Files, files...)
	out.Failed = fails

	where := dest
	if abs, err := filepath.Abs(dest); err == nil {
		where = abs
	}
	r.infof("Downloaded %s into %s.", survey.Plural(len(out.Files), "file", "files"), where)
	for _, f := range out.Files {
		if f.Renamed {
			r.infof("%s was saved as %s: another file of this download has the same name on disk.",
				f.ProcorePath, filepath.Base(f.LocalPath))
		}
	}
	for _, s := range out.Skipped {
		r.infof("Skipped %s (Procore sent no version of it).", s)
	}
	for _, f := range out.Failed {
		r.infof("%s was not downloaded: %s", f.ProcorePath, f.Error)
	}

	return out, nil
}

// fileOnly reports whether a download error concerns that one file (its
// local name, its Procore record), so that the other files can go on. Any
// other error (a cancellation, the login, the network, a full disk) stops
// them all.
func fileOnly(err error) bool {
	var (
		pe *os.PathError
		le *os.LinkError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, syscall.ENOSPC):
		return false
	case errors.As(err, &pe), errors.As(err, &le):
		return true
	}

	return errors.Is(err, procore.ErrNotFound) || errors.Is(err, procore.ErrForbidden) ||
		errors.Is(err, transfer.ErrNoURL) || errors.Is(err, transfer.ErrOutsideDestination)
}

// downloadAll runs the downloads through the App's transfer manager, with
// one progress bar for all of them. A file whose failure is its own (see
// fileOnly) is listed in fails and the others go on; any other failure
// stops them all and is returned.
func (r *runner) downloadAll(ctx context.Context, d *docs, list []download, dest string,
) (files []fetched, fails []failed, err error) {
	p := &transfer.Progress{}
	for _, dl := range list {
		p.AddTotal(max(dl.version.Size, 0), 1)
	}

	stop := r.showProgress("Downloading", p)
	defer stop()

	// Two Procore names can make one local name ("a:b.csv" and "a_b.csv",
	// "Plan.csv" and "plan.csv"): every file gets its own. The JSON output
	// reports each file's sha256.
	reqs := make([]transfer.DownloadRequest, len(list))
	for i, dl := range list {
		reqs[i] = transfer.DownloadRequest{
			Version: *dl.version, Path: dl.path, DestDir: dest, Hash: true,
		}
	}
	reqs = transfer.DistinctLocalNames(reqs)

	// A failed or interrupted get leaves no empty folders of its own.
	made := transfer.NewFolders(reqs)
	defer transfer.RemoveEmptyFolders(made)

	// Each job fills only its own entry, and out is read after every
	// handle is done, so no lock is needed.
	out := make([]fetched, len(list))
	handles := make([]*transfer.Handle, len(list))
	for i, dl := range list {
		job := func(jctx context.Context, _ *transfer.Progress) error {
			res, err := d.t.Download(jctx, reqs[i], p)
			if err != nil {
				return err
			}

			out[i] = fetched{
				ProcorePath: joinPath(dl.path), LocalPath: res.LocalPath, FileID: dl.fileID,
				VersionID: dl.version.ID, Version: dl.version.Number, Size: res.Size,
				SHA256: res.SHA256, Renamed: res.Renamed,
			}

			return nil
		}
		handles[i] = r.a.Transfers().Submit(joinPath(dl.path), job)
	}

	var firstErr error
	for i, h := range handles {
		select {
		case <-h.Done():
		case <-ctx.Done():
			h.Cancel()
			<-h.Done()
		}

		herr := h.Err()
		switch {
		case herr == nil, firstErr != nil:
		case fileOnly(herr) && ctx.Err() == nil:
			r.logError(herr)
			fails = append(fails, failed{ProcorePath: joinPath(list[i].path),
				Error: app.UserMessage(herr)})
		default:
			firstErr = herr
			for _, other := range handles {
				other.Cancel()
			}
		}
	}
	if firstErr != nil {
		return nil, nil, firstErr
	}

	// Only a finished download filled its entry (a local path).
	for _, f := range out {
		if f.LocalPath != "" {
			files = append(files, f)
		}
	}

	return files, fails, nil
}
