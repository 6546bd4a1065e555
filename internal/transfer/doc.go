// Package transfer moves files between the local disk and Procore's
// Documents tool on top of package procore: upload a file (a new file or a
// new version of the existing one), upload a folder tree, download a file
// version to a safe local path, list a folder or a whole project tree, and
// run several such jobs at once with progress and cancellation.
//
// Progress is counted in the workers with atomic counters ([Progress]) and
// reported on a timer by [Progress.Report], never once per read. Every job
// takes a context and stops when it is cancelled, leaving no partial file
// behind.
package transfer
