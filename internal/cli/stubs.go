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

func (r *runner) importCommand() *cobra.Command {
	return r.notYet("import", "Import survey files into a project")
}

func (r *runner) exportCommand() *cobra.Command {
	return r.notYet("export", "Export project data to a file")
}
