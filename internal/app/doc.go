// Package app is the wiring shared by Backsight's command line and its
// window: the configuration, the logger, the Procore environment with its
// token store and login session, Procore clients for that session, the
// transfer manager, and the built-in demo mode. It also turns errors into
// the sentences both front ends show to the user ([UserMessage]).
//
// The package does not import Fyne, so the command line builds and runs
// without a display.
package app
