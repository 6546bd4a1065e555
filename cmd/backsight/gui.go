//go:build !nogui

package main

import (
	"context"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/ui"
)

// gui opens the window; the command line has already started the demo when
// asked to.
func gui(ctx context.Context, a *app.App, projectDir string) error {
	return ui.Run(ctx, a, ui.Options{ProjectDir: projectDir})
}
