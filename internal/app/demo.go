package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/config"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/samplefiles/sampledir"
	"github.com/backsight/backsight/internal/sandbox"
)

// Demo describes the running demo: the in-process sandbox and the demo
// project linked to its company and project.
type Demo struct {
	// Server is the sandbox; the App closes it.
	Server *sandbox.Server
	// ProjectDir is the demo project folder.
	ProjectDir string
	// CompanyID and ProjectID are the demo company and project in the
	// sandbox.
	CompanyID, ProjectID int64
	// User and Password are the demo login shown to the user.
	User, Password string
}

// DemoOptions changes where the demo keeps its files; the zero value uses
// os.UserCacheDir()/backsight/demo and .../demo-project.
type DemoOptions struct {
	// Dir holds the demo's token file; it is emptied at start.
	Dir string
	// ProjectDir is the demo project folder.
	ProjectDir string
	// SamplesDir holds the sample files of the demo seed; empty means
	// ../shared/samples beside the source tree (see package samplefiles).
	SamplesDir string
}

// StartDemo starts the Procore sandbox in-process on 127.0.0.1 with its demo
// data, switches the App to a custom environment pointing at it (with a
// token store that never touches the user's keyring) and prepares the demo
// project folder. The sandbox stops with [App.Close].
func (a *App) StartDemo(ctx context.Context, opts ...DemoOptions) (*Demo, error) {
	var o DemoOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if err := o.setDefaults(); err != nil {
		return nil, err
	}

	srv, err := sandbox.Start(ctx, sandbox.Options{
		Seed:       "demo",
		SamplesDir: o.SamplesDir,
		Logger:     a.logger.Named("sandbox"),
	})
	if err != nil {
		return nil, fmt.Errorf("app: demo: %w", err)
	}
	a.onClose(srv.Close)

	demo, err := a.switchToDemo(ctx, srv, o)
	if err != nil {
		return nil, err
	}

	a.mu.Lock()
	a.demo = demo
	a.mu.Unlock()

	a.logger.Info("demo started", zap.String("url", srv.URL()),
		zap.String("project_dir", demo.ProjectDir))

	return demo, nil
}

func (o *DemoOptions) setDefaults() error {
	if o.Dir == "" || o.ProjectDir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("app: demo: %w", err)
		}
		if o.Dir == "" {
			o.Dir = filepath.Join(cache, "backsight", "demo")
		}
		if o.ProjectDir == "" {
			o.ProjectDir = filepath.Join(cache, "backsight", "demo-project")
		}
	}

	if o.SamplesDir == "" {
		if dir, ok := sampledir.Dir(); ok {
			o.SamplesDir = dir
		}
	}

	return nil
}

// switchToDemo points the App at srv and prepares the demo project.
func (a *App) switchToDemo(ctx context.Context, srv *sandbox.Server, o DemoOptions) (*Demo, error) {
	// The sandbox forgets its tokens when it stops, so tokens of an
	// earlier demo are of no use.
	tokens := filepath.Join(o.Dir, "tokens")
	if err := os.RemoveAll(tokens); err != nil {
		return nil, fmt.Errorf("app: demo: %w", err)
	}

	store, err := auth.NewFileStore(tokens)
	if err != nil {
		return nil, fmt.Errorf("app: demo: %w", err)
	}

	a.mu.Lock()
	a.store, a.storeWarning = store, ""
	a.mu.Unlock()

	p := a.Config().Procore
	p.Environment = config.EnvCustom
	p.LoginURL, p.APIURL = srv.URL(), srv.URL()
	p.ClientID, p.ClientSecret = sandbox.DemoClientID, sandbox.DemoClientSecret
	p.RedirectPort = 0 // the sandbox takes any loopback port
	p.CompanyID, p.ProjectID = sandbox.DemoCompanyID, sandbox.DemoProjectID

	if err := a.Reconfigure(ctx, p); err != nil {
		return nil, err
	}

	if err := prepareDemoProject(ctx, o.ProjectDir); err != nil {
		return nil, err
	}

	return &Demo{
		Server:     srv,
		ProjectDir: o.ProjectDir,
		CompanyID:  sandbox.DemoCompanyID,
		ProjectID:  sandbox.DemoProjectID,
		User:       sandbox.DemoSurveyor,
		Password:   sandbox.DemoPassword,
	}, nil
}

// prepareDemoProject creates the demo project, or opens the one an earlier
// demo left, and links it to the demo company and project.
func prepareDemoProject(ctx context.Context, dir string) error {
	p, err := project.Open(ctx, dir)
	if errors.Is(err, project.ErrNotProject) {
		p, err = project.Create(ctx, dir, project.Settings{Name: "Backsight demo"})
	}
	if err != nil {
		return fmt.Errorf("app: demo project: %w", err)
	}
	defer p.Close()

	s := p.Settings()
	s.Procore.Environment = config.EnvCustom
	s.Procore.CompanyID, s.Procore.ProjectID = sandbox.DemoCompanyID, sandbox.DemoProjectID
	if err := p.SaveSettings(ctx, s); err != nil {
		return fmt.Errorf("app: demo project: %w", err)
	}

	return nil
}
