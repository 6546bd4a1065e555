package ui

import (
	"context"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/procore"
)

// checkNewer asks Procore, off the UI goroutine, whether the files the
// project's sources came from have newer versions, and marks those sources
// in the list. It does nothing while logged out. Call on the UI goroutine.
func (u *UI) checkNewer() {
	if u.proj == nil || u.app.State() != auth.StateLoggedIn {
		return
	}
	c, err := u.app.Client()
	if err != nil {
		return
	}
	var origins []ProcoreOrigin
	for _, s := range u.main.sourceItems {
		if s.Procore != nil {
			origins = append(origins, *s.Procore)
		}
	}
	if len(origins) == 0 {
		return
	}

	proj := u.proj
	go func() {
		latest := latestVersions(u.ctx, c, origins, u.log)
		do(func() {
			if u.proj == proj {
				u.main.markNewer(latest)
			}
		})
	}()
}

// latestVersions returns the latest version number of each origin's file,
// by file id. A file that cannot be read is left out (and logged).
func latestVersions(ctx context.Context, c *procore.Client, origins []ProcoreOrigin,
	log *zap.Logger,
) map[int64]int {
	out := map[int64]int{}
	for _, o := range origins {
		if _, done := out[o.FileID]; done {
			continue
		}
		f, _, err := c.WithCompany(o.CompanyID).Files.Get(ctx, procore.ProjectScope(o.ProjectID),
			o.FileID, true)
		if err != nil {
			log.Debug("newer version check failed", zap.Int64("file_id", o.FileID),
				zap.Error(err))
			continue
		}
		if v := f.LatestVersion(); v != nil {
			out[o.FileID] = v.Number
		}
	}

	return out
}

// markNewer sets NewerVersion on the sources whose file has a newer version.
func (m *mainView) markNewer(latest map[int64]int) {
	for i := range m.sourceItems {
		s := &m.sourceItems[i]
		s.NewerVersion = 0
		if s.Procore == nil {
			continue
		}
		if n := latest[s.Procore.FileID]; n > s.Procore.Version {
			s.NewerVersion = n
		}
	}
	m.sources.Refresh()
}
