package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(cli): replace these with the real commands as internal/transfer,
// internal/project and internal/formats land.
var errNotYet = errors.New("this command is not available in this build yet")

func (r *runner) notYet(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		RunE:  r.run(func(*cobra.Command, []string) error { return errNotYet }),
	}
}

func (r *runner) lsCommand() *cobra.Command {
	return r.notYet("ls", "List a Procore folder")
}

func (r *runner) treeCommand() *cobra.Command {
	return r.notYet("tree", "List a Procore folder tree")
}

func (r *runner) getCommand() *cobra.Command {
	return r.notYet("get", "Download a Procore file or folder")
}

func (r *runner) putCommand() *cobra.Command {
	return r.notYet("put", "Upload a local file or folder to Procore")
}

func (r *runner) projectCommand() *cobra.Command {
	return r.notYet("project", "Create or describe a survey project")
}

func (r *runner) importCommand() *cobra.Command {
	return r.notYet("import", "Import survey files into a project")
}

func (r *runner) exportCommand() *cobra.Command {
	return r.notYet("export", "Export project data to a file")
}
