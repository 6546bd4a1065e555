// Package cli is Backsight's command line: one cobra command per Procore,
// project and sandbox operation, built on the same packages as the window
// (internal/app, internal/auth, internal/procore, internal/transfer,
// internal/project, internal/formats). With no subcommand the root command
// opens the window through the launcher that cmd/backsight passes in.
//
// Data goes to stdout (one JSON document with --json); messages and progress
// go to stderr. [Main] returns the exit status; see [ExitOK] and friends.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/redact"
)

// Exit statuses of the backsight command.
const (
	// ExitOK: the command did what was asked.
	ExitOK = 0
	// ExitFailure: the command failed; stderr says why.
	ExitFailure = 1
	// ExitUsage: wrong usage (unknown command or flag, missing argument).
	ExitUsage = 2
	// ExitLogin: the command needs a Procore login; run backsight procore login.
	ExitLogin = 4
	// ExitInterrupted: the command was interrupted (Ctrl+C).
	ExitInterrupted = 130
)

const exitHelp = `Exit status:
  0    success
  1    failure (the message on stderr says what happened and what to do)
  2    wrong usage (unknown command or flag, missing or extra argument)
  4    a Procore login is needed: run "backsight procore login"
  130  interrupted`

// GUIFunc opens Backsight's window on a and blocks until it is closed.
// projectDir is the project to open first ("" for none; the demo project
// in demo mode).
type GUIFunc func(ctx context.Context, a *app.App, projectDir string) error

// IO are the standard streams of a run.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// Main runs the command line with args (without the program name) and
// returns the exit status. gui opens the window; nil means this build has
// none.
func Main(ctx context.Context, args []string, streams IO, gui GUIFunc) int {
	r := &runner{io: streams, gui: gui}
	defer r.close()

	root := r.rootCommand()
	root.SetArgs(args)
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)

	err := root.ExecuteContext(ctx)

	return r.report(err)
}

// usageError marks wrong usage: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// sentenceError is a failure whose text for the user is already a
// sentence. err, when set, is the underlying error (for the log and
// --debug).
type sentenceError struct {
	msg string
	err error
}

func (e *sentenceError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}

	return e.msg
}

// failedText is the last line of a command that went on after some of its
// files failed ("downloaded", "imported"): how many of total failed, and
// that the messages printed for them say why.
func failedText(failed, total int, done string) string {
	if total == 1 {
		return "The file could not be " + done + "; the message above says why."
	}

	why := "the messages above say why"
	if failed == 1 {
		why = "the message above says why"
	}

	return fmt.Sprintf("%d of %d files could not be %s; %s.", failed, total, done, why)
}

func (e *sentenceError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// report prints err for the user and returns the exit status.
func (r *runner) report(err error) int {
	if err == nil {
		return ExitOK
	}

	var ue *usageError
	if errors.As(err, &ue) || !r.ran {
		// Messages built from cmd.CommandPath() start with the program
		// name already; the prefix names it once.
		fmt.Fprintf(r.io.Err, "backsight: %s\n", strings.TrimPrefix(err.Error(), "backsight "))
		fmt.Fprintln(r.io.Err, `Run "backsight --help" (or the command with --help) for usage.`)
		return ExitUsage
	}

	r.logError(err)
	var se *sentenceError
	if errors.As(err, &se) {
		fmt.Fprintln(r.io.Err, se.msg)
	} else {
		fmt.Fprintln(r.io.Err, app.UserMessage(err))
	}
	if r.debug || (r.cfg != nil && r.cfg.Debug) {
		fmt.Fprintf(r.io.Err, "details: %s\n", redact.String(err.Error()))
	}

	switch {
	case errors.Is(err, auth.ErrLoginRequired):
		return ExitLogin
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}

	return ExitFailure
}

func (r *runner) rootCommand() *cobra.Command {
	var projectDir string

	root := &cobra.Command{
		Use:   "backsight",
		Short: "Move survey data between a survey project and Procore's Documents tool",
		Long: "Backsight moves survey data between a local survey project and Procore's " +
			"Documents tool.\n\nWith no command it opens the window (--demo: on the " +
			"built-in demo sandbox); with a command it works in the terminal.\n\n" + exitHelp,
		Args:          noArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Every command but version opens the log file first, so that a
		// failure is logged. Arguments have been checked by then.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			r.ran = true
			if cmd.Name() == "version" {
				return nil
			}

			_, err := r.log(cmd)

			return err
		},
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			return r.openGUI(cmd, projectDir)
		}),
	}

	pf := root.PersistentFlags()
	pf.StringVar(&r.configFile, "config", "", "configuration file (default: "+
		"the user config folder's backsight/config.yaml, or $BACKSIGHT_CONFIG)")
	pf.BoolVar(&r.debug, "debug", false, "readable debug output on stderr")
	pf.BoolVar(&r.json, "json", false, "print the result as one JSON document on stdout")
	bindKey(root.PersistentFlags(), "debug", "debug")

	root.Flags().BoolVar(&r.demo, "demo", false, "open the window on the built-in demo sandbox")
	root.Flags().StringVar(&projectDir, "open", "", "project folder to open in the window")

	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{flagError(err)}
	})
	root.CompletionOptions.DisableDefaultCmd = true

	root.AddCommand(
		r.versionCommand(),
		r.projectCommand(),
		r.importCommand(),
		r.exportCommand(),
		r.procoreCommand(),
		r.sandboxCommand(),
	)
	withExitHelp(root)

	return root
}

