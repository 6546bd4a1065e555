package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/oauth2"
)

// Config is the plain configuration a session needs, as read by the
// configuration package.
type Config struct {
	// Env is the Procore environment.
	Env Environment
	// ClientID and ClientSecret identify the app registered with Procore
	// for this environment.
	ClientID     string
	ClientSecret string
	// RedirectPort is the loopback port of the redirect URI registered with
	// Procore. 0 picks any free port, which suits only servers that accept
	// any loopback port (RFC 8252), such as the local sandbox.
	RedirectPort int
	// DisablePKCE stops sending a PKCE challenge. Procore does not document
	// PKCE; a server that ignores it is not harmed, so it is on by default.
	DisablePKCE bool
}

// Options are the collaborators of a session. Every field is optional except
// Store.
type Options struct {
	// Store keeps the token pair; see [OpenStore].
	Store Store
	// HTTPClient makes every request to Procore; nil means a client with a
	// 60-second time-out.
	HTTPClient *http.Client
	// Logger receives events, never secrets; nil logs nothing.
	Logger *zap.Logger
	// Opener opens the browser; nil means [SystemOpener].
	Opener Opener
	// OnStateChange is called, from any goroutine and outside every lock,
	// after the session logs in or out. Keep it quick.
	OnStateChange func(State)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// State is whether a session holds a usable token pair.
type State int

// Session states.
const (
	// StateLoggedOut means Token returns ErrLoginRequired.
	StateLoggedOut State = iota
	// StateLoggedIn means the session holds a token pair.
	StateLoggedIn
)

// String returns "logged out" or "logged in".
func (s State) String() string {
	if s == StateLoggedIn {
		return "logged in"
	}

	return "logged out"
}

// refreshTimeout bounds one refresh. A refresh runs detached from the
// caller's context: once the single-use refresh token is sent, the answer
// must be received and stored even if the caller gave up.
const refreshTimeout = 60 * time.Second

// maxRefreshMargin is how long before its expiry an access token is renewed;
// for short-lived tokens the margin is a tenth of the lifetime instead.
const maxRefreshMargin = 2 * time.Minute

// rejectGrace is how long a rejected refresh waits for another process's new
// pair to appear in the store: when two Backsight processes refresh with the
// same refresh token at once, the loser is rejected before the winner has
// saved the pair it received.
const rejectGrace = 2 * time.Second

// Session holds the token pair of one environment and client ID and hands out
// access tokens. It implements the Procore client's TokenSource. All methods
// are safe for concurrent use.
type Session struct {
	cfg     Config
	key     string
	store   Store
	client  *http.Client
	logger  *zap.Logger
	opener  Opener
	onState func(State)
	now     func() time.Time

	mu      sync.Mutex
	rec     *Record      // nil while logged out
	stale   bool         // Invalidate was called for rec's access token
	gen     uint64       // bumped on every login and logout
	pending *refreshCall // the refresh in flight, if any

	rejectGrace time.Duration // see the constant; tests shorten it
}

// refreshCall is one refresh shared by every caller that needs it.
type refreshCall struct {
	done  chan struct{}
	token string
	err   error
}

// NewSession validates cfg and returns a session with the record stored for
// cfg's environment and client ID, if any: a stored record means the session
// starts logged in without asking Procore anything. A record that cannot be
// read is logged and the session starts logged out.
func NewSession(ctx context.Context, cfg Config, opts Options) (*Session, error) {
	if err := cfg.Env.Validate(); err != nil {
		return nil, err
	}
	if cfg.ClientID == "" {
		return nil, errors.New("auth: no client ID configured")
	}
	if cfg.RedirectPort < 0 || cfg.RedirectPort > 65535 {
		return nil, fmt.Errorf("auth: redirect port %d out of range", cfg.RedirectPort)
	}
	if opts.Store == nil {
		return nil, errors.New("auth: no token store")
	}

	s := &Session{
		cfg:     cfg,
		key:     StoreKey(cfg.Env, cfg.ClientID),
		store:   opts.Store,
		client:  opts.HTTPClient,
		logger:  opts.Logger,
		opener:  opts.Opener,
		onState: opts.OnStateChange,
		now:     opts.Now,

		rejectGrace: rejectGrace,
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: 60 * time.Second}
	}
	if s.logger == nil {
		s.logger = zap.NewNop()
	}
	s.logger = s.logger.With(zap.String("env", cfg.Env.Name))
	if s.opener == nil {
		s.opener = SystemOpener
	}
	if s.now == nil {
		s.now = time.Now
	}

	// An unreadable record (a corrupt file, a keyring that fails) leaves the
	// session logged out rather than failing: logging in again replaces it.
	rec, err := s.store.Load(ctx, s.key)
	switch {
	case err == nil && rec.RefreshToken != "":
		s.rec = rec
		s.logger.Debug("stored token loaded", zap.Time("expiry", rec.Expiry))
	case err == nil, errors.Is(err, ErrNotStored):
	case ctx.Err() != nil:
		return nil, ctx.Err()
	default:
		s.logger.Warn("stored token not loaded", zap.Error(err))
	}

	return s, nil
}

