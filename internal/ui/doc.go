// Package ui is Backsight's desktop interface: the main window, the Procore
// panel, the import and export windows and the status bar. It is the only
// package that imports Fyne widgets; every network and disk job runs on its
// own goroutine and reaches the widgets through fyne.Do.
package ui
