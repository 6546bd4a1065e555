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
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/sandbox"
)

// Demo credentials: the app registered in the sandbox's demo seed and its
// standard user.
const (
	DemoClientID     = "backsight-demo"
	DemoClientSecret = "backsight-demo-secret"
	DemoUser         = "surveyor@demo.test"
	DemoPassword     = "backsight-demo"
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
	// ../shared/samples next to the source tree or working directory.
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
		o.SamplesDir = FindSamples()
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
	p.ClientID, p.ClientSecret = DemoClientID, DemoClientSecret
	p.RedirectPort = 0

	companyID, projectID, err := demoProject(ctx, srv)
	if err != nil {
		return nil, err
	}
	p.CompanyID, p.ProjectID = companyID, projectID

	if err := a.Reconfigure(ctx, p); err != nil {
		return nil, err
	}

	if err := os.MkdirAll(o.ProjectDir, 0o755); err != nil {
		return nil, fmt.Errorf("app: demo project: %w", err)
	}

	// TODO(app): create or open the demo project with internal/project and
	// set its Procore link, once that package has landed.

	return &Demo{
		Server:     srv,
		ProjectDir: o.ProjectDir,
		CompanyID:  companyID,
		ProjectID:  projectID,
		User:       DemoUser,
		Password:   DemoPassword,
	}, nil
}

// demoProject finds the first company and project the demo user sees.
func demoProject(ctx context.Context, srv *sandbox.Server) (companyID, projectID int64, err error) {
	access, _, err := srv.IssueToken(DemoUser, DemoClientID)
	if err != nil {
		return 0, 0, fmt.Errorf("app: demo: token: %w", err)
	}

	c, err := procore.NewClient(srv.URL(), procore.StaticToken(access))
	if err != nil {
		return 0, 0, fmt.Errorf("app: demo: %w", err)
	}

	companies, _, err := c.Companies.List(ctx, procore.ListOptions{})
	if err != nil {
		return 0, 0, fmt.Errorf("app: demo: companies: %w", err)
	}
	if len(companies) == 0 {
		return 0, 0, errors.New("app: demo: the sandbox has no company")
	}
	companyID = companies[0].ID

	projects, _, err := c.Projects.List(ctx, companyID, procore.ProjectListOptions{})
	if err != nil {
		return 0, 0, fmt.Errorf("app: demo: projects: %w", err)
	}
	if len(projects) == 0 {
		return 0, 0, errors.New("app: demo: the demo company has no project")
	}

	return companyID, projects[0].ID, nil
}

// FindSamples returns the shared sample folder (../shared/samples relative
// to the directory holding go.mod, searched upwards from the working
// directory, or relative to the working directory itself), or "" when there
// is none.
func FindSamples() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}

	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if s := filepath.Join(dir, "..", "shared", "samples"); isDir(s) {
				return filepath.Clean(s)
			}
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}

	if s := filepath.Join(wd, "..", "shared", "samples"); isDir(s) {
		return filepath.Clean(s)
	}

	return ""
}

func isDir(p string) bool {
	st, err := os.Stat(p)

	return err == nil && st.IsDir()
}
