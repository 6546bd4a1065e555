// Package auth signs Backsight in to Procore and keeps the user signed in.
//
// It implements the OAuth 2.0 authorisation-code flow for a native app
// (RFC 8252): the user types the Procore password into Procore's own page in
// the system browser, never into Backsight. The code comes back to a one-shot
// listener on the loopback addresses (127.0.0.1 and ::1) or, when no loopback
// redirect is possible, is pasted by the user (the out-of-band flow).
//
// A [Session] is the single owner of one environment's tokens. It implements
// the Procore client's TokenSource (Token and Invalidate), stores every new
// token pair in a [Store] before handing it out, refreshes at most once at a
// time (Procore's refresh tokens are single-use) and moves to the logged-out
// state, reported through [Options.OnStateChange], when Procore rejects the
// refresh token.
//
// The package never logs or returns tokens, authorisation codes, PKCE
// verifiers or the client secret. It does not import Fyne: the command line
// and the GUI both use it.
package auth
