package auth

import (
	"fmt"
	"net"
	"strconv"

	"go.uber.org/zap"
)

// anyPortTries bounds the attempts to find a port that is free on both
// loopback addresses when the configured redirect port is 0.
const anyPortTries = 5

// listenFunc is the signature of net.Listen; tests pass one that fails.
type listenFunc func(network, address string) (net.Listener, error)

// listenLoopback listens at port on 127.0.0.1 and, when the machine has an
// IPv6 loopback, on ::1 at the same port: the redirect URI names localhost,
// which a browser may resolve to either. A port taken on either address is
// an error wrapping the *net.OpError of the failed listen (which names the
// address), since the browser could carry the code to the other program. Port
// 0 picks a port that is free on both.
func listenLoopback(listen listenFunc, port int, logger *zap.Logger) ([]net.Listener, error) {
	for try := 1; ; try++ {
		lns, err := listenPair(listen, port, logger)
		if err == nil {
			return lns, nil
		}

		if !addrInUse(err) {
			return nil, fmt.Errorf("auth: listen for the login redirect: %w", err)
		}

		if port != 0 || try == anyPortTries {
			return nil, fmt.Errorf("%w: %w", ErrPortInUse, err)
		}
	}
}

// listenPair makes one attempt of listenLoopback.
func listenPair(listen listenFunc, port int, logger *zap.Logger) ([]net.Listener, error) {
	v4, err := listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}

	port = v4.Addr().(*net.TCPAddr).Port
	v6, err := listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
	switch {
	case err == nil:
		return []net.Listener{v4, v6}, nil
	case addrInUse(err):
		_ = v4.Close()
		return nil, err
	}

	// No ::1 (IPv6 disabled or no loopback address): browsers then resolve
	// localhost to 127.0.0.1 only.
	logger.Debug("login redirect listens on ipv4 only", zap.Error(err))

	return []net.Listener{v4}, nil
}
