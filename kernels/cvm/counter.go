package cvm

import (
	"fmt"
	"math"

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
	// positions 64i to 64i+63 (counted from New or Reset), so that the
	// result does not depend on how the stream is split into Add calls.
	// The low coinsLeft bits of coins are the coins of the next items, the
	// lowest first.
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
// several gives the same result. Add does not allocate.
//
// Each item's coin, true with probability p, is flipped first, so that the
// item costs one lookup: a true coin
// inserts the key if absent (and leaves it in place if present, which is
// the same as removing and reinserting it); a false coin removes it if
// present. Most items find coin == present and change nothing.
func (c *Counter) Add(keys []uint64) {
	t := &c.t
	fps := t.fps
	mask := uint64(len(fps) - 1)
	coins, left := c.coins, c.coinsLeft
	for _, key := range keys {
		if left == 0 {
			coins, left = c.flipCoins(), 64
		}
		coin := coins&1 != 0
		coins >>= 1
		left--

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
			c.coins, c.coinsLeft = coins, left
			c.halve()
			coins = c.coins
		}
	}
	c.coins, c.coinsLeft = coins, left
}

// flipCoins returns the coins of the next 64 items: each bit is 1 with
// probability p = 2^-k, independently, being 1 when k random bits (bit j of
// k 64-bit draws) are all 0. So one draw serves 64 items, and the draws stop
// early once every coin is 0, after about 6 to 10 draws when k is large.
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
