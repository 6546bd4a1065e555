package auth

import (
	"errors"
	"syscall"
)

// wsaeAddrInUse is Winsock's WSAEADDRINUSE, which syscall.EADDRINUSE does not
// match on Windows.
const wsaeAddrInUse = syscall.Errno(10048)

// addrInUse reports whether err is a listen on a port that is taken.
func addrInUse(err error) bool {
	return errors.Is(err, wsaeAddrInUse) || errors.Is(err, syscall.EADDRINUSE)
}
