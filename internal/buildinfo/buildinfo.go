// Package buildinfo reports the version of Backsight and of the toolchain and
// GUI toolkit it was built with.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X ...buildinfo.Version=v1.2.3".
var Version = "dev"

// Info describes one build.
type Info struct {
	Version string `json:"version"`
	Go      string `json:"go"`
	Fyne    string `json:"fyne"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// Read returns the build's information. The Fyne version is read from the
// module list embedded in the binary; it is "unknown" in test binaries.
func Read() Info {
	info := Info{
		Version: Version,
		Go:      runtime.Version(),
		Fyne:    "unknown",
		OS:      runtime.GOOS,
		Arch:    runtime.GOARCH,
	}

	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "fyne.io/fyne/v2" {
				info.Fyne = dep.Version
			}
		}
		if info.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
	}

	return info
}
