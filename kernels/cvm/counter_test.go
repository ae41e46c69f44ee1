package cvm

import (
	"slices"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// collidingKey returns keys whose hashes share a fingerprint and fall in a
// few neighboring home slots (mod 256), so that probe runs are long and
// lookups must confirm fingerprint matches against the full key. It finds
// them by search, about 2^21 tries each, so x should take few values.
func collidingKey(x uint64) uint64 {
	if k, ok := colliding[x]; ok {
		return k
	}
	for k := (x + 1) << 40; ; k++ { // far from the small ints of the tests
		if h := hash(k); fingerprint(h) == 0xABCD && h&255 == x&3 {
			colliding[x] = k
			return k
		}
	}
}

var colliding = map[uint64]uint64{}

// refCounter is a plain implementation of the same algorithm, with a Go map
// for the buffer. It draws random numbers exactly as Counter does, so the two
// must agree item by item.
type refCounter struct {
	threshold int
	rand      rng.Rand
	k         int
	coins     uint64 // coins of the rest of the current 64 items, low bit first
	left      int
	dense     []uint64
	pos       map[uint64]int
}

func newRef(threshold int, seed uint64) *refCounter {
	return &refCounter{threshold: threshold, rand: rng.New(seed), pos: map[uint64]int{}}
}

// coin returns true with probability 2^-k: bit j of the coins of 64 items
// is the AND of bit j of k negated draws, drawn when the first of the 64
// needs its coin, stopping once all 64 coins are false.
func (r *refCounter) coin() bool {
	if r.left == 0 {
		r.coins, r.left = 1<<64-1, 64
		for range r.k {
			if r.coins == 0 {
				break
			}
			r.coins &^= r.rand.Uint64()
		}
	}
	coin := r.coins&1 == 1
	r.coins >>= 1
	r.left--
	return coin
}

func (r *refCounter) add(key uint64) {
	coin := r.coin()
	p, present := r.pos[key]
	switch {
	case present && !coin:
		last := r.dense[len(r.dense)-1]
		r.dense[p] = last
		r.pos[last] = p
		r.dense = r.dense[:len(r.dense)-1]
		delete(r.pos, key)
	case !present && coin:
		r.pos[key] = len(r.dense)
		r.dense = append(r.dense, key)
	}
	if len(r.dense) == r.threshold {
		n := len(r.dense)
		for i := 0; i < n/2; i++ {
			j := i + int(r.rand.Below(uint64(n-i)))
			r.dense[i], r.dense[j] = r.dense[j], r.dense[i]
		}
		for _, key := range r.dense[n/2:] {
			delete(r.pos, key)
		}
		r.dense = r.dense[:n/2]
		for i, key := range r.dense {
			r.pos[key] = i
		}
		r.k++
		// The coins already drawn for the rest of the 64 items get one
		// more random bit each.
		if r.left > 0 && r.coins != 0 {
			r.coins &^= r.rand.Uint64()
		}
	}
}

// checkInvariants verifies the table: the dense keys are distinct and each
// is reachable in the hash table, whose slots point back at their positions.
func checkInvariants(t testing.TB, c *Counter) {
	t.Helper()
	tb := &c.t
	if n := len(tb.dense); n >= c.threshold {
		t.Fatalf("Len() = %d, threshold %d", n, c.threshold)
	}
	used := 0
	seen := make([]bool, len(tb.dense))
	for i, fp := range tb.fps {
		if fp == 0 {
			continue
		}
		used++
		p := tb.pos[i]
		if int(p) >= len(tb.dense) || seen[p] {
			t.Fatalf("slot %d points at dense position %d of %d, or twice", i, p, len(tb.dense))
		}
		seen[p] = true
		key := tb.dense[p]
		if fp != fingerprint(hash(key)) {
			t.Fatalf("slot %d: fingerprint %#x, key %#x", i, fp, key)
		}
		if j, ok := tb.find(key); !ok || j != i {
			t.Fatalf("slot %d: key %#x not reachable from its home (find = %d, %v)", i, key, j, ok)
		}
	}
	if used != len(tb.dense) {
		t.Fatalf("%d keys in the hash table, %d in the dense array", used, len(tb.dense))
	}
}

// checkSame fails unless c and r are in the same state.
func checkSame(t testing.TB, c *Counter, r *refCounter) {
	t.Helper()
	if c.Exponent() != r.k || c.Len() != len(r.dense) {
		t.Fatalf("Counter has k=%d, |X|=%d; reference has k=%d, |X|=%d", c.Exponent(), c.Len(), r.k, len(r.dense))
	}
	for p, key := range r.dense {
		if c.t.dense[p] != key {
			t.Fatalf("dense position %d: Counter has %#x, reference has key %#x", p, c.t.dense[p], key)
		}
	}
}

// stream returns n keys drawn uniformly from distinct values, labeled by
// label.
func stream(seed uint64, n, distinct int, label func(uint64) uint64) []uint64 {
	r := rng.New(seed)
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = label(r.Below(uint64(distinct)))
	}
	return keys
}

