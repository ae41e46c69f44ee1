package cvm

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// scanIntsRef is scanInts one value at a time.
func scanIntsRef(vals []uint64, off, pre uint64) int {
	whole := len(vals) &^ 7
	for i := range whole {
		if mixHead(vals[i]+off) <= pre {
			return i &^ 7
		}
	}
	return whole
}

// TestScanInts checks scanInts and each scan this CPU can run (not only the
// one scanInts picks) against the one-value reference.
func TestScanInts(t *testing.T) {
	if !useScan {
		t.Skip("this CPU has neither AVX2 nor AVX-512 F+DQ: addInts does not call scanInts")
	}
	variants := scanVariants()
	variants["scanInts"] = scanInts
	r := rng.New(7)
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
		// pre at the extremes and around the sign bit, where a signed
		// compare would differ from the unsigned one.
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

// TestAddIntsScan checks that the SIMD scan leaves a counter in the
// state the scalar loop does, on data that reach high levels and low ones.
func TestAddIntsScan(t *testing.T) {
	if !useScan {
		t.Skip("this CPU has neither AVX2 nor AVX-512 F+DQ: addInts does not call scanInts")
	}
	r := rng.New(3)
	shapes := map[string][]uint64{
		"1M_of_300k":  randomVals(1, 1_000_000, 300_000),
		"200k_of_100": randomVals(2, 200_000, 100),
		"sequential":  make([]uint64, 300_001),
		"negative":    make([]uint64, 100_003),
	}
	for i := range shapes["sequential"] {
		shapes["sequential"][i] = uint64(i)
	}
	for i := range shapes["negative"] {
		shapes["negative"][i] = uint64(-int64(r.Below(50_000)))
	}
	for name, vals := range shapes {
		for _, threshold := range []int{2, 64, 1740} {
			for _, seed := range []uint64{0, 1, 12345} {
				t.Run(fmt.Sprintf("%s/t=%d/seed=%d", name, threshold, seed), func(t *testing.T) {
					vec, scalar := New(threshold, seed), New(threshold, seed)
					vec.addInts(vals)
					useScan = false
					scalar.addInts(vals)
					useScan = true
					if vec.Exponent() != scalar.Exponent() || vec.Len() != scalar.Len() {
						t.Fatalf("scan: k=%d len=%d, scalar: k=%d len=%d",
							vec.Exponent(), vec.Len(), scalar.Exponent(), scalar.Len())
					}
					a, b := vec.Keys(nil), scalar.Keys(nil)
					slices.Sort(a)
					slices.Sort(b)
					if !slices.Equal(a, b) {
						t.Fatal("scan and scalar loop keep different keys")
					}
				})
			}
		}
	}
}

// BenchmarkScanInts times every scan this CPU has, and the reference, on
// 64K values (512 KiB, in cache) that rarely pass: the rows' ratios are
// what picks scanInts's variant for a CPU (see ints_amd64.go).
func BenchmarkScanInts(b *testing.B) {
	r := rng.New(1)
	vals := make([]uint64, 1<<16)
	for i := range vals {
		vals[i] = r.Below(1_000_000)
	}
	off, pre := spread(1, intDomain), levelLimit(20)
	variants := scanVariants()
	variants["reference"] = scanIntsRef
	for _, name := range slices.Sorted(maps.Keys(variants)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(8 * int64(len(vals)))
			for b.Loop() {
				variants[name](vals, off, pre)
			}
		})
	}
}
