package cvm

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// A Counter estimates the number of distinct keys added to it with the CVM
// algorithm. Its memory is proportional to its threshold, whatever the
// length of the stream. The zero value is not usable; call New.
//
// A Counter is not safe for concurrent use.
type Counter struct {
	t         table
	threshold int
	seed      uint64
	rand      rng.Rand

	// k is the exponent of the sampling probability p = 2^-k.
	k int

	// Coins are flipped 64 items at a time, for the items at stream
	// positions 64i to 64i+63: bit j of coins is the coin of item 64i+j, and
	// the low coinsLeft bits, those of the items not yet added, are unused.
	coins     uint64
	coinsLeft int

	// nans counts the NaN elements given fresh keys by AddArray.
	nans uint64
}

// New returns a Counter whose buffer holds fewer than threshold keys (see
// Threshold) and whose random choices derive from seed. An odd threshold is
// rounded up to an even number. New panics if threshold is less than 2 or
// greater than MaxThreshold.
func New(threshold int, seed uint64) *Counter {
	if threshold < 2 || threshold > MaxThreshold {
		panic(fmt.Sprintf("cvm: threshold %d out of range [2, %d]", threshold, MaxThreshold))
	}
	threshold += threshold & 1
	c := &Counter{threshold: threshold, seed: seed}
	c.t.init(threshold)
	c.Reset()
	return c
}

// Reset returns c to its state after New, with the same threshold and seed, so
// that adding the same stream again gives the same estimate.
func (c *Counter) Reset() {
	c.t.clear()
	c.rand = rng.New(c.seed)
	c.k = 0
	c.coins, c.coinsLeft = 0, 0
	c.nans = 0
}

// Threshold returns the buffer size of c.
func (c *Counter) Threshold() int { return c.threshold }

// Len returns the number of keys in the buffer, |X|. It is always less than
// the threshold.
func (c *Counter) Len() int { return len(c.t.dense) }

// Exponent returns k, where p = 2^-k is the current sampling probability.
func (c *Counter) Exponent() int { return c.k }

// Estimate returns the estimated number of distinct keys added so far,
// |X|/p. While the exponent is 0 it is the exact count.
func (c *Counter) Estimate() float64 {
	return math.Ldexp(float64(len(c.t.dense)), c.k)
}

// Add adds keys to the stream, in order. Adding a stream in one call or in
// several gives the same result.
//
// Each item flips its coin first, so that it costs one lookup: a true coin
// inserts the key if absent (and leaves it in place if present, which is
// the same as removing and reinserting it); a false coin removes it if
// present. Most items find coin == present and change nothing.
func (c *Counter) Add(keys []uint64) {
	for len(keys) > 0 {
		if c.coinsLeft == 0 {
			c.coins, c.coinsLeft = c.flipCoins(), 64
		}
		n := min(c.coinsLeft, len(keys))
		if c.coins == 0 {
			// No coin is true among these items (the usual case once p
			// is small): they can only remove keys.
			c.removeAll(keys[:n])
			c.coinsLeft -= n
		} else {
			// Up to the last true coin; the rest can only remove.
			n = min(n, bits.Len64(c.coins))
			c.addCoins(keys[:n])
		}
		keys = keys[n:]
	}
}

// addCoins adds keys, which have the next len(keys) coins.
func (c *Counter) addCoins(keys []uint64) {
	t := &c.t
	fps := t.fps
	mask := uint64(len(fps) - 1)
	for _, key := range keys {
		coin := c.coins&1 != 0
		c.coins >>= 1
		c.coinsLeft--

		h := hash(key)
		fp := fingerprint(h)
		i := h & mask
		present := false
		for {
			f := fps[i]
			if f == 0 {
				break
			}
			if f == fp && t.dense[t.pos[i]] == key {
				present = true
				break
			}
			i = (i + 1) & mask
		}
		if coin == present {
			continue
		}
		if !coin {
			t.removeAt(int(i))
			continue
		}
		t.insertAt(int(i), key, h)
		if len(t.dense) == c.threshold {
			c.halve()
		}
	}
}

// removeAll adds keys whose coins are all false: each key present is
// removed.
func (c *Counter) removeAll(keys []uint64) {
	t := &c.t
	fps := t.fps
	mask := uint64(len(fps) - 1)
	for _, key := range keys {
		h := hash(key)
		fp := fingerprint(h)
		for i := h & mask; fps[i] != 0; i = (i + 1) & mask {
			if fps[i] == fp && t.dense[t.pos[i]] == key {
				t.removeAt(int(i))
				break
			}
		}
	}
}

// flipCoins returns the coins of the next 64 items: each bit is 1 with
// probability p = 2^-k, independently, being the AND of k random bits (bit j
// of k 64-bit draws). The draws stop early once every coin is 0, which
// usually happens after about log2(64) draws when k is large.
func (c *Counter) flipCoins() uint64 {
	w := ^uint64(0)
	for i := 0; i < c.k && w != 0; i++ {
		w &^= c.rand.Uint64()
	}
	return w
}

// halve keeps a uniformly random subset of exactly half of the full buffer
// and halves p. A partial Fisher–Yates shuffle picks the survivors by dense
// position, so the choice depends only on the seed and the stream's equality
// pattern, not on the key values or the hash table layout.
//
// The coins already flipped for the rest of the current 64 items had
// probability 2^-k; one more random bit each makes them 2^-(k+1).
func (c *Counter) halve() {
	d := c.t.dense
	n, half := len(d), len(d)/2
	for i := range half {
		j := i + int(c.rand.Below(uint64(n-i)))
		d[i], d[j] = d[j], d[i]
	}
	c.t.dense = d[:half]
	c.t.rebuild()
	c.k++
	if c.coinsLeft > 0 && c.coins != 0 {
		c.coins &^= c.rand.Uint64()
	}
}
