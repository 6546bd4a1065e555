package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"fyne.io/fyne/v2/dialog"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

// exportPlan is everything one export needs, read from the widgets on the
// UI goroutine before the work moves off it.
type exportPlan struct {
	proj      Project
	f         *formats.Format
	settings  formats.Settings
	filter    Filter
	name      string
	procore   bool
	companyID int64
	projectID int64
	scope     procore.Scope
	folderID  int64
	folder    string
	t         *transfer.Transferer
	origins   []Source
	// listed is the target folder as listed just before the export, for
	// the newer-version check and then for the upload; nil when the upload
	// must list it itself (after the user was asked about a newer version).
	listed *procore.Folder
}

// start checks the choices, then looks in Procore for a newer version of the
// file before exporting.
func (w *exportWindow) start() {
	u := w.u
	w.clearResult()
	plan := &exportPlan{
		proj: u.proj, f: w.chosen(), settings: w.writeSettings(), filter: w.filter(),
		name: strings.TrimSpace(w.name.Text), procore: w.procore, origins: w.sources,
	}
	switch safe := transfer.SafeName(plan.name); {
	case plan.name == "":
		dialog.ShowInformation("Export", "Enter a file name (without a folder).", w.win)
		return
	case safe != plan.name:
		dialog.ShowInformation("Export", unsafeNameMessage(plan.name, safe), w.win)
		return
	}
	if plan.procore {
		n := w.browser.folder()
		if n == nil || w.browser.projectID == 0 {
			dialog.ShowInformation("Export", "Choose the Procore folder to upload to.", w.win)
			return
		}
		t, err := u.app.Transferer(w.browser.companyID)
		if err != nil {
			u.showErrorIn(w.win, "Export", err)
			return
		}
		plan.t, plan.companyID, plan.scope = t, w.browser.companyID, w.browser.scope()
		plan.projectID = w.browser.projectID
		plan.folderID, plan.folder = n.id, strings.Join(n.path, "/")
	}

	w.export.Disable()
	if !plan.procore {
		w.run(plan)
		return
	}
	go func() {
		var newer string
		listed, err := plan.t.ListFolder(u.ctx, plan.scope, plan.folderID)
		if err == nil {
			plan.listed = listed
			newer = newerOnProcore(plan)
		}
		do(func() {
			switch {
			case err != nil:
				w.export.Enable()
				u.showErrorIn(w.win, "Export", err)
			case newer != "":
				dialog.ShowConfirm("Newer version on Procore", newer+
					" Upload your export over it as a new version anyway?", func(ok bool) {
					if ok {
						// The listing is as old as the question: the
						// upload lists the folder again.
						plan.listed = nil
						w.run(plan)
					} else {
						w.export.Enable()
					}
				}, w.win)
			default:
				w.run(plan)
			}
		})
	}()
}

// newerOnProcore returns a sentence when the listed target folder holds a
// file of the export's name whose latest version is newer than the version
// the project's data came from; "" when there is nothing to ask.
func newerOnProcore(plan *exportPlan) string {
	for _, f := range plan.listed.Files {
		if f.Name != plan.name || f.IsDeleted {
			continue
		}
		latest := f.LatestVersion()
		if latest == nil {
			return ""
		}
		for _, s := range plan.origins {
			o := s.Procore
			if o != nil && o.FileID == f.ID && o.Version < latest.Number {
				return fmt.Sprintf("Procore holds version %d of %s; this project's data came "+
					"from version %d.", latest.Number, f.Name, o.Version)
			}
		}
	}

	return ""
}

// run writes the export and uploads it, as one cancellable job.
func (w *exportWindow) run(plan *exportPlan) {
	u := w.u
	var local string
	var written *ExportResult
	var up *transfer.UploadResult
	job := func(ctx context.Context, p *transfer.Progress) error {
		var err error
		local, written, err = writeExport(ctx, plan)
		if err != nil {
			return err
		}
		if !plan.procore {
			return nil
		}
		if st, err := os.Stat(local); err == nil {
			p.AddTotal(st.Size(), 1)
		}
		// The folder was listed for the newer-version check just before:
		// the upload takes that listing instead of making the same request
		// again, unless the user was asked first (then it is stale).
		if plan.listed == nil {
			up, err = plan.t.UploadFile(ctx, plan.scope, plan.folderID, local, p)
			return err
		}
		up, err = plan.t.UploadFileListed(ctx, plan.scope, plan.folderID, plan.listed, local, p)
		return err
	}

	h := u.runJob("Exporting "+plan.name, job, func(err error) {
		w.export.Enable()
		if err != nil {
			if errCanceled(err) {
				w.result.SetText("Export cancelled.")
			}
			if errors.Is(err, project.ErrNothingToExport) {
				dialog.ShowInformation("Export", app.UserMessage(err), w.win)
				return
			}
			u.showErrorIn(w.win, "Export", err)
			return
		}
		w.result.SetText(exportResultText(plan, local, written, up))
		if plan.procore {
			// The window's tree shows folders only, which a file upload does
			// not change: the folder is not listed again.
			rememberFolder(u, plan)
		}
	}, w.progress)
	if plan.procore {
		u.trackProcore(h)
	}
}

