package main

// #include <stdlib.h>
// #include "gkapi.h"
import "C"

import (
	"errors"
	"runtime"
	"runtime/cgo"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/arrow"
	"github.com/gokernels/gokernels/kernels/cvm"
)

// cnode is one node of a C ArrowSchema/ArrowArray pair, read as an
// arrow.Source. Either pointer may be null (a malformed producer): the node
// then has no format, which arrow.Import reports.
type cnode struct {
	s *C.struct_ArrowSchema
	a *C.struct_ArrowArray
}

// maxFormat bounds how far a format string is read looking for its NUL.
const maxFormat = 256

func (n cnode) Format() string {
	if n.s == nil || n.a == nil || n.s.format == nil {
		return ""
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(n.s.format)), maxFormat)
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return "" // not terminated: treated as missing
}

func (n cnode) Length() int64    { return int64(n.a.length) }
func (n cnode) Offset() int64    { return int64(n.a.offset) }
func (n cnode) NullCount() int64 { return int64(n.a.null_count) }

func (n cnode) NumBuffers() int64 {
	if n.a.n_buffers > 0 && n.a.buffers == nil {
		return -1 // a count without the array of pointers: never the expected count
	}
	return int64(n.a.n_buffers)
}

// maxBuffer bounds a buffer's size (arrow's element bounds imply less).
const maxBuffer = 1 << 46

func (n cnode) Buffer(i int, size int64) []byte {
	bufs := unsafe.Slice(n.a.buffers, int(n.a.n_buffers))
	p := bufs[i]
	if p == nil || size < 0 || size > maxBuffer {
		return nil
	}
	return unsafe.Slice((*byte)(p), int(size))
}

func (n cnode) NumChildren() (int64, int64) {
	sc, ac := int64(n.s.n_children), int64(n.a.n_children)
	if sc > 0 && n.s.children == nil || ac > 0 && n.a.children == nil {
		return sc, -1 // unusable: reported as a mismatch
	}
	return sc, ac
}

func (n cnode) Child(i int) arrow.Source {
	return cnode{unsafe.Slice(n.s.children, int(n.s.n_children))[i], unsafe.Slice(n.a.children, int(n.a.n_children))[i]}
}

func (n cnode) Dictionary() (arrow.Source, bool, bool) {
	return cnode{n.s.dictionary, n.a.dictionary}, n.s.dictionary != nil, n.a.dictionary != nil
}

// A scan is an arrow.Scan with the counters its workers add to: worker 0
// adds to the caller's counter, the others to counters of their own that
// Finish merges into it.
type scan struct {
	s      *arrow.Scan
	c      *cvm.Counter
	sinks  []arrow.Sink
	extras []*cvm.Counter
}

// Rows per GkArrowScanRun call: a few ms of work on one core (about 1.5 ns
// a fixed-width value, 4 ns a short string), so that C sees Ctrl-C promptly
// and the calls' own cost (import, goroutines, GIL) stays below 1%.
const (
	rowsFixed    = 1 << 22
	rowsVariable = 1 << 20
	// Arrays shorter than this are counted on one core.
	parallelRows = 1 << 17
)

func fail(err error, msg **C.char) C.gk_status {
	*msg = C.CString(err.Error())
	var unsupported *arrow.UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		return C.GK_ERR_UNSUPPORTED
	case errors.Is(err, cvm.ErrNoMemory):
		return C.GK_ERR_NO_MEMORY
	}
	return C.GK_ERR_INVALID
}

// recoverNoMemory turns the panic cvm.ErrNoMemory (a counter's buffer could
// not grow) into GK_ERR_NO_MEMORY.
func recoverNoMemory(rc *C.gk_status, msg **C.char) {
	if r := recover(); r != nil {
		if r != cvm.ErrNoMemory {
			panic(r)
		}
		*rc = fail(cvm.ErrNoMemory, msg)
	}
}

func importC(s *C.struct_ArrowSchema, a *C.struct_ArrowArray) (*arrow.Array, error) {
	return arrow.Import(cnode{s, a})
}

//export GkArrowScanNew
func GkArrowScanNew(counterHandle C.uintptr_t, schema *C.struct_ArrowSchema, array *C.struct_ArrowArray,
	rows *C.int64_t, status *C.gk_status, msg **C.char) C.uintptr_t {
	a, err := importC(schema, array)
	if err != nil {
		*status = fail(err, msg)
		return 0
	}
	c := counter(counterHandle)
	workers := 1
	if a.Length >= parallelRows {
		workers = min(runtime.GOMAXPROCS(0), int(a.Length/(parallelRows/2)))
	}
	sc := &scan{s: arrow.NewScan(a, c.Seed(), workers), c: c, sinks: []arrow.Sink{c}}
	for range workers - 1 {
		x := cvm.New(c.Threshold(), c.Seed())
		sc.extras = append(sc.extras, x)
		sc.sinks = append(sc.sinks, x)
	}
	*rows = rowsFixed
	switch a.Kind {
	case arrow.String, arrow.LargeString, arrow.Binary, arrow.LargeBinary, arrow.StringView, arrow.BinaryView, arrow.Struct:
		*rows = rowsVariable
	}
	return C.uintptr_t(cgo.NewHandle(sc))
}

//export GkArrowScanRun
func GkArrowScanRun(h C.uintptr_t, schema *C.struct_ArrowSchema, array *C.struct_ArrowArray, lo, hi C.int64_t,
	msg **C.char) (rc C.gk_status) {
	defer recoverNoMemory(&rc, msg)
	sc := cgo.Handle(h).Value().(*scan)
	a, err := importC(schema, array)
	if err == nil {
		err = sc.s.Run(a, int64(lo), int64(hi), sc.sinks)
	}
	if err != nil {
		return fail(err, msg)
	}
	return C.GK_OK
}

//export GkArrowScanFinish
func GkArrowScanFinish(h C.uintptr_t, schema *C.struct_ArrowSchema, array *C.struct_ArrowArray,
	msg **C.char) (rc C.gk_status) {
	defer recoverNoMemory(&rc, msg)
	sc := cgo.Handle(h).Value().(*scan)
	cgo.Handle(h).Delete()
	a, err := importC(schema, array)
	if err == nil {
		err = sc.s.Finish(a, sc.c)
	}
	for _, x := range sc.extras {
		if err != nil {
			break
		}
		err = sc.c.Merge(x)
	}
	if err != nil {
		return fail(err, msg)
	}
	return C.GK_OK
}

//export GkArrowScanFree
func GkArrowScanFree(h C.uintptr_t) { cgo.Handle(h).Delete() }
