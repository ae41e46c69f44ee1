package cvm

import (
	"encoding/binary"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

const benchKeys = 10_000_000

// benchThreshold is the threshold for epsilon 0.5, delta 0.001 and a stream
// of 10M items: 1740.
func benchThreshold(b *testing.B, epsilon float64) int {
	threshold, err := Threshold(epsilon, 0.001, benchKeys)
	if err != nil {
		b.Fatal(err)
	}
	return threshold
}

// benchAdd adds keys per op in chunks of 16K, as the Python binding does,
// and reports the time per key.
func benchAdd(b *testing.B, threshold int, keys []uint64) {
	c := New(threshold, 1)
	b.SetBytes(8 * int64(len(keys)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Reset()
		for chunk := range slices.Chunk(keys, 16384) {
			c.AddKeys(chunk)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(keys)), "ns/key")
}

func BenchmarkAdd(b *testing.B) {
	// The article's workload shape: many repeats of a modest vocabulary.
	repeated := intKeys(1, randomVals(1, benchKeys, 100_000))
	b.Run("10M_of_100k/eps=0.5", func(b *testing.B) { benchAdd(b, benchThreshold(b, 0.5), repeated) })
	b.Run("10M_of_100k/eps=0.1", func(b *testing.B) { benchAdd(b, benchThreshold(b, 0.1), repeated) })
	distinct := make([]uint64, benchKeys)
	for i := range distinct {
		distinct[i] = KeyInt64(1, int64(i))
	}
	b.Run("10M_distinct/eps=0.5", func(b *testing.B) { benchAdd(b, benchThreshold(b, 0.5), distinct) })
}

func BenchmarkAddArrayParallel(b *testing.B) {
	r := rng.New(1)
	ints := make([]byte, 0, 8*benchKeys)
	for range benchKeys {
		ints = binary.NativeEndian.AppendUint64(ints, r.Below(1_000_000))
	}
	c := New(benchThreshold(b, 0.5), 1)
	b.SetBytes(int64(len(ints)))
	for b.Loop() {
		c.Reset()
		if err := c.AddArrayParallel(Int64, ints, runtime.GOMAXPROCS(0)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchKeys, "ns/key")
}

// scalarBench marks a BenchmarkAddArray row run without the SIMD scan.
const scalarBench ElemKind = 1 << 6

func BenchmarkAddArray(b *testing.B) {
	// 10M values from 100k distinct, as int64s and as the equal float64s.
	r := rng.New(1)
	ints := make([]byte, 0, 8*benchKeys)
	floats := make([]byte, 0, 8*benchKeys)
	for range benchKeys {
		v := r.Below(100_000)
		ints = binary.NativeEndian.AppendUint64(ints, v)
		floats = binary.NativeEndian.AppendUint64(floats, math.Float64bits(float64(v)))
	}
	for _, kind := range []ElemKind{Int64, Int64 | scalarBench, Float64} {
		data := ints
		if kind == Float64 {
			data = floats
		}
		name := kind.String()
		if kind&scalarBench != 0 {
			// Int64 without the SIMD scan: the ratio of the two rows is
			// what scanInts gains on this CPU.
			kind &^= scalarBench
			name = "Int64/scalar"
			defer func(was bool) { useScan = was }(useScan)
		}
		b.Run(name, func(b *testing.B) {
			useScan = useScan && name != "Int64/scalar"
			c := New(benchThreshold(b, 0.5), 1)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				c.Reset()
				for chunk := range slices.Chunk(data, 8*16384) {
					c.AddArray(kind, chunk)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchKeys, "ns/key")
		})
	}
}