// withExitHelp ends the help of every command that runs something with the
// exit statuses, so a script's author finds them wherever they look.
func withExitHelp(cmd *cobra.Command) {
	if cmd.Runnable() && !strings.Contains(cmd.Long, exitHelp) {
		long := cmd.Long
		if long == "" {
			long = cmd.Short + "."
		}
		cmd.Long = long + "\n\n" + exitHelp
	}
	for _, c := range cmd.Commands() {
		withExitHelp(c)
	}
}

// noArgs rejects positional arguments as wrong usage (an unknown command
// lands here too).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
		}
		return usagef("%s takes no arguments", cmd.CommandPath())
	}

	return nil
}

// exactArgs wants n positional arguments; an extra one is named, since
// "needs X" would read wrong when X was given ("get PATH ." for --to).
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("%s takes only %s, not also %q", cmd.CommandPath(), names, args[n])
		}
		if len(args) < n {
			return usagef("%s needs %s", cmd.CommandPath(), names)
		}

		parts := strings.Split(names, " and ")
		for i, a := range args {
			if strings.TrimSpace(a) != "" {
				continue
			}
			name := names
			if len(parts) == n {
				name = parts[i]
			}
			return emptyArg(cmd, name)
		}
		return nil
	}
}

// emptyArg is the usage error of an empty argument (in a script, an unset
// variable): without it an empty Procore path meant the project's root and
// an empty local path gave a message about a file with no name.
func emptyArg(cmd *cobra.Command, name string) error {
	name = strings.TrimPrefix(name, "the ")
	if strings.HasPrefix(name, "PROCORE_") {
		return usagef("%s needs a non-empty %s (\"/\" is the project's root)",
			cmd.CommandPath(), name)
	}

	return usagef("%s needs a non-empty %s", cmd.CommandPath(), name)
}

// group is a command that only holds subcommands: on its own it shows its
// help and reports wrong usage.
func group(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(cmd.ErrOrStderr(), cmd.UsageString())
			return usagef("%s needs a command", cmd.CommandPath())
		},
	}
}

func (r *runner) openGUI(cmd *cobra.Command, projectDir string) error {
	if !hasDisplay() {
		return &sentenceError{msg: "No display was found, and Backsight's window needs one " +
			"(a desktop session, or DISPLAY or WAYLAND_DISPLAY set). On a server, use a " +
			"command instead: backsight --help lists them."}
	}

	if r.gui == nil {
		return &sentenceError{msg: "This build of Backsight has no window. Use a command " +
			"instead (backsight --help lists them)."}
	}

	a, err := r.app(cmd)
	if err != nil {
		return err
	}

	if d := a.Demo(); d != nil {
		fmt.Fprintf(r.io.Err, "Demo sandbox at %s. Log in as %s with password %s.\n",
			d.Server.URL(), d.User, d.Password)
		if projectDir == "" {
			projectDir = d.ProjectDir
		}
	}

	return r.gui(cmd.Context(), a, projectDir)
}

// hasDisplay reports whether a window can open: always on macOS and
// Windows, and elsewhere when an X11 or Wayland display is named.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "darwin", "windows", "android", "ios":
		return true
	}

	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
