package cvm

import (
	"errors"
	"fmt"
	"math"
)

// A Counter estimates the number of distinct keys added to it with the CVM
// algorithm with hashed coins. Its memory is proportional to the number of
// keys in its buffer, at most its threshold, whatever the length of the
// stream. The zero value is not usable; call New.
//
// The state of a Counter (its exponent k and its buffer) depends only on
// its threshold, its seed and the set of distinct keys added: the buffer
// holds every key seen whose level (leading zero bits) is at least k, and k
// is the smallest exponent for which fewer than threshold such keys exist.
// So adding the same keys in any order, with any repetitions, or in parts
// merged in any order, gives the same state.
//
// A Counter is not safe for concurrent use.
type Counter struct {
	t         table
	threshold int
	seed      uint64
	k         int
}

// New returns a Counter whose buffer holds fewer than threshold keys (see
// Threshold) made with the given seed. An odd threshold is rounded up to an
// even number. New panics if threshold is less than 2 or greater than
// MaxThreshold. It allocates a few hundred bytes, whatever the threshold.
func New(threshold int, seed uint64) *Counter {
	if threshold < 2 || threshold > MaxThreshold {
		panic(fmt.Sprintf("cvm: threshold %d out of range [2, %d]", threshold, MaxThreshold))
	}
	threshold += threshold & 1
	return &Counter{threshold: threshold, seed: seed}
}

// Reset empties c, keeping its threshold and seed, and returns its memory.
func (c *Counter) Reset() {
	c.t.reset()
	c.k = 0
}

// Seed returns the seed of c: keys added to c must be made with it.
func (c *Counter) Seed() uint64 { return c.seed }

// Threshold returns the buffer size of c.
func (c *Counter) Threshold() int { return c.threshold }

// Len returns the number of keys in the buffer. It is always less than the
// threshold.
func (c *Counter) Len() int { return c.t.len() }

// Exponent returns k: the buffer holds the keys of level at least k, a
// fraction 2^-k of all keys.
func (c *Counter) Exponent() int { return c.k }

// Estimate returns the estimated number of distinct keys added so far,
// Len() * 2^k. While k is 0 it is the exact count. It is unbiased: the
// exponent seen by any one key, given the others, does not depend on its
// own level (see TestUnbiased).
func (c *Counter) Estimate() float64 {
	return math.Ldexp(float64(c.t.len()), c.k)
}

// AddKeys adds keys, made with the Key functions and c's seed, to c. It
// panics with ErrNoMemory if the buffer cannot grow; the keys before the
// one that needed memory stay added. AddKeys allocates only when the buffer
// grows.
func (c *Counter) AddKeys(keys []uint64) {
	t := &c.t
	shift := uint(64 - c.k)
	for _, key := range keys {
		// Go defines x >> 64 as 0, so at k = 0 every key passes.
		if key>>shift != 0 {
			continue
		}
		if key == 0 || t.n >= maxKeys(len(t.slots)) {
			c.insertSlow(key)
			shift = uint(64 - c.k)
			continue
		}
		mask := uint64(len(t.slots) - 1)
		i := key & mask
		for {
			s := t.slots[i]
			if s == key {
				break
			}
			if s == 0 {
				t.slots[i] = key
				t.n++
				if t.len() >= c.threshold {
					c.raise()
					shift = uint(64 - c.k)
				}
				break
			}
			i = (i + 1) & mask
		}
	}
}

func (c *Counter) insertSlow(key uint64) {
	if c.t.insert(key) && c.t.len() >= c.threshold {
		c.raise()
	}
}

// raise increases k to the smallest exponent at which fewer than threshold
// keys of the buffer remain, and drops the others. Since the keys of level
// 64 (only the key 0) are at most one, it always succeeds.
//
// Nearly always k+1 is enough: one counting pass, then the filter.
func (c *Counter) raise() {
	k, above := c.k, c.t.len() // above: keys of level >= k
	for above >= c.threshold && k < 64 {
		k++
		above = c.t.atLeast(k)
	}
	c.t.filter(raisedSlots(above, c.threshold), k)
	c.k = k
}

// raisedSlots is the table size after a raise leaves n keys: the size the
// buffer will need before its next raise when that is at most 64 KiB, so
// that it does not grow through a rehash on the way at every level (the
// first 128K values of 1M distinct: 0.71 ms instead of 0.88); else the size
// for n keys, so that a big buffer holds no more memory than its keys need.
func raisedSlots(n, threshold int) int {
	if full := slotsFor(threshold - 1); full*8 <= 64<<10 {
		return full
	}
	return slotsFor(n)
}

// ErrIncompatible is returned by Merge for counters of different seeds or
// thresholds.
var ErrIncompatible = errors.New("cvm: counters have different seeds or thresholds")

// Merge adds the keys of o to c, so that c becomes the counter of the union
// of both key sets: the result is the same as adding all of o's keys to c.
// It returns an error wrapping ErrIncompatible if the counters differ in
// seed or threshold, and ErrNoMemory if the buffer cannot grow (c then holds
// part of o's keys, still a valid state for a subset of the union).
func (c *Counter) Merge(o *Counter) (err error) {
	if c.seed != o.seed || c.threshold != o.threshold {
		return fmt.Errorf("%w: seed %#x threshold %d vs seed %#x threshold %d",
			ErrIncompatible, c.seed, c.threshold, o.seed, o.threshold)
	}
	if c == o {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			if r != ErrNoMemory {
				panic(r)
			}
			err = ErrNoMemory
		}
	}()
	if o.k > c.k {
		c.k = o.k
		c.t.filter(slotsFor(c.t.len()), c.k)
	}
	if o.t.zero {
		c.insertSlow(0)
	}
	for _, key := range o.t.slots {
		// c.k can rise during the loop: test the level each time.
		if key != 0 && level(key) >= c.k {
			c.insertSlow(key)
		}
	}
	return nil
}

// Keys appends the keys of the buffer to dst, in no particular order.
func (c *Counter) Keys(dst []uint64) []uint64 { return c.t.appendKeys(dst) }

// Clone returns a new counter with the same threshold, seed and state.
func (c *Counter) Clone() *Counter {
	n := New(c.threshold, c.seed)
	if err := n.Merge(c); err != nil {
		panic(err)
	}
	return n
}