// rememberFolder stores the Procore folder of an upload in the project's
// settings, so the export window opens it next time.
func rememberFolder(u *UI, plan *exportPlan) {
	s := plan.proj.Settings()
	if s.ProjectID != plan.projectID ||
		(s.FolderID == plan.folderID && s.FolderPath == plan.folder) {
		return
	}
	projectID, folderID, folder := plan.projectID, plan.folderID, plan.folder
	u.updateSettings(plan.proj, func(now *ProjectSettings) {
		// The link may have changed since the upload began.
		if now.ProjectID == projectID {
			now.FolderID, now.FolderPath = folderID, folder
		}
	})
}

// exportResultText says what the export wrote, where it went and which
// version it made.
func exportResultText(plan *exportPlan, local string, written *ExportResult,
	up *transfer.UploadResult,
) string {
	s := "Saved " + local + "."
	if written != nil {
		s = fmt.Sprintf("Saved %s to %s.", writtenText(written.Counts), local)
		// A warning may sum up many changes (GSI codes), so the first is
		// shown whole and the others only counted.
		switch n := len(written.Warnings); {
		case n == 1:
			s += fmt.Sprintf(" Warning: %s.", written.Warnings[0].Msg)
		case n > 1:
			s += fmt.Sprintf(" Warning: %s (and %s).", written.Warnings[0].Msg,
				sentence(n-1, "other warning"))
		}
	}
	if up == nil {
		return s
	}
	where := plan.folder
	if where == "" {
		where = "the Documents root"
	}
	switch up.Outcome {
	case transfer.Unchanged:
		return fmt.Sprintf("%s Unchanged: %s is already version %d in Procore.",
			s, up.Name, up.Version)
	case transfer.NewVersion:
		return fmt.Sprintf("%s Uploaded to %s as version %d of the existing %s.",
			s, where, up.Version, up.Name)
	}

	return fmt.Sprintf("%s Uploaded to %s as the new file %s (version %d).",
		s, where, up.Name, up.Version)
}

// writeExport writes the chosen data to the project's export folder through
// the project's own export (the one the command line uses) and returns the
// file's path.
func writeExport(ctx context.Context, plan *exportPlan) (string, *ExportResult, error) {
	dir, err := plan.proj.ExportDir()
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("ui: export: %w", err)
	}

	path := filepath.Join(dir, plan.name)
	res, err := plan.proj.ExportFile(ctx, path, plan.f.Name, plan.filter, plan.settings)
	if err != nil {
		return "", nil, err
	}

	return path, res, nil
}

// writtenText counts what an export wrote, leaving out the kinds it has
// none of: "12 points and 1 surface".
func writtenText(c survey.Counts) string {
	parts := []string{sentence(c.Points, "point")}
	if c.Lines > 0 {
		parts = append(parts, sentence(c.Lines, "line"))
	}
	if c.Surfaces > 0 {
		parts = append(parts, sentence(c.Surfaces, "surface"))
	}
	if c.Points == 0 && len(parts) > 1 {
		parts = parts[1:]
	}

	last := len(parts) - 1
	if last == 0 {
		return parts[0]
	}

	return strings.Join(parts[:last], ", ") + " and " + parts[last]
}

// unsafeNameMessage tells the user why name cannot be used as an export's
// file name and offers safe, the name [transfer.SafeName] made of it.
func unsafeNameMessage(name, safe string) string {
	var why string
	switch {
	case strings.ContainsAny(name, `<>:"/\|?*`) || strings.ContainsFunc(name, unicode.IsControl):
		why = "no folder and none of < > : \" / \\ | ? *"
	case strings.TrimRight(name, ". ") != name || strings.TrimLeft(name, " ") != name:
		why = "no space at the start and no dot or space at the end"
	case len(name) > 255:
		why = "at most 255 bytes"
	default:
		why = "not a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1, LPT1…), " +
			"whatever follows its first dot"
	}

	return "Choose a file name that every computer and Procore accept: " + why +
		"; for example " + safe + "."
}
