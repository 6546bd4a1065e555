package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

// putJSON is the result of procore put.
type putJSON struct {
	Type     string       `json:"type"`
	Folder   string       `json:"folder"`
	FolderID int64        `json:"folder_id,omitempty"`
	Files    []uploadJSON `json:"files"`
	Skipped  []string     `json:"skipped,omitempty"`
}

type uploadJSON struct {
	Name    string `json:"name"`
	FileID  int64  `json:"file_id"`
	Version int    `json:"version"`
	Outcome string `json:"outcome"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
}

func uploadEntry(u transfer.UploadResult) uploadJSON {
	out := "created"
	switch u.Outcome {
	case transfer.NewVersion:
		out = "new_version"
	case transfer.Unchanged:
		out = "unchanged"
	}

	return uploadJSON{Name: u.Name, FileID: u.FileID, Version: u.Version, Outcome: out,
		Size: u.Size, SHA256: u.SHA256}
}

func (r *runner) putCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "put --company ID --project ID LOCAL_PATH PROCORE_FOLDER",
		Short: "Upload a local file or folder into a Procore folder",
		Long: "Upload a local file or folder into a Procore folder (\"/\" is the project's " +
			"root). A file whose name is taken becomes a new version of that file, unless " +
			"its latest version holds the same bytes (then nothing is uploaded); a " +
			"folder whose name is taken is refused, because Procore cannot merge folders.\n\n" +
			exitHelp,
		Args: exactArgs(2, "LOCAL_PATH and PROCORE_FOLDER"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			st, err := os.Stat(args[0])
			if err != nil {
				return err
			}

			d, tg, err := r.open(cmd, args[1])
			if err != nil {
				return err
			}
			if tg.File != nil {
				return usagef("%s is a file, not a folder", joinPath(tg.Path))
			}

			if st.IsDir() {
				return r.putFolder(cmd, d, tg.folderID(), tg.Path, args[0])
			}

			return r.putFile(cmd, d, tg.folderID(), tg.Path, args[0], st.Size())
		}),
	}
	r.projectFlags(cmd)

	return cmd
}

// putFile uploads the file local of size bytes (as stat'ed by the caller).
func (r *runner) putFile(cmd *cobra.Command, d *docs, folderID int64, path []string,
	local string, size int64,
) error {
	p := &transfer.Progress{}
	// UploadFile counts the bytes; the totals are ours to set.
	p.AddTotal(size, 1)
	stop := r.showProgress("Uploading", p)
	res, err := d.t.UploadFile(cmd.Context(), d.scope, folderID, local, p)
	stop()
	if err != nil {
		return err
	}

	where := joinPath(path)
	switch res.Outcome {
	case transfer.Unchanged:
		r.infof("unchanged: %s is already version %d in Procore", res.Name, res.Version)
	case transfer.NewVersion:
		r.infof("Uploaded %s to %s as version %d (the name was taken, so this is a new "+
			"version of that file).", res.Name, where, res.Version)
	default:
		r.infof("Uploaded %s to %s as a new file (version %d).", res.Name, where, res.Version)
	}

	return r.emit(putJSON{Type: "file", Folder: where, Files: []uploadJSON{uploadEntry(*res)}},
		func(io.Writer) {})
}

func (r *runner) putFolder(cmd *cobra.Command, d *docs, folderID int64, path []string, local string) error {
	p := &transfer.Progress{}
	stop := r.showProgress("Uploading", p)
	res, err := d.t.UploadFolder(cmd.Context(), d.scope, folderID, local, p)
	stop()
	if err != nil && res != nil && res.FolderID != 0 {
		// The folder was made before the failure: say so, since uploading
		// the folder again is refused now that its name is taken.
		made := joinPath(appendName(path, filepath.Base(filepath.Clean(local))))
		return &sentenceError{msg: fmt.Sprintf("%s The folder %s was created in Procore "+
			"and holds only %s: delete it in Procore before uploading the folder again, "+
			"or upload the missing files one by one.", app.UserMessage(err), made,
			survey.Plural(len(res.Files), "uploaded file", "uploaded files")), err: err}
	}
	if err != nil {
		return err
	}

	out := putJSON{Type: "folder", Folder: joinPath(path), FolderID: res.FolderID,
		Files: []uploadJSON{}, Skipped: res.Skipped}
	for _, f := range res.Files {
		out.Files = append(out.Files, uploadEntry(f))
	}

	r.infof("Uploaded %s in %s to %s.", survey.Plural(len(res.Files), "file", "files"),
		survey.Plural(res.Folders, "folder", "folders"), out.Folder)
	for _, s := range res.Skipped {
		r.infof("Skipped %s (empty or not a regular file).", s)
	}

	return r.emit(out, func(io.Writer) {})
}
