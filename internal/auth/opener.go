package auth

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Opener opens url in the user's browser. Opening can fail without an
// error (no desktop, a browser that ignores the request), so a login also
// reports the URL for the user to copy.
type Opener func(url string) error

// SystemOpener opens url with the command named in $BROWSER when it is set
// (a list separated by the path-list separator; "%s" in a command stands for
// the URL), and otherwise with the desktop's usual opener: xdg-open on Linux
// and the BSDs, open on macOS, rundll32 url.dll on Windows. It does not wait
// for the browser to exit.
func SystemOpener(url string) error {
	if env := os.Getenv("BROWSER"); env != "" {
		var errs []error
		for _, cmd := range filepath.SplitList(env) {
			args := browserArgs(cmd, url)
			if len(args) == 0 {
				continue
			}
			if err := startDetached(args[0], args[1:]...); err != nil {
				errs = append(errs, err)
				continue
			}

			return nil
		}
		if len(errs) > 0 {
			return fmt.Errorf("auth: open browser from $BROWSER: %w", errors.Join(errs...))
		}
	}

	switch runtime.GOOS {
	case "darwin":
		return startDetached("open", url)
	case "windows":
		return startDetached("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		return startDetached("xdg-open", url)
	}
}

// browserArgs splits one $BROWSER entry into a command line for url.
func browserArgs(cmd, url string) []string {
	fields := strings.Fields(cmd)
	if len(fields) == 0 {
		return nil
	}

	replaced := false
	for i, f := range fields {
		if strings.Contains(f, "%s") {
			fields[i] = strings.ReplaceAll(f, "%s", url)
			replaced = true
		}
	}
	if !replaced {
		fields = append(fields, url)
	}

	return fields
}

// startDetached starts name and reaps it in the background.
func startDetached(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		// The error names the command, not the URL.
		return fmt.Errorf("auth: open browser: %w", err)
	}

	go func() { _ = cmd.Wait() }()

	return nil
}
