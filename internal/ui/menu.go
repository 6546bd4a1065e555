package ui

import (
	"fmt"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/buildinfo"
)

const (
	prefRecent = "recent_projects"
	maxRecent  = 8
)

// Keyboard shortcuts of the main window (the smoke test opens the import
// window with Ctrl+I).
var (
	shortcutImport = ctrl(fyne.KeyI)
	shortcutExport = ctrl(fyne.KeyE)
	shortcutOpen   = ctrl(fyne.KeyO)
)

// ctrl is Ctrl+key (Cmd+key on macOS).
func ctrl(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

func (u *UI) mainMenu() *fyne.MainMenu {
	newProject := fyne.NewMenuItem("New Project…", u.newProjectDialog)
	open := fyne.NewMenuItem("Open Project…", u.openProjectDialog)
	open.Shortcut = shortcutOpen
	recent := fyne.NewMenuItem("Recent Projects", nil)
	recent.ChildMenu = fyne.NewMenu("", u.recentItems()...)

	procoreItem := fyne.NewMenuItem("Procore…", u.showProcorePanel)
	services := fyne.NewMenuItem("Services", nil)
	services.ChildMenu = fyne.NewMenu("", procoreItem)

	importItem := fyne.NewMenuItem("Import…", func() { u.showImport(importProcore) })
	importItem.Shortcut = shortcutImport
	exportItem := fyne.NewMenuItem("Export…", func() { u.showExport(true) })
	exportItem.Shortcut = shortcutExport

	quit := fyne.NewMenuItem("Quit", u.fa.Quit)
	quit.IsQuit = true

	file := fyne.NewMenu("File", newProject, open, recent, fyne.NewMenuItemSeparator(),
		importItem, exportItem, fyne.NewMenuItemSeparator(), services,
		fyne.NewMenuItem("Project Settings…", u.showProjectSettings),
		fyne.NewMenuItem("Open Log Folder", u.openLogFolder), fyne.NewMenuItemSeparator(), quit)
	help := fyne.NewMenu("Help", fyne.NewMenuItem("About Backsight", u.showAbout))

	return fyne.NewMainMenu(file, help)
}

func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(shortcutImport, func(fyne.Shortcut) { u.showImport(importProcore) })
	c.AddShortcut(shortcutExport, func(fyne.Shortcut) { u.showExport(true) })
	c.AddShortcut(shortcutOpen, func(fyne.Shortcut) { u.openProjectDialog() })
}

func (u *UI) recentItems() []*fyne.MenuItem {
	dirs := u.fa.Preferences().StringList(prefRecent)
	if len(dirs) == 0 {
		item := fyne.NewMenuItem("(none)", nil)
		item.Disabled = true
		return []*fyne.MenuItem{item}
	}
	items := make([]*fyne.MenuItem, 0, len(dirs))
	for _, dir := range dirs {
		items = append(items, fyne.NewMenuItem(dir, func() { u.openProject(dir, false) }))
	}

	return items
}

// rememberProject puts dir at the top of the recent projects.
func (u *UI) rememberProject(dir string) {
	p := u.fa.Preferences()
	dirs := slices.DeleteFunc(p.StringList(prefRecent), func(d string) bool { return d == dir })
	dirs = append([]string{dir}, dirs...)
	if len(dirs) > maxRecent {
		dirs = dirs[:maxRecent]
	}
	p.SetStringList(prefRecent, dirs)
	u.win.SetMainMenu(u.mainMenu())
}

func (u *UI) newProjectDialog() {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		name := widget.NewEntry()
		name.SetPlaceHolder("Project name")
		dialog.ShowForm("New Project", "Create", "Cancel", []*widget.FormItem{
			widget.NewFormItem("Name", name),
		}, func(ok bool) {
			if !ok || name.Text == "" {
				return
			}
			u.openProject(filepath.Join(dir.Path(), name.Text), true)
		}, u.win)
	}, u.win)
}

func (u *UI) openProjectDialog() {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		u.openProject(dir.Path(), false)
	}, u.win)
}

func (u *UI) showAbout() {
	bi := buildinfo.Read()
	text := fmt.Sprintf("Backsight %s\n\nMoves survey data between a survey project and "+
		"Procore's Documents tool.\n\nGo %s · Fyne %s · %s/%s",
		bi.Version, bi.Go, bi.Fyne, bi.OS, bi.Arch)
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About Backsight", "Close",
		container.NewBorder(nil, nil, widget.NewIcon(appIcon), nil, l), u.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}
