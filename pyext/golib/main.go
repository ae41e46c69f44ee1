// Command golib is the Go half of the gokernels extension, built with
// -buildmode=c-shared into gokernels/libgokernels-go.so.
//
// It never sees a PyObject: the C extension module gokernels._native (the .c
// files in ../) unpacks Python arguments into plain pointers and lengths,
// dlopen()s this library on first use, and calls one exported function per
// Python call. Keeping Python.h out of Go means one Go library serves every
// CPython version, and the Go runtime starts only when a kernel is first
// called, not at import (see ../loader.c for why that matters with fork).
//
// Rules for every export: declared once in gkapi.h (the C-Go contract, which
// the cgo preambles include, so a signature that disagrees fails the build)
// and listed in its GK_EXPORTS; C types only in signatures; errors as a
// gk_status; no pointer into the caller's memory kept after return; results
// that outlive the call are C.malloc'ed and freed by the caller. Logic
// belongs in kernels/: this package converts at the boundary.
package main

func main() {}
