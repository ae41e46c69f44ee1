package arrow

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// goldenColumn returns n values of mixed lengths (0 to 40 bytes, most of
// them short, as in the benchmarks) drawn from about n/4 distinct ones.
func goldenColumn(n int) []string {
	s := make([]string, n)
	x := uint64(7)
	for i := range s {
		x = x*6364136223846793005 + 1442695040888963407
		v := (x >> 33) % uint64(n/4)
		switch v % 8 {
		case 0:
			s[i] = fmt.Sprintf("%x", v%16) // 1 byte
		case 1:
			s[i] = fmt.Sprintf("value number %d, a longer one", v) // 30+ bytes
		case 2:
			s[i] = fmt.Sprintf("id-%010d", v) // 13 bytes
		case 3:
			if v%3 == 0 {
				s[i] = ""
				break
			}
			fallthrough
		default:
			s[i] = fmt.Sprintf("w%d", v) // 2 to 7 bytes
		}
	}
	return s
}

// countState counts n with cvm counters as the extension does (workers
// counters merged into the first) and returns the counter.
func countState(t *testing.T, n *node, seed uint64, workers int) *cvm.Counter {
	t.Helper()
	a, err := Import(n)
	if err != nil {
		t.Fatal(err)
	}
	cs := make([]*cvm.Counter, workers)
	sinks := make([]Sink, workers)
	for i := range cs {
		cs[i] = cvm.New(300, seed)
		sinks[i] = cs[i]
	}
	s := NewScan(a, seed, workers)
	for lo := int64(0); lo < a.Length; lo += 7777 {
		if err := s.Run(a, lo, min(lo+7777, a.Length), sinks); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Finish(a, cs[0]); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs[1:] {
		if err := cs[0].Merge(c); err != nil {
			t.Fatal(err)
		}
	}
	return cs[0]
}

// digest folds the sorted keys of c into one value.
func digest(c *cvm.Counter) uint64 {
	keys := c.Keys(nil)
	slices.Sort(keys)
	h := uint64(len(keys))
	for _, k := range keys {
		h = (h ^ k) * 0x9e3779b97f4a7c15
		h ^= h >> 29
	}
	return h
}

// TestColumnGolden pins the counter state (exponent, length and a digest of
// the buffered keys) of string and binary columns in every layout, with and
// without nulls, on 1 to 3 workers: values computed by the scan as it was
// before the column loops of package cvm (key by key through AddKeys). Keys
// are part of the serialized format, and a column must count as its Python
// values do, so these must never change.
func TestColumnGolden(t *testing.T) {
	vals := goldenColumn(60000)
	for _, g := range []struct {
		format string
		nulls  bool
		seed   uint64
		k, len int
		digest uint64
	}{
		{"u", false, 0x6a09e667f3bcc908, 6, 175, 0xb7301b5b61fec882},
		{"u", false, 0x1, 6, 196, 0x254f77d83706f116},
		{"u", true, 0x6a09e667f3bcc908, 6, 167, 0xabe061230816e4b4},
		{"u", true, 0x1, 6, 184, 0xc48a357bde66acd9},
		{"U", false, 0x6a09e667f3bcc908, 6, 175, 0xb7301b5b61fec882},
		{"U", false, 0x1, 6, 196, 0x254f77d83706f116},
		{"U", true, 0x6a09e667f3bcc908, 6, 167, 0xabe061230816e4b4},
		{"U", true, 0x1, 6, 184, 0xc48a357bde66acd9},
		{"vu", false, 0x6a09e667f3bcc908, 6, 175, 0xb7301b5b61fec882},
		{"vu", false, 0x1, 6, 196, 0x254f77d83706f116},
		{"vu", true, 0x6a09e667f3bcc908, 6, 167, 0xabe061230816e4b4},
		{"vu", true, 0x1, 6, 184, 0xc48a357bde66acd9},
		{"z", false, 0x6a09e667f3bcc908, 6, 191, 0xbf03e0e43aaea0d8},
		{"z", false, 0x1, 6, 169, 0x2f4b9b9a61395e31},
		{"z", true, 0x6a09e667f3bcc908, 6, 186, 0xd5e8ea5e16b88e95},
		{"z", true, 0x1, 6, 161, 0xad78d0cbfff6b594},
		{"Z", false, 0x6a09e667f3bcc908, 6, 191, 0xbf03e0e43aaea0d8},
		{"Z", false, 0x1, 6, 169, 0x2f4b9b9a61395e31},
		{"Z", true, 0x6a09e667f3bcc908, 6, 186, 0xd5e8ea5e16b88e95},
		{"Z", true, 0x1, 6, 161, 0xad78d0cbfff6b594},
		{"vz", false, 0x6a09e667f3bcc908, 6, 191, 0xbf03e0e43aaea0d8},
		{"vz", false, 0x1, 6, 169, 0x2f4b9b9a61395e31},
		{"vz", true, 0x6a09e667f3bcc908, 6, 186, 0xd5e8ea5e16b88e95},
		{"vz", true, 0x1, 6, 161, 0xad78d0cbfff6b594},
	} {
		build := varlen
		if g.format[0] == 'v' {
			build = views
		}
		var valid []bool
		if g.nulls {
			valid = maskOf(len(vals))
		}
		for _, w := range []int{1, 2, 3} {
			c := countState(t, build(g.format, vals, valid), g.seed, w)
			if c.Exponent() != g.k || c.Len() != g.len || digest(c) != g.digest {
				t.Errorf("%s nulls=%v seed %#x, %d workers: k %d, %d keys, digest %#x; want k %d, %d keys, digest %#x",
					g.format, g.nulls, g.seed, w, c.Exponent(), c.Len(), digest(c), g.k, g.len, g.digest)
			}
		}
	}
}
