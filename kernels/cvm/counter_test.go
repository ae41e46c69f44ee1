package cvm

import (
	"math/bits"
	"slices"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// sortedKeys returns the buffer of c, sorted.
func sortedKeys(c *Counter) []uint64 {
	k := c.Keys(nil)
	slices.Sort(k)
	return k
}

func sameState(a, b *Counter) bool {
	return a.Exponent() == b.Exponent() && slices.Equal(sortedKeys(a), sortedKeys(b))
}

// refState computes the state a counter must have after seeing the key set
// keys, from its definition: the smallest k with fewer than threshold keys of
// level >= k, and those keys.
func refState(threshold int, keys []uint64) (int, []uint64) {
	set := map[uint64]bool{}
	for _, key := range keys {
		set[key] = true
	}
	for k := 0; ; k++ {
		var buf []uint64
		for key := range set {
			if bits.LeadingZeros64(key) >= k {
				buf = append(buf, key)
			}
		}
		if len(buf) < threshold {
			slices.Sort(buf)
			return k, buf
		}
	}
}

func checkRef(t *testing.T, c *Counter, keys []uint64) {
	t.Helper()
	k, buf := refState(c.Threshold(), keys)
	if c.Exponent() != k || !slices.Equal(sortedKeys(c), buf) {
		t.Fatalf("state k=%d with %d keys, want k=%d with %d keys", c.Exponent(), c.Len(), k, len(buf))
	}
	if c.Len() >= c.Threshold() {
		t.Fatalf("%d keys in a buffer of threshold %d", c.Len(), c.Threshold())
	}
}

func intKeys(seed uint64, vals []uint64) []uint64 {
	keys := make([]uint64, len(vals))
	for i, v := range vals {
		keys[i] = KeyInt64(seed, int64(v))
	}
	return keys
}

// randomVals returns n values from [0, distinct).
func randomVals(seed uint64, n, distinct int) []uint64 {
	r := rng.New(seed)
	v := make([]uint64, n)
	for i := range v {
		v[i] = r.Below(uint64(distinct))
	}
	return v
}

func TestExact(t *testing.T) {
	for _, distinct := range []int{0, 1, 10, 999} {
		c := New(1000, testSeed)
		c.AddKeys(intKeys(testSeed, randomVals(1, 5000, distinct)))
		want := len(distinct_(intKeys(testSeed, randomVals(1, 5000, distinct))))
		if c.Exponent() != 0 || c.Estimate() != float64(want) {
			t.Errorf("%d distinct: k=%d estimate %v, want exact %d", distinct, c.Exponent(), c.Estimate(), want)
		}
	}
}

func distinct_(keys []uint64) map[uint64]bool { return distinct(keys) }

func TestMatchesDefinition(t *testing.T) {
	for _, threshold := range []int{2, 4, 16, 100, 1000} {
		for _, n := range []int{10, 1000, 20000} {
			keys := intKeys(testSeed, randomVals(uint64(n), n, n/2+1))
			c := New(threshold, testSeed)
			for chunk := range slices.Chunk(keys, 777) {
				c.AddKeys(chunk)
			}
			checkRef(t, c, keys)
		}
	}
}

// The key 0 (level 64) stays at every exponent.
func TestZeroKey(t *testing.T) {
	c := New(2, testSeed)
	keys := []uint64{0, 0, 1 << 63, 1, 0, 5, 1 << 40}
	c.AddKeys(keys)
	checkRef(t, c, keys)
	if c.Len() != 1 || c.Exponent() != 64 {
		t.Errorf("k=%d len %d, want only the key 0 at k=64", c.Exponent(), c.Len())
	}
}

// The same set in any order, with any repetitions, split into parts merged
// in any tree, gives the same state.
func TestMergeInvariance(t *testing.T) {
	vals := randomVals(9, 60000, 20000)
	keys := intKeys(testSeed, vals)
	for _, threshold := range []int{64, 1000, 30000} {
		whole := New(threshold, testSeed)
		whole.AddKeys(keys)
		checkRef(t, whole, keys)
		r := rng.New(uint64(threshold))
		for trial := range 10 {
			perm := slices.Clone(keys)
			for i := len(perm) - 1; i > 0; i-- {
				j := r.Below(uint64(i + 1))
				perm[i], perm[j] = perm[j], perm[i]
			}
			// Random parts, merged in a random tree.
			var parts []*Counter
			for len(perm) > 0 {
				n := min(len(perm), 1+int(r.Below(20000)))
				p := New(threshold, testSeed)
				p.AddKeys(perm[:n])
				parts = append(parts, p)
				perm = perm[n:]
			}
			for len(parts) > 1 {
				i := int(r.Below(uint64(len(parts) - 1)))
				if err := parts[i].Merge(parts[i+1]); err != nil {
					t.Fatal(err)
				}
				parts = slices.Delete(parts, i+1, i+2)
			}
			if !sameState(whole, parts[0]) {
				t.Errorf("threshold %d trial %d: merged k=%d len %d, whole k=%d len %d", threshold, trial,
					parts[0].Exponent(), parts[0].Len(), whole.Exponent(), whole.Len())
			}
		}
	}
}

func TestMergeIncompatible(t *testing.T) {
	a := New(100, 1)
	for _, b := range []*Counter{New(100, 2), New(102, 1)} {
		if err := a.Merge(b); err == nil {
			t.Errorf("merged seed %d threshold %d into seed 1 threshold 100", b.Seed(), b.Threshold())
		}
	}
	if err := a.Merge(a); err != nil {
		t.Errorf("self merge: %v", err)
	}
}

func TestClone(t *testing.T) {
	a := New(100, testSeed)
	a.AddKeys(intKeys(testSeed, randomVals(1, 10000, 5000)))
	b := a.Clone()
	if !sameState(a, b) {
		t.Error("clone differs")
	}
	b.AddKeys(intKeys(testSeed, randomVals(2, 10000, 50000)))
	if sameState(a, b) {
		t.Error("clone shares state with the original")
	}
}

// A counter of the largest threshold takes no memory until it sees keys,
// and its table grows with the buffer.
func TestMemoryGrowsWithBuffer(t *testing.T) {
	c := New(MaxThreshold, testSeed)
	if len(c.t.slots) != 0 {
		t.Fatalf("a new counter has %d slots", len(c.t.slots))
	}
	c.AddKeys(intKeys(testSeed, randomVals(1, 1000, 100)))
	if len(c.t.slots) > slotsFor(100) {
		t.Errorf("%d slots for 100 keys", len(c.t.slots))
	}
	c.Reset()
	if len(c.t.slots) != 0 || c.Len() != 0 {
		t.Error("Reset kept the table")
	}
}

func TestNewRoundsThreshold(t *testing.T) {
	if New(5, 1).Threshold() != 6 {
		t.Error("odd threshold not rounded up")
	}
	for _, bad := range []int{1, MaxThreshold + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d) did not panic", bad)
				}
			}()
			New(bad, 1)
		}()
	}
}

