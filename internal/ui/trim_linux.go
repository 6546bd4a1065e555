//go:build linux && cgo

package ui

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

// trim_c_heap asks the C library to give its free heap pages back to the
// system. glibc has malloc_trim; other C libraries (musl) may not, so it is
// looked up at run time.
static void trim_c_heap(void) {
	int (*trim)(size_t) = (int (*)(size_t))dlsym(RTLD_DEFAULT, "malloc_trim");
	if (trim != NULL) {
		trim(0);
	}
}
*/
import "C"

// trimCHeap returns the C heap's free pages to the operating system: those
// the OpenGL driver and the windowing libraries freed after start-up (shader
// compilation, first frames), which glibc otherwise keeps for reuse.
func trimCHeap() { C.trim_c_heap() }
