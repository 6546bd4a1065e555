package sandbox

import (
	"time"

	"go.uber.org/zap"
)

// Options configure a sandbox. The zero value is a usable in-memory sandbox
// with no data, listening on random loopback ports.
type Options struct {
	// Addr is the login and API listener ("127.0.0.1:0" when empty).
	Addr string
	// StorageAddr is the storage listener standing in for S3 ("127.0.0.1:0" when empty).
	StorageAddr string
	// DataDir keeps metadata and file contents across restarts. Empty means a
	// temporary directory removed by Close.
	DataDir string
	// Seed is "" (nothing) or "demo". A seed is applied only to an empty DataDir.
	Seed string
	// SamplesDir holds real survey files for the demo seed; generated files are
	// used when it is empty or missing.
	SamplesDir string
	// TokenTTL is the access-token lifetime (5400 s when zero).
	TokenTTL time.Duration
	// RateSpike is the request limit per RateSpikeWindow (100 when zero,
	// unlimited when negative).
	RateSpike int
	// RateSpikeWindow is the spike window (10 s when zero).
	RateSpikeWindow time.Duration
	// RateHourly is the request limit per hour (3600 when zero, unlimited when
	// negative).
	RateHourly int
	// NoRetryAfter leaves Retry-After off 429 answers (Procore's docs disagree).
	NoRetryAfter bool
	// FaultRate is the probability (0..1) that an API request or a download
	// fails at random (500, 502, 503, 429 or a dropped connection).
	FaultRate float64
	// FaultSeed seeds the random faults, so runs repeat.
	FaultSeed int64
	// Latency is added to every API and storage request.
	Latency time.Duration
	// Faults are deterministic fault rules installed at start.
	Faults []FaultRule
	// Clock replaces time.Now (tests move time forward with it).
	Clock func() time.Time
	// Logger receives request and event logs; nil means no logging.
	Logger *zap.Logger
}

func (o *Options) setDefaults() {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}

	if o.StorageAddr == "" {
		o.StorageAddr = "127.0.0.1:0"
	}

	if o.TokenTTL <= 0 {
		o.TokenTTL = 5400 * time.Second
	}

	if o.RateSpike == 0 {
		o.RateSpike = 100
	}

	if o.RateSpikeWindow <= 0 {
		o.RateSpikeWindow = 10 * time.Second
	}

	if o.RateHourly == 0 {
		o.RateHourly = 3600
	}

	if o.Clock == nil {
		o.Clock = time.Now
	}

	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
}
