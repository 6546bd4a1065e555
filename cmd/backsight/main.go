// Command backsight is the Backsight app: with no command it opens the
// window, with one it works in the terminal. It only wires packages
// together; see internal/cli.
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

	// TODO(cli): pass internal/ui's entry point once it is exported.
	code := cli.Main(ctx, os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, nil)

	stop()
	os.Exit(code)
}
