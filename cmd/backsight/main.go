// Command backsight is the Backsight app: with no command it opens the
// window, with one it works in the terminal. It only wires packages
// together; see internal/cli and internal/ui.
//
// Built with -tags nogui it has no window and needs no cgo; the command
// line's tests use that build.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/backsight/backsight/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)

	code := cli.Main(ctx, os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, gui)

	stop()
	os.Exit(code)
}
