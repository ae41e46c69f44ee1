package doubles

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// MinParallelBytes is the input size (in bytes of storage) below which
// CountParallel counts on the calling goroutine alone. Starting a helper
// costs the caller a few microseconds (a goroutine and a futex wake of an
// idle thread), and from Python the helper's thread is asleep between calls,
// so it starts counting only 10-50 us later: by then the caller has counted
// 1 MiB or more alone. From 4 MiB (about 100 us of counting) the helper's
// share outweighs both. docs/benchmarks.md shows the measured crossover.
const MinParallelBytes = 4 << 20

// pieceBytes is the unit of work that the caller and its helpers claim: about
// 5-10 us of counting, so that whoever finishes first waits at most that long
// for a piece another goroutine has in hand.
const pieceBytes = 256 << 10

// CountParallel returns Count(s), computed by the calling goroutine and up
// to workers-1 helper goroutines. workers <= 0 means runtime.GOMAXPROCS(0).
//
// The caller does not hand the work out and wait: it counts too, claiming
// pieces of s from a shared counter with the helpers. A helper that a busy
// machine starts late (or never) just finds fewer pieces (or none) left, so
// the call is never much slower than Count. The caller waits only for the
// pieces helpers have claimed and not finished, spinning briefly (blocking
// would make the Go runtime hand the caller's thread off, since a goroutine
// called from C is locked to its thread, and wake it again later).
//
// Piece k counts the pairs starting in [lo, hi): it reads s[lo : hi+1], one
// element past its share, so the pair that straddles a seam is counted exactly
// once, by the piece on its left. A helper reads s only after claiming a
// piece, and every claimed piece is finished before CountParallel returns, so
// no goroutine touches s afterwards.
func CountParallel[T Unit](s []T, workers int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var zero T
	size := int(unsafe.Sizeof(zero))
	if workers <= 1 || len(s)*size < MinParallelBytes {
		return Count(s)
	}
	pairs := len(s) - 1
	piece := pieceBytes / size
	w := &work[T]{s: s, piece: piece, pieces: int64((pairs + piece - 1) / piece), done: make(chan struct{})}
	if int64(workers) > w.pieces {
		workers = int(w.pieces)
	}
	for k := 1; k < workers; k++ {
		go w.run()
	}
	if w.run() {
		return int(w.total.Load())
	}
	for spin := 0; w.finished.Load() < w.pieces; spin++ {
		if spin == 1<<16 { // a helper's thread was descheduled: stop burning the core
			<-w.done
			break
		}
	}
	return int(w.total.Load())
}

type work[T Unit] struct {
	s        []T
	piece    int
	pieces   int64
	next     atomic.Int64 // the next piece to claim
	finished atomic.Int64 // pieces counted
	total    atomic.Int64
	done     chan struct{} // closed by whoever finishes the last piece
}

// run counts pieces until none is left to claim. It reports whether its own
// last piece was the last of all to finish.
func (w *work[T]) run() bool {
	last := false
	for {
		k := w.next.Add(1) - 1
		if k >= w.pieces {
			return last
		}
		lo := int(k) * w.piece
		hi := min(lo+w.piece, len(w.s)-1)
		w.total.Add(int64(Count(w.s[lo : hi+1])))
		if w.finished.Add(1) == w.pieces {
			close(w.done)
			last = true
		}
	}
}
