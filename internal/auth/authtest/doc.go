// Package authtest provides a scripted browser for tests of the Procore
// login: it fetches the authorise page of a Procore sandbox, fills in the
// login form and the consent step, and follows the redirect to the app's
// loopback listener, or reads the code of the out-of-band page.
//
// It is meant for tests in internal/auth, the command line and the GUI; it
// must not be used by production code.
package authtest
