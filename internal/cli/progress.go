package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/backsight/backsight/internal/transfer"
)

// progressInterval is how often the bar is redrawn.
const progressInterval = 200 * time.Millisecond

// progressTerminal tells whether a stream gets a progress bar; tests
// replace it to see the bar without a terminal.
var progressTerminal = isTerminal

// showProgress draws a progress bar for p on stderr while a transfer runs,
// only when stderr is a terminal. The returned function stops it.
func (r *runner) showProgress(verb string, p *transfer.Progress) (stop func()) {
	if !progressTerminal(r.io.Err) {
		return func() {}
	}

	return p.Report(progressInterval, func(s transfer.Snapshot) {
		line := progressLine(verb, s)
		if s.Final {
			fmt.Fprintf(r.io.Err, "\r%s\033[K\n", line)
			return
		}
		fmt.Fprintf(r.io.Err, "\r%s\033[K", line)
	})
}

// progressLine renders one snapshot: "Downloading [####----]  42%  3.1/7.4 MiB  2/5 files  name",
// with "preparing" before the name while files are hashed before an upload.
func progressLine(verb string, s transfer.Snapshot) string {
	const width = 24
	filled := int(s.Fraction() * width)

	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s%s] %3.0f%%  %s/%s", verb, strings.Repeat("#", filled),
		strings.Repeat("-", width-filled), s.Fraction()*100, mib(s.BytesDone), mib(s.BytesTotal))
	if s.FilesTotal > 1 {
		fmt.Fprintf(&b, "  %d/%d files", s.FilesDone, s.FilesTotal)
	}
	if s.Preparing > 0 && !s.Final {
		b.WriteString("  preparing")
	}
	if s.Current != "" && !s.Final {
		fmt.Fprintf(&b, "  %s", s.Current)
	}

	return b.String()
}

func mib(n int64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
