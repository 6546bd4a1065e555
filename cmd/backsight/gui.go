//go:build !nogui

package main

import (
	"context"

	"github.com/backsight/backsight/internal/app"
	// localefix must run before Fyne reads the locale; see its package doc.
	_ "github.com/backsight/backsight/internal/localefix"
	"github.com/backsight/backsight/internal/ui"
)

// gui opens the window; the command line has already started the demo when
// asked to.
func gui(ctx context.Context, a *app.App, projectDir string) error {
	return ui.Run(ctx, a, ui.Options{ProjectDir: projectDir})
}
