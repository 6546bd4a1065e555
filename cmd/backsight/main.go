// Command backsight is the Backsight app: with no command it opens the
// window, with one it works in the terminal. It only wires packages
// together; see internal/cli and internal/ui.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/cli"
	"github.com/backsight/backsight/internal/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)

	code := cli.Main(ctx, os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, gui)

	stop()
	os.Exit(code)
}

// gui opens the window; the command line has already started the demo when
// asked to.
func gui(ctx context.Context, a *app.App, projectDir string) error {
	return ui.Run(ctx, a, ui.Options{ProjectDir: projectDir})
}
