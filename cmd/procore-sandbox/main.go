// Command procore-sandbox runs the local Procore sandbox (internal/sandbox):
// a login and API host plus a storage host, for tests, demos and training.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/sandbox"
)

type faultFlags []string

func (f *faultFlags) String() string     { return strings.Join(*f, "; ") }
func (f *faultFlags) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "procore-sandbox:", err)
		os.Exit(1)
	}
}

func run() error {
	var o sandbox.Options
	var faults faultFlags
	var verbose bool

	flag.StringVar(&o.Addr, "addr", "127.0.0.1:8090", "login and API listen address")
	flag.StringVar(&o.StorageAddr, "storage-addr", "127.0.0.1:8091", "storage listen address")
	flag.StringVar(&o.DataDir, "data", "", "directory for persistent data (in memory when empty)")
	flag.StringVar(&o.Seed, "seed", "", `seed data for a new data directory: "demo" or empty`)
	flag.StringVar(&o.SamplesDir, "samples", defaultSamples(), "survey sample files for the demo seed")
	flag.DurationVar(&o.TokenTTL, "token-ttl", 5400*time.Second, "access token lifetime")
	flag.IntVar(&o.RateSpike, "rate-spike", 100, "requests per spike window (-1: unlimited)")
	flag.DurationVar(&o.RateSpikeWindow, "rate-spike-window", 10*time.Second, "spike window")
	flag.IntVar(&o.RateHourly, "rate-hourly", 3600, "requests per hour (-1: unlimited)")
	flag.BoolVar(&o.NoRetryAfter, "no-retry-after", false, "leave Retry-After off 429 answers")
	flag.Float64Var(&o.FaultRate, "fault-rate", 0, "probability of a random fault per request")
	flag.Int64Var(&o.FaultSeed, "fault-seed", 1, "seed of the random faults")
	flag.DurationVar(&o.Latency, "latency", 0, "delay added to every request")
	flag.Var(&faults, "fault", `fault rule, repeatable, e.g. "endpoint=download,nth=3,drop=1000000"`)
	flag.BoolVar(&verbose, "v", false, "log every request")
	flag.Parse()

	for _, spec := range faults {
		r, err := sandbox.ParseFaultRule(spec)
		if err != nil {
			return err
		}

		o.Faults = append(o.Faults, r)
	}

	log, err := newLogger(verbose)
	if err != nil {
		return err
	}

	defer func() { _ = log.Sync() }()
	o.Logger = log

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv, err := sandbox.Start(ctx, o)
	if err != nil {
		return err
	}

	printBanner(srv, o)
	<-ctx.Done()

	return srv.Close()
}

func newLogger(verbose bool) (*zap.Logger, error) {
	cfg := zap.NewDevelopmentConfig()
	if !verbose {
		cfg.Level = zap.NewAtomicLevelAt(zap.InfoLevel)
	}

	return cfg.Build()
}

func defaultSamples() string {
	for _, d := range []string{"../shared/samples", "../../shared/samples"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}

	return ""
}

func printBanner(srv *sandbox.Server, o sandbox.Options) {
	fmt.Printf("Procore sandbox\n  login + API: %s\n  storage:     %s\n  stats:       %s/_sandbox/stats\n",
		srv.URL(), srv.StorageURL(), srv.URL())

	if o.Seed == "demo" {
		fmt.Printf("  demo company %d, projects %d and %d\n", sandbox.DemoCompanyID,
			sandbox.DemoProjectID, sandbox.DemoProject2ID)
		fmt.Printf("  logins (password %s): %s (standard), %s (read only), %s (admin)\n",
			sandbox.DemoPassword, sandbox.DemoSurveyor, sandbox.DemoViewer, sandbox.DemoAdmin)
		fmt.Printf("  app: client_id %s, client_secret %s, redirect loopback (any port) or %s\n",
			sandbox.DemoClientID, sandbox.DemoClientSecret, "urn:ietf:wg:oauth:2.0:oob")
		fmt.Printf("  sign in: %s/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s\n",
			srv.URL(), sandbox.DemoClientID, "urn:ietf:wg:oauth:2.0:oob")
	}

	fmt.Println("Press Ctrl+C to stop.")
}
