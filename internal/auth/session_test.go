package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/backsight/backsight/internal/procore"
)

var _ procore.TokenSource = (*Session)(nil)

// newUnitSession returns a session against f whose store holds rec (if not
// nil), with a clock the test can move.
func newUnitSession(t *testing.T, f *fakeProcore, rec *Record, clock *atomic.Pointer[time.Time],
	opts Options,
) (*Session, *countingStore) {
	t.Helper()

	fs, err := NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{Store: fs}
	cfg := Config{Env: f.env(t), ClientID: testClientID, ClientSecret: testSecret}
	if rec != nil {
		if err := fs.Save(t.Context(), StoreKey(cfg.Env, cfg.ClientID), rec); err != nil {
			t.Fatal(err)
		}
	}

	opts.Store = store
	if clock != nil {
		opts.Now = func() time.Time { return *clock.Load() }
	}
	s, err := NewSession(t.Context(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}

	return s, store
}

func TestTokenReusedUntilMargin(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	access, refresh := f.issue()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)

	rec := &Record{
		AccessToken: access, RefreshToken: refresh,
		Obtained: now, Expiry: now.Add(90 * time.Minute),
	}
	s, store := newUnitSession(t, f, rec, &clock, Options{})

	// 3 minutes before expiry the token is still used; 2 minutes before, not.
	for _, tt := range []struct {
		at      time.Duration
		refresh int32
	}{{0, 0}, {87 * time.Minute, 0}, {88 * time.Minute, 1}} {
		at := now.Add(tt.at)
		clock.Store(&at)

		tok, err := s.Token(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got := f.refreshN.Load(); got != tt.refresh {
			t.Fatalf("at +%v: %d refreshes, want %d", tt.at, got, tt.refresh)
		}
		if tt.refresh == 0 && tok != access {
			t.Fatalf("at +%v: token changed without a refresh", tt.at)
		}
		if tt.refresh == 1 && tok == access {
			t.Fatalf("at +%v: old token after refresh", tt.at)
		}
	}
	if n := store.saves.Load(); n != 1 {
		t.Errorf("%d saves, want 1", n)
	}
}

func TestRefreshMarginShortLifetime(t *testing.T) {
	t.Parallel()

	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := &Session{now: func() time.Time { return now }}

	// A 60-second token gets a 6-second margin, not 2 minutes.
	s.rec = &Record{AccessToken: "a", Obtained: now, Expiry: now.Add(60 * time.Second)}
	if s.needsRefreshLocked() {
		t.Error("fresh 60 s token needs a refresh")
	}

	s.now = func() time.Time { return now.Add(55 * time.Second) }
	if !s.needsRefreshLocked() {
		t.Error("60 s token with 5 s left does not need a refresh")
	}

	s.rec = &Record{AccessToken: "a"}
	if s.needsRefreshLocked() {
		t.Error("token without expiry needs a refresh")
	}
}

func TestConcurrentTokenRefreshesOnce(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	access, refresh := f.issue()
	expired := &Record{
		AccessToken: access, RefreshToken: refresh,
		Obtained: time.Now().Add(-2 * time.Hour), Expiry: time.Now().Add(-30 * time.Minute),
	}
	s, store := newUnitSession(t, f, expired, nil, Options{})

	const n = 10
	var wg sync.WaitGroup
	tokens := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { tokens[i], errs[i] = s.Token(t.Context()) })
	}
	wg.Wait()

	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if tokens[i] != tokens[0] || tokens[i] == access {
			t.Fatalf("call %d got a different or old token", i)
		}
	}
	if got := f.refreshN.Load(); got != 1 {
		t.Errorf("%d refresh requests, want 1", got)
	}
	if got := store.saves.Load(); got != 1 {
		t.Errorf("%d saves, want 1", got)
	}
}

func TestInvalidateOnlyCurrentToken(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	access, refresh := f.issue()
	rec := &Record{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(time.Hour)}
	s, _ := newUnitSession(t, f, rec, nil, Options{})

	s.Invalidate(access)
	tok1, err := s.Token(t.Context())
	if err != nil || tok1 == access {
		t.Fatalf("after Invalidate: %v, same token %v", err, tok1 == access)
	}

	// A late Invalidate of the old token, from a caller that raced the
	// refresh, must not refresh again.
	s.Invalidate(access)
	tok2, err := s.Token(t.Context())
	if err != nil || tok2 != tok1 {
		t.Fatalf("after stale Invalidate: %v, token changed %v", err, tok2 != tok1)
	}
	if got := f.refreshN.Load(); got != 1 {
		t.Errorf("%d refresh requests, want 1", got)
	}
}