// Env returns the session's environment.
func (s *Session) Env() Environment { return s.cfg.Env }

// State returns the current state.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.rec == nil {
		return StateLoggedOut
	}

	return StateLoggedIn
}

// WhoAmI returns the remembered identity of the signed-in user, or the zero
// Identity while logged out. It makes no request.
func (s *Session) WhoAmI() Identity {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.rec == nil {
		return Identity{}
	}

	return s.rec.Identity
}

// Token returns a valid access token. It reuses the current one until
// shortly before it expires; then one refresh runs, shared by every caller
// that needs a token meanwhile. While logged out, and after Procore rejects
// the refresh token, it returns ErrLoginRequired without a request.
func (s *Session) Token(ctx context.Context) (string, error) {
	s.mu.Lock()

	if s.rec == nil {
		s.mu.Unlock()
		return "", ErrLoginRequired
	}
	if !s.needsRefreshLocked() {
		tok := s.rec.AccessToken
		s.mu.Unlock()
		return tok, nil
	}

	call := s.pending
	if call == nil {
		call = &refreshCall{done: make(chan struct{})}
		s.pending = call
		go s.refresh(context.WithoutCancel(ctx), call, *s.rec, s.gen)
	}
	s.mu.Unlock()

	select {
	case <-call.done:
		return call.token, call.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Invalidate tells the session that the API rejected token. The next Token
// call refreshes, unless the current token is no longer token (another
// caller has already refreshed).
func (s *Session) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.rec != nil && token != "" && s.rec.AccessToken == token {
		s.stale = true
	}
}

func (s *Session) needsRefreshLocked() bool {
	if s.stale || s.rec.AccessToken == "" {
		return true
	}
	if s.rec.Expiry.IsZero() {
		return false
	}

	margin := maxRefreshMargin
	if !s.rec.Obtained.IsZero() {
		if tenth := s.rec.Expiry.Sub(s.rec.Obtained) / 10; tenth < margin {
			margin = tenth
		}
	}

	return !s.now().Before(s.rec.Expiry.Add(-margin))
}

// refresh runs one refresh for call and publishes its result. old is the
// record the refresh starts from and gen the generation it belongs to.
func (s *Session) refresh(ctx context.Context, call *refreshCall, old Record, gen uint64) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()

	tok, err := s.refreshOnce(ctx, old, gen)

	var changed bool
	s.mu.Lock()
	if errors.Is(err, ErrLoginRequired) && s.gen == gen {
		s.rec = nil
		s.stale = false
		s.gen++
		changed = true
	}
	s.pending = nil
	call.token, call.err = tok, err
	s.mu.Unlock()

	// The state change is reported before the waiting callers return, so a
	// caller that sees ErrLoginRequired finds the state already told.
	if changed {
		s.notify(StateLoggedOut)
	}

	close(call.done)
}

// refreshOnce sends old's refresh token to Procore, stores the new pair and
// makes it current. A rejected refresh token gives ErrLoginRequired.
func (s *Session) refreshOnce(ctx context.Context, old Record, gen uint64) (string, error) {
	// Another Backsight process may have refreshed already and stored the
	// new pair; sending our refresh token would be useless, and the stored
	// one must be used instead.
	old, tok, ok := s.adoptStored(ctx, old, gen)
	if ok {
		return tok, nil
	}

	start := s.now()
	src := s.oauthConfig("").TokenSource(s.oauthContext(ctx), &oauth2.Token{
		RefreshToken: old.RefreshToken,
	})
	t, err := src.Token()
	if err != nil {
		err = tokenErr("refresh", err, s.secrets(old.AccessToken, old.RefreshToken)...)

		var te *TokenError
		if errors.As(err, &te) && te.Rejected() {
			return s.refreshRejected(ctx, old, gen, te)
		}

		s.logger.Debug("token refresh failed", zap.Error(err))

		return "", err
	}

	rec := recordFromToken(t, start, old.Identity)

	return s.install(ctx, rec, gen, "token refreshed")
}

