package auth

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zalando/go-keyring"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func TestFileStoreRoundTrip(t *testing.T) {
	t.Parallel()

	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "tokens")
	fs, err := NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}

	const key = "custom@127.0.0.1:80:client/with:odd chars"
	if _, err := fs.Load(ctx, key); !errors.Is(err, ErrNotStored) {
		t.Fatalf("load before save: err = %v, want ErrNotStored", err)
	}

	want := &Record{
		AccessToken: "a", RefreshToken: "r", TokenType: "bearer",
		Expiry:   time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Obtained: time.Date(2026, 1, 2, 1, 34, 5, 0, time.UTC),
		Identity: Identity{ID: 9, Login: "a@b.test", Name: "A B"},
	}
	for range 2 { // the second save replaces the first
		if err := fs.Save(ctx, key, want); err != nil {
			t.Fatal(err)
		}
	}

	got, err := fs.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".json") {
		t.Fatalf("directory holds %v, want one .json file", entries)
	}
	if runtime.GOOS != "windows" {
		info, err := entries[0].Info()
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("file mode = %v, want 0600", perm)
		}
	}

	if err := fs.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := fs.Delete(ctx, key); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := fs.Load(ctx, key); !errors.Is(err, ErrNotStored) {
		t.Fatalf("load after delete: err = %v, want ErrNotStored", err)
	}
}

func TestSafeFileName(t *testing.T) {
	t.Parallel()

	tests := []struct{ a, b string }{
		{"production:abc", "production_abc"},
		{"custom@h:1:c", "custom_h_1_c"},
		{"../../etc/passwd", "etc/passwd"},
	}
	for _, tt := range tests {
		got := safeFileName(tt.a)
		if strings.ContainsAny(got, `/\:@ `) || strings.HasPrefix(got, ".") {
			t.Errorf("safeFileName(%q) = %q is not a safe name", tt.a, got)
		}
		if got == safeFileName(tt.b) {
			t.Errorf("%q and %q map to the same name %q", tt.a, tt.b, got)
		}
	}
}

// The keyring tests swap go-keyring's global provider, so they do not run in
// parallel with each other.

func TestOpenStoreFallsBackToFile(t *testing.T) {
	keyring.MockInitWithError(errors.New("no secret service on the bus"))

	core, logs := observer.New(zap.WarnLevel)
	dir := t.TempDir()
	store, warning, err := OpenStore(t.Context(), dir, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}

	fs, ok := store.(*FileStore)
	if !ok || fs.Dir() != dir {
		t.Fatalf("store = %T %v, want a FileStore in %s", store, store, dir)
	}
	if warning != NoKeyringWarning {
		t.Errorf("warning = %q", warning)
	}
	if n := logs.FilterMessage("token stored without a keyring").Len(); n != 1 {
		t.Errorf("%d warnings logged, want 1", n)
	}
}

func TestOpenStoreUsesKeyring(t *testing.T) {
	keyring.MockInit()

	ctx := t.Context()
	store, warning, err := OpenStore(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := store.(*KeyringStore); !ok || warning != "" {
		t.Fatalf("store = %T, warning %q; want the keyring and no warning", store, warning)
	}

	rec := &Record{AccessToken: "a", RefreshToken: "r", Identity: Identity{Login: "x@y.test"}}
	if err := store.Save(ctx, "production:id", rec); err != nil {
		t.Fatal(err)
	}

	secret, err := keyring.Get(KeyringService, "production:id")
	if err != nil || !strings.Contains(secret, `"refresh_token":"r"`) {
		t.Fatalf("keyring entry = %q, %v", secret, err)
	}

	got, err := store.Load(ctx, "production:id")
	if err != nil || got.Identity.Login != "x@y.test" {
		t.Fatalf("load = %+v, %v", got, err)
	}
	if err := store.Delete(ctx, "production:id"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(ctx, "production:id"); !errors.Is(err, ErrNotStored) {
		t.Fatalf("load after delete: %v", err)
	}
	if err := store.Delete(ctx, "production:id"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
}
