package doubles

import (
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/internal/pool"
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
// to workers-1 helper goroutines (internal/pool: the caller counts too, so a
// helper that a busy machine starts late just finds fewer pieces left).
// workers <= 0 means runtime.GOMAXPROCS(0).
//
// Piece k counts the pairs starting in [lo, hi): it reads s[lo : hi+1], one
// element past its share, so the pair that straddles a seam is counted exactly
// once, by the piece on its left. pool.Run returns only once every piece is
// counted, so no goroutine touches s afterwards.
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
	var total atomic.Int64
	pool.Run((pairs+piece-1)/piece, workers, func(_, k int) {
		lo := k * piece
		hi := min(lo+piece, len(s)-1)
		total.Add(int64(Count(s[lo : hi+1])))
	})
	return int(total.Load())
}
