package ui

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"go.uber.org/zap"
)

// TestPreferencesFile saves the app's preferences whole and only on a
// change, and tells the listeners after saving.
func TestPreferencesFile(t *testing.T) {
	fa := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "fyne", "preferences.json")
	p := newPreferencesFile(fa.Preferences(), path, zap.NewNop())
	heard := 0
	p.AddChangeListener(func() { heard++ })

	p.SetStringList(prefRecent, []string{"/projects/a", "/projects/b"})
	b, err := os.ReadFile(path)
	if err != nil || string(b) != `{"recent_projects":["/projects/a","/projects/b"]}`+"\n" {
		t.Fatalf("file = %q, %v", b, err)
	}
	if heard != 1 {
		t.Errorf("listener called %d times, want 1", heard)
	}
	if got := p.StringList(prefRecent); !slices.Equal(got, []string{"/projects/a", "/projects/b"}) {
		t.Errorf("read back %q", got)
	}

	// The same values again (as after Fyne reloads the file): no write.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	p.SetStringList(prefRecent, []string{"/projects/a", "/projects/b"})
	p.changed()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("unchanged preferences were written again (%v)", err)
	}

	p.SetBool("dark", true)
	b, err = os.ReadFile(path)
	if err != nil || string(b) != `{"dark":true,"recent_projects":["/projects/a","/projects/b"]}`+"\n" {
		t.Fatalf("file = %q, %v", b, err)
	}
	if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".preferences-*")); len(tmps) != 0 {
		t.Errorf("temporary files left: %q", tmps)
	}
}

// TestKeepPreferences makes the app's preferences a preferencesFile in the
// app's storage, which Fyne does not write itself.
func TestKeepPreferences(t *testing.T) {
	fa := test.NewTempApp(t)
	keepPreferences(fa, zap.NewNop())

	p, ok := fa.Preferences().(*preferencesFile)
	if !ok {
		t.Fatalf("preferences are a %T", fa.Preferences())
	}
	if want := filepath.Join(fa.Storage().RootURI().Path(), "preferences.json"); p.path != want {
		t.Errorf("path = %q, want %q", p.path, want)
	}
}
