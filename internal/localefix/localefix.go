// Package localefix gives the GUI toolkit a locale it can parse when the
// process runs in the POSIX locale ("C", "POSIX" or none at all), as cron jobs
// and minimal containers do. Fyne reads the locale while its packages are
// initialised and prints an error on every start when it finds "C"; that
// noise would reach the stderr of every scripted command.
//
// Import it for its side effect from the main package, before anything that
// imports Fyne. Go initialises packages in import-path order among those
// whose imports are ready, and this package needs only os and strings, so it
// runs before Fyne's locale lookup (github.com/jeandeaual/go-locale sorts
// after github.com/backsight).
package localefix

import (
	"os"
	"strings"
)

func init() {
	Apply(os.Getenv, os.Setenv)
}

// Apply sets LANG to en_US.UTF-8 when the effective locale is the POSIX one.
// It changes nothing when the user chose a real locale.
func Apply(getenv func(string) string, setenv func(string, string) error) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if !isPOSIX(v) {
			return
		}
		break
	}

	_ = setenv("LANG", "en_US.UTF-8")
	if isPOSIX(getenv("LC_ALL")) && getenv("LC_ALL") != "" {
		_ = setenv("LC_ALL", "en_US.UTF-8")
	}
	if isPOSIX(getenv("LC_MESSAGES")) && getenv("LC_MESSAGES") != "" {
		_ = setenv("LC_MESSAGES", "en_US.UTF-8")
	}
}

func isPOSIX(v string) bool {
	base, _, _ := strings.Cut(v, ".")

	return base == "C" || base == "POSIX" || v == ""
}
