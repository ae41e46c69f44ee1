package main

// #include "gkapi.h"
import "C"

import (
	"unsafe"

	"github.com/gokernels/gokernels/kernels/doubles"
)

// units views n elements of a PEP 393 buffer of the given kind (1, 2 or 4
// bytes per code point) as a Go slice, without copying.
func units[T doubles.Unit](data unsafe.Pointer, n C.int64_t) []T {
	return unsafe.Slice((*T)(data), int(n))
}

// GkCountUnits counts doubles in n units of a str's PEP 393 storage (kind
// 1, 2 or 4) or in n bytes (kind 1).
//
//export GkCountUnits
func GkCountUnits(kind C.int, data unsafe.Pointer, n C.int64_t) C.int64_t {
	return C.int64_t(countKind(kind, data, n, 1))
}

//export GkCountParallel
func GkCountParallel(kind C.int, data unsafe.Pointer, n C.int64_t, workers C.int64_t) C.int64_t {
	return C.int64_t(countKind(kind, data, n, int(workers)))
}

func countKind(kind C.int, data unsafe.Pointer, n C.int64_t, workers int) int {
	if n < 2 {
		return 0
	}
	switch kind {
	case 1:
		return doubles.CountParallel(units[uint8](data, n), workers)
	case 2:
		return doubles.CountParallel(units[uint16](data, n), workers)
	default:
		return doubles.CountParallel(units[uint32](data, n), workers)
	}
}

// GkCountUTF8 counts doubles in the UTF-8 encoding of a non-ASCII str
// without encoding it. It returns GK_ERR_SURROGATE on a surrogate, and the
// caller then lets str.encode() raise the UnicodeEncodeError Python users
// expect.
//
//export GkCountUTF8
func GkCountUTF8(kind C.int, data unsafe.Pointer, n C.int64_t, count *C.int64_t) C.gk_status {
	var (
		c   int
		err error
	)
	switch kind {
	case 1:
		c, err = doubles.CountUTF8(units[uint8](data, n))
	case 2:
		c, err = doubles.CountUTF8(units[uint16](data, n))
	default:
		c, err = doubles.CountUTF8(units[uint32](data, n))
	}
	if err != nil {
		return C.GK_ERR_SURROGATE
	}
	*count = C.int64_t(c)
	return C.GK_OK
}
