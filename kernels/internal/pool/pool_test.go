package pool

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCallsEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100, 10000} {
		for _, workers := range []int{-1, 0, 1, 2, 3, 16, 20000} {
			counts := make([]atomic.Int32, n)
			Run(n, workers, func(_, i int) { counts[i].Add(1) })
			for i := range counts {
				if c := counts[i].Load(); c != 1 {
					t.Fatalf("n=%d workers=%d: item %d ran %d times", n, workers, i, c)
				}
			}
		}
	}
}

func TestRunWorkerIndexes(t *testing.T) {
	const n, workers = 5000, 4
	// Per-goroutine state indexed by w must never be shared: each slot is
	// written without a lock (the race detector checks this under -race).
	state := make([]int, workers)
	// Helpers hold their items until the caller has run one (or a second
	// has passed), so a caller that does not work fails the test instead of
	// the helpers, started first, happening to claim every item.
	var callerRan atomic.Bool
	Run(n, workers, func(w, i int) {
		if w < 0 || w >= workers {
			t.Errorf("worker index %d outside [0, %d)", w, workers)
			return
		}
		if w == 0 {
			callerRan.Store(true)
		}
		for deadline := time.Now().Add(time.Second); !callerRan.Load() && time.Now().Before(deadline); {
			runtime.Gosched()
		}
		state[w]++
	})
	total := 0
	for _, s := range state {
		total += s
	}
	if total != n {
		t.Fatalf("items run %d, want %d", total, n)
	}
	if state[0] == 0 {
		t.Fatal("the caller (worker 0) ran no item: it must work too")
	}
}

// A slow helper item: Run waits for it (past its spin) and no item runs
// after Run returns.
func TestRunWaitsForSlowHelpers(t *testing.T) {
	var after atomic.Bool
	var running atomic.Int32
	Run(8, 4, func(w, i int) {
		running.Add(1)
		if w != 0 {
			time.Sleep(20 * time.Millisecond)
		}
		if after.Load() {
			t.Error("an item ran after Run returned")
		}
		running.Add(-1)
	})
	after.Store(true)
	if r := running.Load(); r != 0 {
		t.Fatalf("%d items still running after Run returned", r)
	}
}

// A panic in any goroutine's item reaches Run's caller, after every item
// has run (the others are not abandoned half done).
func TestRunRaisesPanicInCaller(t *testing.T) {
	for _, workers := range []int{1, 4} {
		var ran atomic.Int32
		got := func() (p any) {
			defer func() { p = recover() }()
			Run(100, workers, func(_, i int) {
				ran.Add(1)
				if i == 37 {
					panic("item 37")
				}
			})
			return nil
		}()
		if got != "item 37" {
			t.Fatalf("workers=%d: recovered %v, want the item's panic", workers, got)
		}
		if workers > 1 && ran.Load() != 100 {
			t.Fatalf("workers=%d: %d items ran before the panic was raised, want all 100", workers, ran.Load())
		}
	}
}
