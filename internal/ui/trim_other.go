//go:build !linux || !cgo

package ui

// trimCHeap does nothing where the C library returns free memory by itself
// or cannot be asked to.
func trimCHeap() {}
