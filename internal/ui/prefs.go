package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"go.uber.org/zap"
)

// valueReader reads every preference at once. Fyne's own preferences (and
// the test app's) have this method, from the in-memory store they embed.
type valueReader interface {
	ReadValues(fn func(map[string]any))
}

// preferencesFile is the app's preferences: Fyne's own, as Fyne loaded them
// from its preferences.json (they hold the values, and Fyne still reloads
// them when the file changes on disk), written back by Backsight instead of
// by Fyne: whole (a temporary file renamed over the old one) and only when
// a value changed.
//
// Fyne writes the file in place (truncate, then write) on every change and
// once more at exit, while it watches the file's folder and reloads the file
// on any change. At exit that reload runs on the watcher's goroutine, so it
// can read the file between the truncation and the write and logs
// "Preferences load error: EOF" (fyne-io/fyne#2936). Fyne skips both its
// writes when the app's preferences are not its own type.
//
// TODO(ui): drop preferencesFile once Fyne writes preferences.json whole
// or stops writing it at exit (fyne-io/fyne#2936).
type preferencesFile struct {
	fyne.Preferences
	values valueReader
	path   string
	log    *zap.Logger

	mu        sync.Mutex
	listeners []func()
	saved     []byte // the file's content as last written or loaded
}

// keepPreferences makes fa's preferences a preferencesFile, through the
// only hook Fyne has for supplying them (a cloud provider). It leaves fa
// alone when its preferences cannot be read whole.
func keepPreferences(fa fyne.App, log *zap.Logger) {
	if _, ok := fa.Preferences().(valueReader); !ok {
		log.Warn("preferences left to fyne: they cannot be read whole")
		return
	}

	fa.SetCloudProvider(&localPreferences{log: log})
}

// newPreferencesFile wraps prefs, which must be a valueReader, to be saved
// to path.
func newPreferencesFile(prefs fyne.Preferences, path string, log *zap.Logger) *preferencesFile {
	p := &preferencesFile{Preferences: prefs, values: prefs.(valueReader), path: path, log: log}
	p.saved, _ = p.encode()
	prefs.AddChangeListener(p.changed)

	return p
}

// AddChangeListener implements fyne.Preferences: l is called after each
// change, once it is saved.
func (p *preferencesFile) AddChangeListener(l func()) {
	p.mu.Lock()
	defer p.mu.Unlock()

	p.listeners = append(p.listeners, l)
}

// ChangeListeners implements fyne.Preferences.
func (p *preferencesFile) ChangeListeners() []func() {
	p.mu.Lock()
	defer p.mu.Unlock()

	return slices.Clone(p.listeners)
}

// changed saves the preferences and tells the listeners. Fyne calls it on
// each change, and after reloading the file.
func (p *preferencesFile) changed() {
	if err := p.save(); err != nil {
		p.log.Warn("preferences not saved", zap.String("path", p.path), zap.Error(err))
	}

	for _, l := range p.ChangeListeners() {
		l()
	}
}

// save writes the preferences when they differ from the file.
func (p *preferencesFile) save() error {
	b, err := p.encode()
	if err != nil {
		return err
	}

	p.mu.Lock()
	defer p.mu.Unlock()

	if bytes.Equal(b, p.saved) {
		return nil
	}

	if err := writeFileWhole(p.path, b); err != nil {
		return err
	}
	p.saved = b

	return nil
}

// encode returns the preferences as Fyne's file holds them: one JSON object
// (keys sorted, so that equal values give equal bytes).
func (p *preferencesFile) encode() ([]byte, error) {
	var (
		b   []byte
		err error
	)
	p.values.ReadValues(func(v map[string]any) { b, err = json.Marshal(v) })
	if err != nil {
		return nil, fmt.Errorf("ui: preferences: %w", err)
	}

	return append(b, '\n'), nil
}

// writeFileWhole writes b to a temporary file beside path and renames it
// over path, so that a reader sees the old content or the new, never part.
func writeFileWhole(path string, b []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("ui: preferences: %w", err)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".preferences-*.tmp")
	if err != nil {
		return fmt.Errorf("ui: preferences: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()

	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err != nil {
		return fmt.Errorf("ui: preferences: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("ui: preferences: %w", err)
	}

	return nil
}

// localPreferences is the cloud provider that supplies a preferencesFile in
// Fyne's preferences.json; nothing leaves the machine.
type localPreferences struct {
	log *zap.Logger
}

// ProviderDescription implements fyne.CloudProvider.
func (c *localPreferences) ProviderDescription() string {
	return "Preferences kept on this computer"
}

// ProviderIcon implements fyne.CloudProvider.
func (c *localPreferences) ProviderIcon() fyne.Resource { return appIcon }

// ProviderName implements fyne.CloudProvider.
func (c *localPreferences) ProviderName() string { return "local" }

// Cleanup implements fyne.CloudProvider.
func (c *localPreferences) Cleanup(fyne.App) {}

// Setup implements fyne.CloudProvider.
func (c *localPreferences) Setup(fyne.App) error { return nil }

// CloudPreferences implements fyne.CloudProviderPreferences: a's own
// preferences, saved to the file they were loaded from.
func (c *localPreferences) CloudPreferences(a fyne.App) fyne.Preferences {
	path := filepath.Join(a.Storage().RootURI().Path(), "preferences.json")

	return newPreferencesFile(a.Preferences(), path, c.log)
}