func FuzzAdd(f *testing.F) {
	f.Add([]byte("abcabcabd\xff\xff"), uint64(1), uint8(0))
	f.Add(make([]byte, 300), uint64(2), uint8(3))
	f.Add([]byte("the quick brown fox jumps over the lazy dog"), uint64(3), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, thr uint8) {
		threshold := 2 + 2*int(thr%32)
		// Two bytes per key, from a small key space to get repeats; a
		// leading 0xff byte makes a key of high level (many leading zeros).
		var keys []uint64
		for i := 0; i+1 < len(data); i += 2 {
			key := KeyInt64(seed, int64(data[i])<<8|int64(data[i+1]))
			if data[i] == 0xff {
				key = uint64(data[i+1]) << (data[i+1] % 64)
			}
			keys = append(keys, key)
		}
		c := New(threshold, seed)
		parts := [2]*Counter{New(threshold, seed), New(threshold, seed)}
		for i := 0; i < len(keys); {
			n := min(len(keys)-i, 1+int(seed%13))
			c.AddKeys(keys[i : i+n])
			parts[i%2].AddKeys(keys[i : i+n])
			checkRef(t, c, keys[:i+n])
			i += n
		}
		if err := parts[1].Merge(parts[0]); err != nil {
			t.Fatal(err)
		}
		if !sameState(c, parts[1]) {
			t.Error("merged parts differ from the whole")
		}
	})
}