func identity(x uint64) uint64 { return x }

// addChunks adds keys in chunks of random sizes, including empty ones.
func addChunks(c *Counter, keys []uint64, seed uint64) {
	r := rng.New(seed)
	for len(keys) > 0 {
		n := min(int(r.Below(100)), len(keys))
		if r.Below(4) == 0 {
			n = min(int(r.Below(5000)), len(keys))
		}
		c.Add(keys[:n])
		keys = keys[n:]
	}
}

func TestExact(t *testing.T) {
	tests := []struct{ threshold, distinct, repeat int }{
		{2, 1, 5},
		{4, 3, 3},
		{64, 63, 10},
		{1000, 1, 100},
		{1000, 999, 2},
		{1740, 1000, 7},
	}
	for _, tt := range tests {
		// Odd values below 100 get colliding keys.
		d := uint64(tt.distinct)
		label := func(x uint64) uint64 {
			if x%2 == 1 && x < 100 {
				return collidingKey(x)
			}
			return x
		}
		keys := stream(2, tt.distinct*tt.repeat, tt.distinct, label)
		for x := range d { // every value at least once
			keys = append(keys, label(x))
		}
		c := New(tt.threshold, 1)
		addChunks(c, keys, 3)
		checkInvariants(t, c)
		if c.Exponent() != 0 || c.Estimate() != float64(tt.distinct) {
			t.Errorf("threshold %d, %d distinct: Estimate() = %v, Exponent() = %d", tt.threshold, tt.distinct, c.Estimate(), c.Exponent())
		}
	}
}

// Reaching the threshold halves p at once, so Len stays below it.
func TestFirstHalving(t *testing.T) {
	c := New(10, 1)
	for i := range uint64(9) {
		c.Add([]uint64{i})
	}
	if c.Exponent() != 0 || c.Len() != 9 {
		t.Fatalf("after 9 distinct: k=%d, |X|=%d", c.Exponent(), c.Len())
	}
	c.Add([]uint64{9})
	if c.Exponent() != 1 || c.Len() != 5 || c.Estimate() != 10 {
		t.Fatalf("after 10 distinct: k=%d, |X|=%d, estimate %v; want 1, 5, 10", c.Exponent(), c.Len(), c.Estimate())
	}
	checkInvariants(t, c)
}

func TestNewRoundsThreshold(t *testing.T) {
	if got := New(7, 0).Threshold(); got != 8 {
		t.Errorf("New(7).Threshold() = %d, want 8", got)
	}
	for _, bad := range []int{-1, 0, 1, MaxThreshold + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d) did not panic", bad)
				}
			}()
			New(bad, 0)
		}()
	}
}