func TestRejectedRefreshLogsOut(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	rec := &Record{AccessToken: "dead-access", RefreshToken: "dead-refresh-token"}
	var states []State
	var mu sync.Mutex
	s, store := newUnitSession(t, f, rec, nil, Options{OnStateChange: func(st State) {
		mu.Lock()
		defer mu.Unlock()
		states = append(states, st)
	}})
	if s.State() != StateLoggedIn {
		t.Fatal("session with a stored token is not logged in")
	}

	s.rejectGrace = 0 // no other process will store a pair
	s.Invalidate("dead-access")
	for i := range 3 {
		_, err := s.Token(t.Context())
		if !errors.Is(err, ErrLoginRequired) {
			t.Fatalf("call %d: err = %v, want ErrLoginRequired", i, err)
		}
	}

	if got := f.refreshN.Load(); got != 1 {
		t.Errorf("%d refresh requests, want 1", got)
	}
	if s.State() != StateLoggedOut {
		t.Error("state is not logged out")
	}
	mu.Lock()
	if len(states) != 1 || states[0] != StateLoggedOut {
		t.Errorf("state callbacks = %v, want [logged out]", states)
	}
	mu.Unlock()
	if _, err := store.Load(t.Context(), s.key); !errors.Is(err, ErrNotStored) {
		t.Errorf("dead token still stored: %v", err)
	}
}

// newSpentRefreshSession returns a session holding the pair (a1, r1) where
// another process has already spent r1 and been given the pair other, which
// is not stored yet.
func newSpentRefreshSession(t *testing.T) (
	f *fakeProcore, s *Session, store *countingStore, a1 string, other *Record,
) {
	t.Helper()

	f = newFakeProcore(t)
	a1, r1 := f.issue()
	rec := &Record{AccessToken: a1, RefreshToken: r1, Expiry: time.Now().Add(time.Hour)}
	s, store = newUnitSession(t, f, rec, nil, Options{})

	f.mu.Lock()
	delete(f.refresh, r1)
	f.mu.Unlock()

	a2, r2 := f.issue()
	other = &Record{AccessToken: a2, RefreshToken: r2, Expiry: time.Now().Add(time.Hour)}

	return f, s, store, a1, other
}

func TestRefreshAdoptsPairStoredByAnotherProcess(t *testing.T) {
	t.Parallel()

	// The other process refreshed: r1 is spent, (a2, r2) is stored.
	f, s, store, a1, other := newSpentRefreshSession(t)
	a2 := other.AccessToken
	if err := store.Store.Save(t.Context(), s.key, other); err != nil {
		t.Fatal(err)
	}

	s.Invalidate(a1)
	tok, err := s.Token(t.Context())
	if err != nil || tok != a2 {
		t.Fatalf("Token = %v; adopted the stored token: %v", err, tok == a2)
	}
	if got := f.refreshN.Load(); got != 0 {
		t.Errorf("%d refresh requests, want 0", got)
	}
}

// TestRejectedRefreshWaitsForAnotherProcess: two processes refresh with the
// same refresh token; the loser is rejected before the winner has stored its
// new pair, and must adopt that pair rather than log the user out.
func TestRejectedRefreshWaitsForAnotherProcess(t *testing.T) {
	t.Parallel()

	// The winner has spent r1 and is still receiving its new pair: it
	// stores it just after the loser, rejected, has looked for it once.
	f, s, store, a1, other := newSpentRefreshSession(t)
	a2 := other.AccessToken

	var refreshesAtSave int32
	saved := make(chan error, 1)
	s.store = &loadHookStore{Store: store, after: func(n int) {
		// Load 1 is before the refresh request, load 2 after its rejection.
		if n == 2 {
			refreshesAtSave = f.refreshN.Load()
			saved <- store.Store.Save(context.Background(), s.key, other)
		}
	}}

	s.Invalidate(a1)
	tok, err := s.Token(t.Context())
	select {
	case err := <-saved:
		if err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatal("the rejected refresh never looked at the store again")
	}

	if err != nil || tok != a2 {
		t.Fatalf("Token = %v; adopted the pair stored late: %v", err, tok == a2)
	}

	if refreshesAtSave != 1 || f.refreshN.Load() != 1 {
		t.Errorf("%d refresh requests before the other pair was stored, %d in all; want 1",
			refreshesAtSave, f.refreshN.Load())
	}

	if s.State() != StateLoggedIn {
		t.Error("logged out although another process refreshed")
	}
}

// loadHookStore wraps a store and calls after with the number of each Load
// once it has read the store.
type loadHookStore struct {
	Store
	after func(n int)
	loads int
	mu    sync.Mutex
}

func (l *loadHookStore) Load(ctx context.Context, key string) (*Record, error) {
	rec, err := l.Store.Load(ctx, key)

	l.mu.Lock()
	l.loads++
	n := l.loads
	l.mu.Unlock()
	l.after(n)

	return rec, err
}

func TestRefreshTransientErrorKeepsSession(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	a, r := f.issue()
	rec := &Record{AccessToken: a, RefreshToken: r, Expiry: time.Now().Add(-time.Minute)}
	s, _ := newUnitSession(t, f, rec, nil, Options{})

	f.srv.Close()
	_, err := s.Token(t.Context())
	if err == nil || errors.Is(err, ErrLoginRequired) {
		t.Fatalf("err = %v, want a transport error", err)
	}
	if s.State() != StateLoggedIn {
		t.Error("a network failure logged the session out")
	}
}