// refreshRejected handles a refused refresh token: unless another process
// stored a newer pair meanwhile, the stored pair is dead and is deleted.
func (s *Session) refreshRejected(ctx context.Context, old Record, gen uint64, te *TokenError) (string, error) {
	// The refresh token may have been spent by another process that has not
	// stored its new pair yet: look again for a short while before giving up.
	const poll = 100 * time.Millisecond
	for waited := time.Duration(0); ; waited += poll {
		if _, tok, ok := s.adoptStored(ctx, old, gen); ok {
			return tok, nil
		}

		if waited >= s.rejectGrace {
			break
		}

		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(poll):
		}
	}

	s.logger.Warn("token refresh rejected, login required",
		zap.Int("status", te.StatusCode), zap.String("error_code", te.Code),
		zap.String("error_description", te.Description))

	if err := s.deleteIfUnchanged(ctx, old); err != nil {
		s.logger.Warn("dead token not deleted", zap.Error(err))
	}

	return "", ErrLoginRequired
}

// adoptStored looks for a pair that another process stored after old. When
// the stored access token is still good it becomes current and ok is true;
// otherwise cur is the record to refresh from: the stored one when it is
// newer, else old.
func (s *Session) adoptStored(ctx context.Context, old Record, gen uint64) (cur Record, tok string, ok bool) {
	rec, err := s.store.Load(ctx, s.key)
	if err != nil || rec.RefreshToken == "" || rec.RefreshToken == old.RefreshToken {
		return old, "", false
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	if s.gen != gen {
		return old, "", false
	}

	s.rec = rec
	s.stale = false
	if s.needsRefreshLocked() {
		return *rec, "", false
	}

	s.logger.Debug("token refreshed by another process adopted")

	return *rec, rec.AccessToken, true
}

// install stores rec and then makes it current, unless the session logged in
// or out since gen: then rec is dropped and revoked.
func (s *Session) install(ctx context.Context, rec *Record, gen uint64, event string) (string, error) {
	s.mu.Lock()

	if s.gen != gen {
		// A login or logout came first. The pair just received is dropped
		// unsaved; callers get whatever the session now holds.
		loggedIn := s.rec != nil
		var tok string
		if loggedIn {
			tok = s.rec.AccessToken
		}
		s.mu.Unlock()

		s.revokeDropped(ctx, rec)

		if !loggedIn {
			return "", ErrLoginRequired
		}

		return tok, nil
	}
	defer s.mu.Unlock()

	// Save before handing out: the old refresh token is already spent. A
	// failed save keeps the pair in memory, so this run goes on; the next
	// start will need a login.
	if err := s.store.Save(ctx, s.key, rec); err != nil {
		s.logger.Warn("token not saved", zap.Error(err))
	}

	s.rec = rec
	s.stale = false
	s.logger.Debug(event, zap.Time("expiry", rec.Expiry))

	return rec.AccessToken, nil
}

func (s *Session) deleteIfUnchanged(ctx context.Context, old Record) error {
	rec, err := s.store.Load(ctx, s.key)
	if errors.Is(err, ErrNotStored) {
		return nil
	}
	if err == nil && rec.RefreshToken != old.RefreshToken {
		return nil
	}

	return s.store.Delete(ctx, s.key)
}

func (s *Session) notify(st State) {
	if s.onState != nil {
		s.onState(st)
	}
}

// oauthConfig returns the golang.org/x/oauth2 configuration for the session's
// environment. Procore takes the client credentials in the form body; the
// style is fixed so that the library never retries a refresh with another
// style, which would spend the single-use refresh token twice.
func (s *Session) oauthConfig(redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.cfg.ClientID,
		ClientSecret: s.cfg.ClientSecret,
		RedirectURL:  redirectURI,
		Endpoint: oauth2.Endpoint{
			AuthURL:   s.cfg.Env.loginEndpoint("/oauth/authorize"),
			TokenURL:  s.cfg.Env.loginEndpoint("/oauth/token"),
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

func (s *Session) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.client)
}

// secrets lists the values that must never appear in a log or an error.
func (s *Session) secrets(extra ...string) []string {
	return append(extra, s.cfg.ClientSecret)
}

// recordFromToken builds a record from a token-endpoint answer received at
// start.
func recordFromToken(t *oauth2.Token, start time.Time, id Identity) *Record {
	rec := &Record{
		AccessToken:  t.AccessToken,
		RefreshToken: t.RefreshToken,
		TokenType:    t.TokenType,
		Expiry:       t.Expiry,
		Obtained:     start,
		Identity:     id,
	}
	if t.ExpiresIn > 0 {
		rec.Expiry = start.Add(time.Duration(t.ExpiresIn) * time.Second)
	}

	return rec
}
