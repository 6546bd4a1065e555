//go:build !windows

package auth

import (
	"errors"
	"syscall"
)

// addrInUse reports whether err is a listen on a port that is taken.
func addrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE)
}
