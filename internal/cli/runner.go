package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/config"
	"github.com/backsight/backsight/internal/logging"
)

// keyAnnotation names the configuration key a flag sets.
const keyAnnotation = "backsight/config-key"

// bindKey makes flag name of fs set the configuration key.
func bindKey(fs *pflag.FlagSet, name, key string) {
	if err := fs.SetAnnotation(name, keyAnnotation, []string{key}); err != nil {
		panic("cli: bind " + name + ": " + err.Error()) // a programming error
	}
}

// runner holds the state of one run: streams, global flags, and what was
// opened lazily (configuration, logger, App).
type runner struct {
	io  IO
	gui GUIFunc

	configFile string
	debug      bool
	json       bool
	demo       bool

	// ran is set once a command's own code runs; errors before that are
	// wrong usage.
	ran bool

	cfg      *config.Config
	logger   *zap.Logger
	logClose func() error
	logDir   string
	a        *app.App
}

// run wraps a command's RunE so that [runner.report] can tell usage errors
// found by cobra from failures of the command.
func (r *runner) run(fn func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		r.ran = true
		return fn(cmd, args)
	}
}

// config loads the configuration once, with the flags of cmd that set keys.
func (r *runner) config(cmd *cobra.Command) (config.Config, error) {
	if r.cfg != nil {
		return *r.cfg, nil
	}

	flags := map[string]*pflag.Flag{}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if keys := f.Annotations[keyAnnotation]; len(keys) == 1 {
			flags[keys[0]] = f
		}
	})

	cfg, err := config.Load(config.Options{File: r.configFile, Flags: flags})
	if err != nil {
		return config.Config{}, configError(err, r.configFile, flags)
	}
	r.cfg = &cfg

	return cfg, nil
}

// log opens the log file once.
func (r *runner) log(cmd *cobra.Command) (*zap.Logger, error) {
	if r.logger != nil {
		return r.logger, nil
	}

	cfg, err := r.config(cmd)
	if err != nil {
		return nil, err
	}

	opts := logging.Options{
		Dir:        cfg.Log.Dir,
		Level:      cfg.Log.Level,
		MaxSizeMB:  cfg.Log.MaxSizeMB,
		MaxBackups: cfg.Log.MaxBackups,
	}
	if cfg.Debug {
		opts.Console = r.io.Err
	}
	if opts.Dir == "" {
		dir, err := logging.DefaultDir()
		if err != nil {
			return nil, err
		}
		opts.Dir = dir
	}

	logger, closeFn, err := logging.New(opts)
	if err != nil {
		return nil, err
	}
	r.logger, r.logClose, r.logDir = logger, closeFn, opts.Dir
	r.logger.Debug("command started", zap.String("command", cmd.CommandPath()))

	return logger, nil
}

// app builds the App once.
func (r *runner) app(cmd *cobra.Command) (*app.App, error) {
	if r.a != nil {
		return r.a, nil
	}

	cfg, err := r.config(cmd)
	if err != nil {
		return nil, err
	}

	logger, err := r.log(cmd)
	if err != nil {
		return nil, err
	}

	opts := app.Options{LogDir: r.logDir}
	if r.demo {
		opts.Demo = &app.DemoOptions{}
	}

	a, err := app.New(cmd.Context(), cfg, logger, opts)
	if err != nil {
		return nil, err
	}
	r.a = a

	return a, nil
}

func (r *runner) close() {
	if r.a != nil {
		if err := r.a.Close(); err != nil && r.logger != nil {
			r.logger.Warn("app close", zap.Error(err))
		}
	}
	if r.logClose != nil {
		_ = r.logClose()
	}
}

func (r *runner) logError(err error) {
	if r.logger != nil {
		r.logger.Error("command failed", zap.Error(err))
	}
}

// infof prints a message for the user on stderr.
func (r *runner) infof(format string, args ...any) {
	fmt.Fprintf(r.io.Err, format+"\n", args...)
}

// emit prints v as one JSON document on stdout when --json is set, and
// otherwise calls human to print it for people.
func (r *runner) emit(v any, human func(w io.Writer)) error {
	if !r.json {
		human(r.io.Out)
		return nil
	}

	enc := json.NewEncoder(r.io.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("cli: write json: %w", err)
	}

	return nil
}

// isTerminal reports whether w (a stream) is a terminal (a character device
// other than the null device, which a cron job or "< /dev/null" gives).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}

	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}

	null, err := os.Stat(os.DevNull)

	return err != nil || !os.SameFile(st, null)
}
