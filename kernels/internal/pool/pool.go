// Package pool runs the items of one call on several goroutines: the one
// worker pool of every parallel kernel (doubles.CountParallel, the lz-string
// batches of pyext/golib).
package pool

import (
	"runtime"
	"sync/atomic"
)

// maxSpin bounds how long the caller spins for helpers still finishing an
// item before it blocks (a few tens of microseconds).
const maxSpin = 1 << 16

// Run calls f(w, i) once for every i in [0, n), on the calling goroutine and
// up to workers-1 helper goroutines (workers <= 0 means runtime.GOMAXPROCS(0)),
// and returns when every call has returned. w, in [0, workers), names the
// goroutine making the call (0 is the caller), so f can keep state per
// goroutine without locks; each goroutine claims the next i in turn.
//
// The caller does not hand the work out and wait: it runs items too. A
// helper that a busy machine starts late (or never) just finds fewer items
// (or none) left, so Run is never much slower than a plain loop. The caller
// waits only for items helpers have claimed and not finished, spinning
// briefly first: blocking would make the Go runtime hand off the caller's
// thread (a goroutine called from C is locked to it) and wake it later. A
// helper calls f only for an item it claimed, and every claimed item is
// finished before Run returns, so no f runs afterwards.
//
// A panic in f (say, out of memory) is raised again in the caller's
// goroutine once every item is done, where the kernel's caller can recover
// it; the first one wins.
func Run(n, workers int, f func(w, i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	r := &run{n: int64(n), f: f, done: make(chan struct{})}
	for w := 1; w < workers; w++ {
		go r.work(w)
	}
	if !r.work(0) {
		for spin := 0; r.finished.Load() < r.n; spin++ {
			if spin == maxSpin { // a helper's thread was descheduled: stop burning the core
				<-r.done
				break
			}
		}
	}
	if p := r.panicked.Load(); p != nil {
		panic(*p)
	}
}

type run struct {
	n        int64
	f        func(w, i int)
	next     atomic.Int64  // the next item to claim
	finished atomic.Int64  // items done
	done     chan struct{} // closed by whoever finishes the last item
	panicked atomic.Pointer[any]
}

// work runs items until none is left to claim. It reports whether its own
// last item was the last of all to finish.
func (r *run) work(w int) bool {
	last := false
	for {
		i := r.next.Add(1) - 1
		if i >= r.n {
			return last
		}
		r.call(w, int(i))
		if r.finished.Add(1) == r.n {
			close(r.done)
			last = true
		}
	}
}

// call runs one item, keeping its panic for Run to raise again.
func (r *run) call(w, i int) {
	defer func() {
		if p := recover(); p != nil {
			r.panicked.CompareAndSwap(nil, &p)
		}
	}()
	r.f(w, i)
}
