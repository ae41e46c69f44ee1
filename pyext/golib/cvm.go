package main

// #include <stdint.h>
import "C"

import (
	"math/rand/v2"
	"runtime/cgo"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// A counter lives in Go memory; C holds only its cgo.Handle.
func counter(h C.uintptr_t) *cvm.Counter { return cgo.Handle(h).Value().(*cvm.Counter) }

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

//export GkCVMNew
func GkCVMNew(threshold C.int64_t, seed C.uint64_t, seeded C.int) C.uintptr_t {
	s := uint64(seed)
	if seeded == 0 {
		s = rand.Uint64()
	}
	return C.uintptr_t(cgo.NewHandle(cvm.New(int(threshold), s)))
}

//export GkCVMFree
func GkCVMFree(h C.uintptr_t) { cgo.Handle(h).Delete() }

//export GkCVMAdd
func GkCVMAdd(h C.uintptr_t, keys *C.uint64_t, n C.int64_t) {
	counter(h).Add(unsafe.Slice((*uint64)(unsafe.Pointer(keys)), int(n)))
}

// GkCVMAddArray adds nbytes of a native-order numeric array of the given
// cvm.ElemKind.
//
//export GkCVMAddArray
func GkCVMAddArray(h C.uintptr_t, kind C.int, data unsafe.Pointer, nbytes C.int64_t) {
	counter(h).AddArray(cvm.ElemKind(kind), unsafe.Slice((*byte)(data), int(nbytes)))
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
