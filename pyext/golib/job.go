package main

/*
#include "gkjob.h"
*/
import "C"

import (
	"sync/atomic"
	"unsafe"
)

// stopFunc returns the Stop poll of a C job: true once C has set job.stop.
// Polling is one atomic load, so kernels can afford it every few thousand
// units.
func stopFunc(job *C.gk_job) func() bool {
	p := (*int32)(unsafe.Pointer(&job.stop))
	return func() bool { return atomic.LoadInt32(p) != 0 }
}

// startJob runs f on a new goroutine and marks job done after it; the
// export that calls it returns at once, and C waits (see gkjob.h). f must
// not keep job, nor any pointer C gave it, once it returns.
func startJob(job *C.gk_job, f func(stop func() bool)) {
	stop := stopFunc(job)
	go func() {
		defer C.gk_job_finish(job)
		f(stop)
	}()
}
