// Package rng is the small, fast, seedable generator shared by the kernels.
//
// It is wyrand (Wang Yi's wyhash PRNG, public domain): one 64x64->128 multiply
// per output, 2^64 period, and it passes BigCrush and PractRand. The kernels need
// speed and repeatability for a given seed, not cryptographic strength.
package rng

import "math/bits"

// Rand is a wyrand generator. The zero value is a valid generator (seed 0).
type Rand struct{ state uint64 }

// New returns a generator started from seed. Equal seeds give equal streams.
func New(seed uint64) Rand { return Rand{state: seed} }

// Uint64 returns 64 uniformly distributed random bits.
func (r *Rand) Uint64() uint64 {
	r.state += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.state, r.state^0xe7037ed1a0b428db)
	return hi ^ lo
}

// Below returns a uniform integer in [0, n) for n > 0, by Lemire's
// multiply-and-reject method (unbiased; the rejection branch is rare).
func (r *Rand) Below(n uint64) uint64 {
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}
