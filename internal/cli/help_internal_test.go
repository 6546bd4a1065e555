package cli

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandShowsExitStatus: the help of every command that runs
// something ends with the exit statuses (ls, logout, project info and a
// dozen others had none).
func TestEveryCommandShowsExitStatus(t *testing.T) {
	r := &runner{io: IO{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}}

	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd.Runnable() && !strings.HasSuffix(cmd.Long, exitHelp) {
			t.Errorf("%q: help does not end with the exit statuses:\n%s", cmd.CommandPath(),
				cmd.Long)
		}
		for _, c := range cmd.Commands() {
			walk(c)
		}
	}
	walk(r.rootCommand())
}
