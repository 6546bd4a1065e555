package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/config"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/transfer"
)

// ErrNotConfigured is returned by [App.Session] and [App.Client] when the
// configuration names no Procore client ID, so no login is possible.
var ErrNotConfigured = errors.New("app: no procore client id configured")

// Options are optional collaborators of an [App]; the zero value uses the
// real ones.
type Options struct {
	// LogDir is the folder of the log file, for display ("Open Log Folder").
	LogDir string
	// Store replaces the token store; nil means the system keyring, or a
	// file store when no keyring service answers.
	Store auth.Store
	// TokenDir is the folder of the file store fallback; empty means
	// auth.DefaultTokenDir.
	TokenDir string
	// HTTPClient makes every request to Procore; nil means the default.
	HTTPClient *http.Client
	// Opener opens the browser for a login; nil means auth.SystemOpener.
	Opener auth.Opener
	// Demo, when not nil, starts the demo at once (see [App.StartDemo])
	// without opening the user's keyring or token files at all.
	Demo *DemoOptions
}

// App holds what one run of Backsight shares between its parts. Its methods
// are safe for concurrent use.
type App struct {
	logger *zap.Logger
	opts   Options

	mu           sync.Mutex
	cfg          config.Config
	env          auth.Environment
	store        auth.Store
	storeWarning string
	session      *auth.Session
	sessionErr   error
	client       *procore.Client
	transferers  map[int64]*transfer.Transferer
	transfers    *transfer.Manager
	demo         *Demo
	subs         map[int]func(auth.State)
	nextSub      int
	closers      []func() error
}

// New builds an App from cfg. A configuration without a Procore client ID
// is not an error: the App works on local projects and [App.Session] says
// what is missing. A nil logger logs nothing.
func New(ctx context.Context, cfg config.Config, logger *zap.Logger, opts ...Options) (*App, error) {
	if logger == nil {
		logger = zap.NewNop()
	}

	a := &App{logger: logger, cfg: cfg, subs: map[int]func(auth.State){}}
	if len(opts) > 0 {
		a.opts = opts[0]
	}

	// The manager's jobs end with ctx or with Close.
	a.transfers = transfer.NewManager(ctx, cfg.Transfer.Concurrency)

	if a.opts.Demo != nil {
		if _, err := a.StartDemo(ctx, *a.opts.Demo); err != nil {
			a.Close()
			return nil, err
		}

		return a, nil
	}

	store, warning, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	a.store, a.storeWarning = store, warning

	if err := a.configure(ctx, cfg.Procore); err != nil {
		return nil, err
	}

	return a, nil
}

func (a *App) openStore(ctx context.Context) (auth.Store, string, error) {
	if a.opts.Store != nil {
		return a.opts.Store, "", nil
	}

	store, warning, err := auth.OpenStore(ctx, a.opts.TokenDir, a.logger)
	if err != nil {
		return nil, "", fmt.Errorf("app: token store: %w", err)
	}

	return store, warning, nil
}

// configure resolves the environment of p and opens its session. An
// environment that does not resolve is an error; a missing client ID is
// remembered as the session error.
func (a *App) configure(ctx context.Context, p config.Procore) error {
	env, err := auth.ResolveEnvironment(p.Environment, p.LoginURL, p.APIURL)
	if err != nil {
		return fmt.Errorf("app: procore environment: %w", err)
	}

	var (
		session    *auth.Session
		sessionErr error
	)
	if p.ClientID == "" {
		sessionErr = ErrNotConfigured
	} else {
		session, sessionErr = auth.NewSession(ctx, auth.Config{
			Env:          env,
			ClientID:     p.ClientID,
			ClientSecret: p.ClientSecret,
			RedirectPort: p.RedirectPort,
		}, auth.Options{
			Store:         a.store,
			HTTPClient:    a.opts.HTTPClient,
			Logger:        a.logger,
			Opener:        a.opts.Opener,
			OnStateChange: a.notify,
		})
		if sessionErr != nil {
			sessionErr = fmt.Errorf("app: session: %w", sessionErr)
		}
	}

	a.mu.Lock()
	a.cfg.Procore = p
	a.env = env
	a.session, a.sessionErr = session, sessionErr
	a.client, a.transferers = nil, map[int64]*transfer.Transferer{}
	a.mu.Unlock()

	a.logger.Debug("procore environment set", zap.String("env", env.Name),
		zap.String("api_url", env.APIURL), zap.Bool("client_id", p.ClientID != ""))

	return nil
}

// Reconfigure switches to the Procore settings p (another environment, say)
// and opens the session stored for it. Subscribers are told the new state.
func (a *App) Reconfigure(ctx context.Context, p config.Procore) error {
	if err := a.configure(ctx, p); err != nil {
		return err
	}

	a.notify(a.State())

	return nil
}

