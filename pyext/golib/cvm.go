package main

// #include <stdint.h>
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// A counter lives in Go memory; C holds only its cgo.Handle.
func counter(h C.uintptr_t) *cvm.Counter { return cgo.Handle(h).Value().(*cvm.Counter) }

// noMemory turns the panic cvm.ErrNoMemory into the return value -1 (C
// raises MemoryError); other panics stay panics.
func noMemory(rc *C.int) {
	if r := recover(); r != nil {
		if r != cvm.ErrNoMemory {
			panic(r)
		}
		*rc = -1
	}
}

// GkCVMThreshold returns the buffer size for epsilon, delta and the stream
// length, or -1 for a bad epsilon, -2 for a bad delta, -3 if too large. The
// caller (C) turns those into ValueErrors naming the argument.
//
//export GkCVMThreshold
func GkCVMThreshold(epsilon, delta C.double, n C.uint64_t) C.int64_t {
	switch {
	case !(epsilon > 0 && epsilon < 1):
		return -1
	case !(delta > 0 && delta < 1):
		return -2
	}
	if n == 0 {
		n = cvm.DefaultStreamLength
	}
	t, err := cvm.Threshold(float64(epsilon), float64(delta), uint64(n))
	if err != nil {
		return -3
	}
	return C.int64_t(t)
}

// GkCVMNew returns a new counter; without a seed (seeded == 0) it uses
// cvm.DefaultSeed, so that counters of different processes merge.
//
//export GkCVMNew
func GkCVMNew(threshold C.int64_t, seed C.uint64_t, seeded C.int) C.uintptr_t {
	s := uint64(seed)
	if seeded == 0 {
		s = cvm.DefaultSeed
	}
	return C.uintptr_t(cgo.NewHandle(cvm.New(int(threshold), s)))
}

//export GkCVMFree
func GkCVMFree(h C.uintptr_t) {
	counter(h).Reset() // returns the table's memory now
	cgo.Handle(h).Delete()
}

//export GkCVMSeed
func GkCVMSeed(h C.uintptr_t) C.uint64_t { return C.uint64_t(counter(h).Seed()) }

// GkCVMAdd adds n keys. It returns 0, or -1 if memory ran out.
//
//export GkCVMAdd
func GkCVMAdd(h C.uintptr_t, keys *C.uint64_t, n C.int64_t) (rc C.int) {
	defer noMemory(&rc)
	counter(h).AddKeys(unsafe.Slice((*uint64)(unsafe.Pointer(keys)), int(n)))
	return 0
}

// GkCVMAddArray adds nbytes of a native-order numeric array of the given
// cvm.ElemKind, on all cores when it is large. It returns 0, or -1 if
// memory ran out.
//
//export GkCVMAddArray
func GkCVMAddArray(h C.uintptr_t, kind C.int, data unsafe.Pointer, nbytes C.int64_t) C.int {
	err := counter(h).AddArrayParallel(cvm.ElemKind(kind), unsafe.Slice((*byte)(data), int(nbytes)), runtime.GOMAXPROCS(0))
	if err != nil {
		return -1
	}
	return 0
}

// GkCVMEstimate returns the estimate, and the buffer length and exponent k
// through len and k (for repr and tests).
//
//export GkCVMEstimate
func GkCVMEstimate(h C.uintptr_t, length *C.int64_t, k *C.int64_t) C.double {
	c := counter(h)
	*length, *k = C.int64_t(c.Len()), C.int64_t(c.Exponent())
	return C.double(c.Estimate())
}

// GkCVMMerge merges counter o into counter h. It returns 0, -1 if memory ran
// out, -2 if the counters have different seeds or thresholds.
//
//export GkCVMMerge
func GkCVMMerge(h, o C.uintptr_t) C.int {
	switch err := counter(h).Merge(counter(o)); err {
	case nil:
		return 0
	case cvm.ErrNoMemory:
		return -1
	default:
		return -2
	}
}
