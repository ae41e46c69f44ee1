package doubles

import (
	"runtime"
	"sync"
)

// MinParallel is the length below which CountParallel counts on the calling
// goroutine. The sequential kernel runs near memory speed (tens of GB/s), so
// waking another core (tens of microseconds, more on a busy machine) pays
// off only for several megabytes.
const MinParallel = 1 << 22

// CountParallel returns Count(s), computed by up to workers goroutines over
// contiguous pieces. workers <= 0 means runtime.GOMAXPROCS(0).
//
// Piece k counts the pairs starting in [lo, hi): it reads s[lo : hi+1], one
// element past its share, so the pair that straddles a seam is counted exactly
// once, by the piece on its left.
func CountParallel[T Unit](s []T, workers int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if pieces := len(s) / (MinParallel / 4); workers > pieces {
		workers = pieces // keep every piece worth a goroutine
	}
	if workers <= 1 || len(s) < MinParallel {
		return Count(s)
	}
	pairs := len(s) - 1
	counts := make([]int, workers)
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		lo, hi := pairs*k/workers, pairs*(k+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[k] = Count(s[lo : hi+1])
		}()
	}
	wg.Wait()
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
