package transfer

import (
	"net/http"
	"testing"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// benchEnv starts a demo sandbox without rate limits for benchmarks.
func benchEnv(b *testing.B) (*sandbox.Server, *procore.Client, *Transferer) {
	b.Helper()

	srv, err := sandbox.Start(b.Context(), sandbox.Options{Seed: "demo", RateSpike: -1, RateHourly: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })

	access, _, err := srv.IssueToken(sandbox.DemoSurveyor, sandbox.DemoClientID)
	if err != nil {
		b.Fatal(err)
	}

	c, err := procore.NewClient(srv.URL(), procore.StaticToken(access),
		procore.WithCompanyID(sandbox.DemoCompanyID), procore.WithHTTPClient(&http.Client{}))
	if err != nil {
		b.Fatal(err)
	}

	return srv, c, New(c, Options{})
}