// Config returns the configuration in effect (demo mode changes its
// Procore part).
func (a *App) Config() config.Config {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.cfg
}

// Logger returns the logger.
func (a *App) Logger() *zap.Logger { return a.logger }

// LogDir returns the folder of the log file; empty when unknown.
func (a *App) LogDir() string { return a.opts.LogDir }

// Env returns the Procore environment in effect.
func (a *App) Env() auth.Environment {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.env
}

// Store returns the token store.
func (a *App) Store() auth.Store {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.store
}

// StoreWarning is the sentence to show when tokens are kept without a
// keyring (auth.NoKeyringWarning), or "".
func (a *App) StoreWarning() string {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.storeWarning
}

// Session returns the login session of the current environment, or
// ErrNotConfigured (or the error that kept it from opening).
func (a *App) Session() (*auth.Session, error) {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.session, a.sessionErr
}

// State returns the login state; logged out when there is no session.
func (a *App) State() auth.State {
	s, err := a.Session()
	if err != nil {
		return auth.StateLoggedOut
	}

	return s.State()
}

// RequireLogin returns nil when the session holds a token, and otherwise
// auth.ErrLoginRequired (or the reason there is no session), without asking
// Procore.
func (a *App) RequireLogin() error {
	s, err := a.Session()
	if err != nil {
		return err
	}
	if s.State() != auth.StateLoggedIn {
		return auth.ErrLoginRequired
	}

	return nil
}

// Client returns the Procore client of the current session. It is shared:
// use [procore.Client.WithCompany] for a company's calls. While logged out
// its calls fail with auth.ErrLoginRequired.
func (a *App) Client() (*procore.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()

	if a.sessionErr != nil {
		return nil, a.sessionErr
	}
	if a.client != nil {
		return a.client, nil
	}

	opts := []procore.Option{procore.WithLogger(a.logger)}
	if a.opts.HTTPClient != nil {
		opts = append(opts, procore.WithHTTPClient(a.opts.HTTPClient))
	}

	c, err := procore.NewClient(a.env.APIURL, a.session, opts...)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a.client = c

	return c, nil
}

// Transferer returns the uploader and downloader of the current session
// acting in company companyID, tuned by the configuration's transfer
// settings.
func (a *App) Transferer(companyID int64) (*transfer.Transferer, error) {
	c, err := a.Client()
	if err != nil {
		return nil, err
	}

	a.mu.Lock()
	defer a.mu.Unlock()

	if a.client != c {
		return nil, errors.New("app: procore environment changed")
	}
	if t := a.transferers[companyID]; t != nil {
		return t, nil
	}

	t := transfer.New(c.WithCompany(companyID), transfer.Options{
		SegmentSize: int64(a.cfg.Transfer.SegmentSizeMB) << 20,
		Concurrency: a.cfg.Transfer.Concurrency,
		FileWorkers: a.cfg.Transfer.Concurrency,
		Logger:      a.logger,
	})
	a.transferers[companyID] = t

	return t, nil
}

// Transfers returns the job manager that runs uploads and downloads, at most
// transfer.concurrency at once. Close cancels its jobs.
func (a *App) Transfers() *transfer.Manager { return a.transfers }

// Subscribe calls fn, from any goroutine, whenever the login state changes
// (a login, a logout, a rejected refresh token, another environment). The
// returned function ends the subscription.
func (a *App) Subscribe(fn func(auth.State)) (cancel func()) {
	a.mu.Lock()
	id := a.nextSub
	a.nextSub++
	a.subs[id] = fn
	a.mu.Unlock()

	return func() {
		a.mu.Lock()
		delete(a.subs, id)
		a.mu.Unlock()
	}
}

func (a *App) notify(st auth.State) {
	a.mu.Lock()
	fns := make([]func(auth.State), 0, len(a.subs))
	for _, fn := range a.subs {
		fns = append(fns, fn)
	}
	a.mu.Unlock()

	for _, fn := range fns {
		fn(st)
	}
}

// Demo returns the running demo, or nil outside demo mode.
func (a *App) Demo() *Demo {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.demo
}

// Close cancels the running transfers and stops what the App started (the
// demo sandbox). It does not close the logger, which belongs to the caller.
func (a *App) Close() error {
	a.transfers.Close()

	a.mu.Lock()
	closers := a.closers
	a.closers = nil
	a.mu.Unlock()

	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		errs = append(errs, closers[i]())
	}

	return errors.Join(errs...)
}

func (a *App) onClose(fn func() error) {
	a.mu.Lock()
	a.closers = append(a.closers, fn)
	a.mu.Unlock()
}
