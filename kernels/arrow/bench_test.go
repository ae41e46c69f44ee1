package arrow

import (
	"fmt"
	"testing"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// shortStrings returns n strings "w<k>" with k below distinct.
func shortStrings(n, distinct int) []string {
	s := make([]string, n)
	x := uint64(1)
	for i := range s {
		x = x*6364136223846793005 + 1442695040888963407
		s[i] = fmt.Sprintf("w%d", (x>>33)%uint64(distinct))
	}
	return s
}

func benchScan(b *testing.B, n *node, workers int) {
	a, err := Import(n)
	if err != nil {
		b.Fatal(err)
	}
	threshold, _ := cvm.Threshold(0.5, 0.001, uint64(a.Length))
	b.SetBytes(int64(a.Length)) // "MB/s" reads as millions of elements per second
	for b.Loop() {
		sinks := make([]Sink, workers)
		cs := make([]*cvm.Counter, workers)
		for i := range sinks {
			cs[i] = cvm.New(threshold, 1)
			sinks[i] = cs[i]
		}
		s := NewScan(a, 1, workers)
		for lo := int64(0); lo < a.Length; lo += 1 << 18 {
			if err := s.Run(a, lo, min(lo+1<<18, a.Length), sinks); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range cs[1:] {
			if err := cs[0].Merge(c); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkShortStrings(b *testing.B) {
	words := shortStrings(1<<21, 1<<18)
	for _, f := range []string{"u", "vu"} {
		build := varlen
		if f == "vu" {
			build = views
		}
		n := build(f, words, nil)
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", f, w), func(b *testing.B) { benchScan(b, n, w) })
		}
		// as a dask worker gets them: the offsets or views at an odd address
		odd := build(f, words, nil)
		misalign(odd)
		b.Run(f+"/misaligned/workers=1", func(b *testing.B) { benchScan(b, odd, 1) })
	}
}

func BenchmarkInt64(b *testing.B) {
	vals := make([]uint64, 1<<21)
	x := uint64(1)
	for i := range vals {
		x = x*6364136223846793005 + 1442695040888963407
		vals[i] = (x >> 33) % (1 << 18)
	}
	n := fixed("l", 8, vals, nil)
	b.Run("workers=1", func(b *testing.B) { benchScan(b, n, 1) })
}
