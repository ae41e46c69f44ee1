package main

// #include "gkapi.h"
import "C"

import (
	"math/rand/v2"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/text"
)

//export GkShortLong
func GkShortLong(kind C.int, data unsafe.Pointer, n C.int64_t, total *C.int64_t) C.int64_t {
	var long, words int
	switch {
	case n == 0:
	case kind == 1:
		long, words = text.ShortLong(unsafe.Slice((*uint8)(data), int(n)))
	case kind == 2:
		long, words = text.ShortLong(unsafe.Slice((*uint16)(data), int(n)))
	default:
		long, words = text.ShortLong(unsafe.Slice((*uint32)(data), int(n)))
	}
	*total = C.int64_t(words)
	return C.int64_t(long)
}

// GkRandomString fills n units of kind at dst from the alphabet (same kind).
// Without a seed it draws one from Go's auto-seeded generator.
//
//export GkRandomString
func GkRandomString(kind C.int, dst unsafe.Pointer, n C.int64_t, alphabet unsafe.Pointer, alen C.int64_t,
	seed C.uint64_t, seeded C.int) {
	randomString(kind, dst, n, alphabet, alen, seed, seeded, nil)
}

// GkRandomStringStart is GkRandomString on a goroutine of its own: it
// returns at once and C waits for job (see gkjob.h), which can stop it;
// *stopped is then 1 and dst is partly filled.
//
//export GkRandomStringStart
func GkRandomStringStart(kind C.int, dst unsafe.Pointer, n C.int64_t, alphabet unsafe.Pointer, alen C.int64_t,
	seed C.uint64_t, seeded C.int, job *C.gk_job, stopped *C.int) {
	startJob(job, func(stop func() bool) {
		if !randomString(kind, dst, n, alphabet, alen, seed, seeded, stop) {
			*stopped = 1
		}
	})
}

func randomString(kind C.int, dst unsafe.Pointer, n C.int64_t, alphabet unsafe.Pointer, alen C.int64_t,
	seed C.uint64_t, seeded C.int, stop func() bool) bool {
	s := uint64(seed)
	if seeded == 0 {
		s = rand.Uint64()
	}
	switch kind {
	case 1:
		return text.RandomStringStop(unsafe.Slice((*uint8)(dst), int(n)), unsafe.Slice((*uint8)(alphabet), int(alen)), s, stop)
	case 2:
		return text.RandomStringStop(unsafe.Slice((*uint16)(dst), int(n)), unsafe.Slice((*uint16)(alphabet), int(alen)), s, stop)
	default:
		return text.RandomStringStop(unsafe.Slice((*uint32)(dst), int(n)), unsafe.Slice((*uint32)(alphabet), int(alen)), s, stop)
	}
}
