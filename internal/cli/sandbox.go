package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/samplefiles/sampledir"
	"github.com/backsight/backsight/internal/sandbox"
)

func (r *runner) sandboxCommand() *cobra.Command {
	var opts sandbox.Options

	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the local Procore sandbox until interrupted",
		Long: "Run the local Procore sandbox in this process until Ctrl+C. Point Backsight " +
			"at it with the custom environment: procore.environment custom and " +
			"procore.login_url and procore.api_url set to the URL it prints.",
		Args: noArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if opts.Seed != "" && opts.Seed != "demo" {
				return usagef(`--seed: %q is not "demo" (or leave it out for an empty `+
					`sandbox)`, opts.Seed)
			}
			if _, _, err := net.SplitHostPort(opts.Addr); err != nil {
				return usagef("--addr: %q is not HOST:PORT (for example 127.0.0.1:8090)",
					opts.Addr)
			}
			return nil
		},
		RunE: r.run(func(cmd *cobra.Command, _ []string) error {
			logger, err := r.log(cmd)
			if err != nil {
				return err
			}
			opts.Logger = logger.Named("sandbox")
			if dir, ok := sampledir.Dir(); ok && opts.Seed == "demo" {
				opts.SamplesDir = dir
			}

			srv, err := sandbox.Start(cmd.Context(), opts)
			if errors.Is(err, syscall.EADDRINUSE) {
				return &sentenceError{msg: fmt.Sprintf("Another program already listens on "+
					"%s. Stop it (is a sandbox already running?), or give this one another "+
					"address with --addr (127.0.0.1:0 picks a free port).", opts.Addr), err: err}
			}
			if err != nil {
				return err
			}
			defer srv.Close()

			if err := r.emit(map[string]string{
				"url":         srv.URL(),
				"storage_url": srv.StorageURL(),
			}, func(w io.Writer) {
				fmt.Fprintln(w, srv.URL())
			}); err != nil {
				return err
			}
			r.infof("Procore sandbox at %s (storage %s). Press Ctrl+C to stop.",
				srv.URL(), srv.StorageURL())
			if opts.Seed == "demo" {
				r.infof("Demo login: %s / %s, client ID %s.", sandbox.DemoSurveyor,
					sandbox.DemoPassword, sandbox.DemoClientID)
			}

			<-cmd.Context().Done()
			r.infof("Stopping the sandbox.")

			return nil
		}),
	}

	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "address of the login and API listener")
	f.StringVar(&opts.DataDir, "data", "", "folder that keeps the sandbox's data "+
		"(default: a temporary folder, removed at exit)")
	f.StringVar(&opts.Seed, "seed", "", `initial data: "demo" or nothing`)

	return cmd
}
