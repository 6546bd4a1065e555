package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/buildinfo"
)

func (r *runner) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of Backsight, Go and Fyne",
		Args:  noArgs,
		RunE: r.run(func(*cobra.Command, []string) error {
			info := buildinfo.Read()

			return r.emit(info, func(w io.Writer) {
				fmt.Fprintf(w, "backsight %s\ngo %s\nfyne %s\n%s/%s\n",
					info.Version, info.Go, info.Fyne, info.OS, info.Arch)
			})
		}),
	}
}