func TestMatchesReference(t *testing.T) {
	tests := []struct{ threshold, n, distinct int }{
		{2, 2000, 50},
		{4, 5000, 1000},
		{10, 20000, 300},
		{64, 50000, 1 << 62},
		{1000, 200000, 30000},
	}
	for _, tt := range tests {
		for seed := range uint64(3) {
			keys := stream(seed+100, tt.n, tt.distinct, identity)
			for i := 0; i < len(keys); i += 7 {
				keys[i] = collidingKey(keys[i] % 64)
			}
			c, r := New(tt.threshold, seed), newRef(tt.threshold, seed)
			for len(keys) > 0 {
				n := min(len(keys), 333)
				c.Add(keys[:n])
				for _, k := range keys[:n] {
					r.add(k)
				}
				checkSame(t, c, r)
				checkInvariants(t, c)
				keys = keys[n:]
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	keys := stream(5, 300000, 50000, identity)
	a, b := New(500, 9), New(500, 9)
	a.Add(keys)
	addChunks(b, keys, 1)
	if a.Estimate() != b.Estimate() || a.Exponent() != b.Exponent() || !slices.Equal(a.t.dense, b.t.dense) {
		t.Errorf("one chunk: %v (k=%d); many chunks: %v (k=%d)", a.Estimate(), a.Exponent(), b.Estimate(), b.Exponent())
	}
	e := a.Estimate()
	a.Reset()
	if a.Len() != 0 || a.Exponent() != 0 || a.Estimate() != 0 {
		t.Fatalf("after Reset: |X|=%d, k=%d", a.Len(), a.Exponent())
	}
	a.Add(keys)
	if a.Estimate() != e {
		t.Errorf("after Reset: %v, before: %v", a.Estimate(), e)
	}
	checkInvariants(t, a)
}

// The estimate depends only on the seed and the equality pattern of the
// stream: relabeling the keys by any bijection, as a different
// PYTHONHASHSEED does to str hashes, gives identical results.
func TestRelabelInvariant(t *testing.T) {
	perm := rng.New(77)
	random := map[uint64]uint64{} // a random injective labeling
	used := map[uint64]bool{}
	labelings := map[string]func(uint64) uint64{
		"identity": identity,
		"affine":   func(x uint64) uint64 { return x*0x9E3779B97F4A7C15 + 12345 },
		"hashlike": func(x uint64) uint64 { return KeyFromPyHash(int64(hash(x))) },
		"random": func(x uint64) uint64 {
			if v, ok := random[x]; ok {
				return v
			}
			v := perm.Uint64()
			for used[v] {
				v = perm.Uint64()
			}
			used[v] = true
			random[x] = v
			return v
		},
		// Values below 100 take colliding keys.
		"colliding": func(x uint64) uint64 {
			if x < 100 {
				return collidingKey(x)
			}
			return x
		},
	}
	for _, threshold := range []int{16, 1740} {
		for seed := range uint64(4) {
			want := -1.0
			var wantLen []int
			for name, label := range labelings {
				keys := stream(seed, 200000, 40000, label)
				c := New(threshold, seed)
				var lens []int
				for len(keys) > 0 {
					n := min(len(keys), 16384)
					c.Add(keys[:n])
					lens = append(lens, c.Len()<<8|c.Exponent())
					keys = keys[n:]
				}
				if want < 0 {
					want, wantLen = c.Estimate(), lens
				} else if c.Estimate() != want || !slices.Equal(lens, wantLen) {
					t.Errorf("threshold %d, seed %d: labeling %q gives estimate %v, others %v", threshold, seed, name, c.Estimate(), want)
				}
			}
		}
	}
}

// Large exponents do not occur in practice but must work.
func TestLargeExponent(t *testing.T) {
	for _, k := range []int{63, 64, 65, 128, 200} {
		c, r := New(8, 3), newRef(8, 3)
		c.k, r.k = k, k
		keys := stream(1, 10000, 100, identity)
		c.Add(keys)
		for _, key := range keys {
			r.add(key)
		}
		checkSame(t, c, r)
		if c.Len() != 0 {
			t.Errorf("k=%d: %d keys inserted with probability 2^-%d", k, c.Len(), k)
		}
	}
}

func FuzzAdd(f *testing.F) {
	f.Add([]byte("abcabcabd\xff\xff"), uint64(1), uint8(0))
	f.Add(make([]byte, 300), uint64(2), uint8(3))
	f.Add([]byte("the quick brown fox jumps over the lazy dog"), uint64(3), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, thr uint8) {
		threshold := 2 + 2*int(thr%32)
		c, r := New(threshold, seed), newRef(threshold, seed)
		// Two bytes per key, from a small key space to get repeats; 0xff
		// selects a colliding key.
		var keys []uint64
		for i := 0; i+1 < len(data); i += 2 {
			key := uint64(data[i])<<8 | uint64(data[i+1])
			if data[i] == 0xff {
				key = collidingKey(uint64(data[i+1]))
			}
			keys = append(keys, key)
		}
		for len(keys) > 0 {
			n := min(len(keys), 1+int(seed%13))
			c.Add(keys[:n])
			for _, key := range keys[:n] {
				r.add(key)
			}
			checkInvariants(t, c)
			checkSame(t, c, r)
			keys = keys[n:]
		}
	})
}

func TestCollidingKey(t *testing.T) {
	h := hash(collidingKey(5))
	if fingerprint(h) != fingerprint(hash(collidingKey(6))) || h&3 != 1 {
		t.Errorf("collidingKey does not collide: %#x", h)
	}
}
