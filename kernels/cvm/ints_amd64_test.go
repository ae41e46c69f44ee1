package cvm

import (
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
	"golang.org/x/sys/cpu"
)

// TestScanIntsVariants checks each scan this CPU can run against the
// one-value reference, not only the one scanInts picks.
func TestScanIntsVariants(t *testing.T) {
	variants := map[string]func([]uint64, uint64, uint64) int{}
	if cpu.X86.HasAVX2 {
		variants["AVX2"] = scanInts2
	}
	if hasAVX512 {
		variants["AVX-512"] = scanInts512
	}
	if len(variants) == 0 {
		t.Skip("this CPU has neither AVX2 nor AVX-512 F+DQ: addInts does not scan")
	}
	r := rng.New(11)
	for name, scan := range variants {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 63, 64, 1000, 4099} {
			for _, k := range []int{0, 1, 3, 6, 9, 14, 20, 31} {
				vals := make([]uint64, n)
				for i := range vals {
					vals[i] = r.Uint64()
				}
				off, pre := r.Uint64(), levelLimit(k)
				if got, want := scan(vals, off, pre), scanIntsRef(vals, off, pre); got != want {
					t.Errorf("%s n=%d k=%d: scan = %d, want %d", name, n, k, got, want)
				}
			}
		}
		// Values whose keys sit on either side of pre, and pre at the
		// extremes, where a signed compare would differ from an unsigned one.
		for _, pre := range []uint64{0, 1, 1 << 63, 1<<63 - 1, 1<<63 + 1, ^uint64(0)} {
			vals := make([]uint64, 64)
			for i := range vals {
				vals[i] = r.Uint64()
			}
			if got, want := scan(vals, 0, pre), scanIntsRef(vals, 0, pre); got != want {
				t.Errorf("%s pre=%#x: scan = %d, want %d", name, pre, got, want)
			}
		}
	}
}
