package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/transfer"
)

// AppID is the Fyne application ID (it names the preferences file).
const AppID = "io.backsight.app"

// Options change how [Run] starts.
type Options struct {
	// Demo starts the built-in demo sandbox (unless the App runs one
	// already) and opens the demo project when ProjectDir is empty.
	Demo bool
	// ProjectDir is the project folder to open; empty opens the most
	// recent one, if any.
	ProjectDir string
	// OpenProject opens a project folder; nil means the internal/project
	// adapter. Tests and benchmarks put their own here.
	OpenProject func(ctx context.Context, dir string, create bool) (Project, error)
}

// Run opens Backsight's main window on a and blocks until the user quits or
// ctx is cancelled.
func Run(ctx context.Context, a *app.App, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if opts.Demo && a.Demo() == nil {
		if _, err := a.StartDemo(ctx); err != nil {
			return fmt.Errorf("ui: demo: %w", err)
		}
	}
	if opts.ProjectDir == "" && a.Demo() != nil {
		opts.ProjectDir = a.Demo().ProjectDir
	}

	fa := fyneapp.NewWithID(AppID)
	fa.SetIcon(windowIcon)
	keepPreferences(fa, a.Logger().Named("ui"))
	u := newUI(ctx, fa, a, opts)

	go func() {
		<-ctx.Done()
		fyne.Do(fa.Quit)
	}()

	u.win.ShowAndRun()
	u.close()

	return nil
}

// UI is one running window set: the main window and the windows it opens.
// Its fields belong to the UI goroutine.
type UI struct {
	fa     fyne.App
	app    *app.App
	log    *zap.Logger
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options

	win    fyne.Window
	main   *mainView
	status *statusBar

	proj      Project
	procore   *procorePanel
	importWin *importWindow
	exportWin *exportWindow

	unsubscribe func()
	mem         *memoryReleaser

	// names holds the display names /me gave, by login (see fetchName).
	names map[string]string
	// configNames are the names of the company and project that the
	// configuration names as defaults (see nameLink), once looked up.
	configNames ProjectSettings
	// procoreJobs are the running jobs that talk to Procore, which logging
	// out cancels (see trackProcore).
	procoreJobs map[*transfer.Handle]bool
}

// newUI builds the main window (not shown yet) and starts opening the
// project of opts, if any.
func newUI(ctx context.Context, fa fyne.App, a *app.App, opts Options) *UI {
	ctx, cancel := context.WithCancel(ctx)
	if opts.OpenProject == nil {
		opts.OpenProject = openProjectStore
	}
	u := &UI{
		fa: fa, app: a, log: a.Logger().Named("ui"),
		ctx: ctx, cancel: cancel, opts: opts,
		mem: newMemoryReleaser(),
	}

	u.win = fa.NewWindow("Backsight")
	u.win.SetIcon(windowIcon)
	u.status = newStatusBar(u)
	u.main = newMainView(u)
	u.win.SetContent(u.main.content)
	u.win.SetMainMenu(u.mainMenu())
	u.addShortcuts()
	u.win.Resize(fyne.NewSize(1200, 780))
	u.win.SetMaster()
	u.setTitle()

	// A goroutine per event: Subscribe may call back on any goroutine,
	// including, in principle, this one.
	u.unsubscribe = a.Subscribe(func(auth.State) { go do(u.loginChanged) })
	u.loginChanged()

	if opts.ProjectDir != "" {
		u.openProject(opts.ProjectDir, true)
	}

	return u
}

// close ends the UI's jobs and releases the project.
func (u *UI) close() {
	u.cancel()
	u.mem.stop()
	if u.unsubscribe != nil {
		u.unsubscribe()
	}
	if u.proj != nil {
		_ = u.proj.Close()
	}
}

func (u *UI) setTitle() {
	if u.proj == nil {
		u.win.SetTitle("Backsight")
		return
	}
	u.win.SetTitle("Backsight — " + u.proj.Name())
}

// showError shows err in the error dialog of the main window. Call on the UI
// goroutine; from a goroutine use do(func() { u.showError(...) }).
func (u *UI) showError(title string, err error) {
	u.showErrorIn(u.win, title, err)
}

// errCanceled reports whether err only says that the user cancelled.
func errCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}
