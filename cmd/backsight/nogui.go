//go:build nogui

package main

import "github.com/backsight/backsight/internal/cli"

// gui is nil: this build has no window.
var gui cli.GUIFunc
