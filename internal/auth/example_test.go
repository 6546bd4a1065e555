package auth_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/auth"
)

// Example shows how the command line or the GUI wires a session: open the
// store once, create the session (logged in when a token is stored), log in
// when needed, hand the session to the Procore client as its TokenSource,
// and log out.
func Example() {
	ctx := context.Background()
	logger := zap.NewNop()

	store, warning, err := auth.OpenStore(ctx, "", logger)
	if err != nil {
		return
	}
	if warning != "" {
		fmt.Println(warning) // shown to the user
	}

	env, err := auth.ResolveEnvironment("production", "", "")
	if err != nil {
		return
	}
	s, err := auth.NewSession(ctx, auth.Config{
		Env: env, ClientID: "id", ClientSecret: "secret", RedirectPort: 8719,
	}, auth.Options{
		Store:  store,
		Logger: logger,
		OnStateChange: func(st auth.State) {
			// The GUI turns the Procore icon grey on StateLoggedOut.
		},
	})
	if err != nil {
		return
	}

	if s.State() == auth.StateLoggedOut {
		lctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		err := s.Login(lctx, func(url string) {
			fmt.Println("Open this address to log in:", url)
		})
		if err != nil {
			return
		}
	}
	fmt.Println("Logged in as", s.WhoAmI().Display())

	// procore.NewClient(env.APIURL, s) ...; a call that fails with
	// auth.ErrLoginRequired shows errors' text to the user as it is.
	if _, err := s.Token(ctx); errors.Is(err, auth.ErrLoginRequired) {
		fmt.Println(err)
	}

	res, err := s.Logout(ctx)
	if err == nil {
		fmt.Println(res.Message())
	}
}