func TestTokenWaitHonoursContext(t *testing.T) {
	t.Parallel()

	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		oauthError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
	})
	f := newFakeProcore(t)
	f.srv.Config.Handler = slow
	defer close(release)

	rec := &Record{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(-time.Minute)}
	s, _ := newUnitSession(t, f, rec, nil, Options{})

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

// fakeBrowser returns an opener that plays the user: it reads the authorise
// URL, lets the fake server issue a code and calls the redirect URI with
// the given state (the real one when state is "").
func fakeBrowser(t *testing.T, f *fakeProcore, state string, seen *url.Values) Opener {
	return func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		*seen = q
		if state == "" {
			state = q.Get("state")
		}

		cb := q.Get("redirect_uri") + "?" + url.Values{
			"code": {f.addCode()}, "state": {state},
		}.Encode()
		go func() {
			resp, err := http.Get(cb)
			if err == nil {
				resp.Body.Close()
			}
		}()

		return nil
	}
}

func TestLoginLoopbackUnit(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	var seen url.Values
	var shown string
	core, logs := observer.New(zap.DebugLevel)
	s, store := newUnitSession(t, f, nil, nil, Options{
		Opener: fakeBrowser(t, f, "", &seen), Logger: zap.New(core),
	})
	if s.State() != StateLoggedOut {
		t.Fatal("new session without a stored token is logged in")
	}

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := s.Login(ctx, func(u string) { shown = u }); err != nil {
		t.Fatal(err)
	}

	if !strings.HasPrefix(shown, f.srv.URL+"/oauth/authorize?") {
		t.Errorf("shown URL %q", shown)
	}
	if seen.Get("code_challenge_method") != "S256" || seen.Get("code_challenge") == "" {
		t.Errorf("no PKCE challenge in %v", seen)
	}
	if !strings.HasPrefix(seen.Get("redirect_uri"), "http://localhost:") {
		t.Errorf("redirect_uri = %q", seen.Get("redirect_uri"))
	}
	if got := s.WhoAmI(); got.Login != "surveyor@example.test" || got.Name != "Sam Surveyor" {
		t.Errorf("WhoAmI = %+v", got)
	}
	rec, err := store.Load(t.Context(), s.key)
	if err != nil || rec.Identity.Login != "surveyor@example.test" {
		t.Fatalf("stored record %+v, %v", rec, err)
	}
	if logs.FilterMessage("signed in").Len() != 1 {
		t.Error("no signed-in log entry")
	}
}

func TestLoginStateMismatchUnit(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	var seen url.Values
	s, _ := newUnitSession(t, f, nil, nil, Options{Opener: fakeBrowser(t, f, "forged", &seen)})

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	err := s.Login(ctx, nil)
	if !errors.Is(err, ErrStateMismatch) {
		t.Fatalf("err = %v, want ErrStateMismatch", err)
	}
	if s.State() != StateLoggedOut {
		t.Error("logged in after a state mismatch")
	}
}

func TestLoginCancelled(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	s, _ := newUnitSession(t, f, nil, nil, Options{Opener: func(string) error { return nil }})

	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if err := s.Login(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestTokenErrorKeepsNoBody(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	s, _ := newUnitSession(t, f, nil, nil, Options{})
	o := s.LoginOOB()
	err := o.Exchange(t.Context(), "not-a-code-but-secret")

	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" || te.StatusCode != 400 {
		t.Fatalf("err = %#v, want a TokenError invalid_grant 400", err)
	}
	if strings.Contains(err.Error(), "not-a-code-but-secret") || strings.Contains(err.Error(), "{") {
		t.Errorf("error text %q shows the code or the body", err)
	}
}

func TestCorruptStoredRecordStartsLoggedOut(t *testing.T) {
	t.Parallel()

	f := newFakeProcore(t)
	dir := t.TempDir()
	fs, err := NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	env := f.env(t)
	key := StoreKey(env, testClientID)
	if err := writeFileAtomic(fs.path(key), []byte("{not json")); err != nil {
		t.Fatal(err)
	}

	core, logs := observer.New(zap.WarnLevel)
	s, err := NewSession(t.Context(), Config{Env: env, ClientID: testClientID},
		Options{Store: fs, Logger: zap.New(core)})
	if err != nil {
		t.Fatal(err)
	}
	if s.State() != StateLoggedOut || logs.FilterMessage("stored token not loaded").Len() != 1 {
		t.Errorf("state %v, %d warnings", s.State(), logs.Len())
	}
}

func TestNewSessionValidates(t *testing.T) {
	t.Parallel()

	fs, err := NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	good := Config{Env: Production, ClientID: "id"}

	tests := []struct {
		name string
		cfg  Config
		opts Options
	}{
		{"no store", good, Options{}},
		{"no client id", Config{Env: Production}, Options{Store: fs}},
		{"bad port", Config{Env: Production, ClientID: "id", RedirectPort: 70000}, Options{Store: fs}},
		{"plain http", Config{Env: Environment{Name: "custom", LoginURL: "http://example.com",
			APIURL: "https://example.com"}, ClientID: "id"}, Options{Store: fs}},
	}
	for _, tt := range tests {
		if _, err := NewSession(t.Context(), tt.cfg, tt.opts); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
