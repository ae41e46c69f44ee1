package cvm

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/zeebo/xxh3"
)

// DefaultSeed is the seed of counters made without one, fixed so that
// counters built by different processes (or machines) merge without any
// configuration.
const DefaultSeed = 0x6a09e667f3bcc908

// Domain constants: each kind of key mixes its content with the seed XOR a
// constant of its own, so that equal contents of different kinds (an int and
// a float bit pattern, a str and bytes) give unrelated keys. They are
// arbitrary odd 64-bit constants (digits of sqrt and cube roots of primes).
const (
	intDomain   = 0xbb67ae8584caa73b
	floatDomain = 0x3c6ef372fe94f82b
	nanDomain   = 0xa54ff53a5f1d36f1
	noneDomain  = 0x510e527fade682d1
	strDomain   = 0x9b05688c2b3e6c1f
	bytesDomain = 0x1f83d9abfb41bd6b
	tupleDomain = 0x5be0cd19137e2179
	bigDomain   = 0x428a2f98d728ae22
	hashDomain  = 0x7137449123ef65cd
)

// mix is a bijection of uint64 with full avalanche (the finalizer of
// SplitMix64, Stafford's "Mix13" constants). Keys of ints are mix of the int
// plus an offset made from the seed, so distinct ints never share a key.
func mix(x uint64) uint64 {
	x = mixHead(x)
	return x ^ x>>31
}

// mixHead is mix without its last step (x ^= x>>31), which leaves the top
// 31 bits as they are: loops that test a key's level up to 31 test
// mixHead's result, and finish only the keys that pass.
func mixHead(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	return (x ^ x>>27) * 0x94d049bb133111eb
}

// spread turns a seed into an offset: multiplying by an odd constant (2^64
// over the golden ratio) sends nearby seeds far apart, so that the inputs
// of mix for small ints under seeds 1, 2, 3... are disjoint ranges. (With
// v ^ seed, the sets {v ^ 1} and {v ^ 2} of small ints would be the same
// set, and every seed would give the same estimate.)
func spread(seed, domain uint64) uint64 { return seed*0x9e3779b97f4a7c15 ^ domain }

// KeyInt64 returns the key of the Python int v (also of a bool, and of a
// float equal to v).
func KeyInt64(seed uint64, v int64) uint64 { return mix(uint64(v) + spread(seed, intDomain)) }

// KeyUint64 returns the key of the non-negative Python int v: KeyInt64 for v
// up to MaxInt64; beyond, the key of the equal float if v is exactly a
// float64, else the key of the big int v (KeyBigInt).
func KeyUint64(seed uint64, v uint64) uint64 {
	if v <= math.MaxInt64 {
		return KeyInt64(seed, int64(v))
	}
	if f := float64(v); f < 1<<64 && uint64(f) == v {
		return floatBitsKey(seed, f)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return KeyBigInt(seed, false, b[:])
}

// KeyFloat64 returns the key of the Python float f: KeyInt64(seed, int64(f))
// if f is integral and in [-2^63, 2^63) (so -0.0 has the key of 0); one key
// for every NaN, whatever its sign and payload; otherwise a key from f's bit
// pattern. An integral float beyond int64 has the key that KeyBigInt would
// give the equal int (see the package doc: such ints are keyed as floats).
func KeyFloat64(seed uint64, f float64) uint64 {
	// The range test comes first because converting an out-of-range float
	// to int64 is implementation-defined; it also rejects NaN and infinities.
	if f >= -(1<<63) && f < 1<<63 {
		if i := int64(f); float64(i) == f {
			return KeyInt64(seed, i)
		}
	}
	if f != f {
		return KeyNaN(seed)
	}
	return floatBitsKey(seed, f)
}

// KeyNaN returns the one key of every NaN: all NaNs count as one value, as
// in polars' and pandas' n_unique (a Python set keeps NaN objects apart by
// identity, which no content key can follow).
func KeyNaN(seed uint64) uint64 { return mix(spread(seed, nanDomain)) }

// floatBitsKey is the key of a float that is not an int64 and not NaN.
func floatBitsKey(seed uint64, f float64) uint64 {
	return mix(math.Float64bits(f) + spread(seed, floatDomain))
}

// KeyString returns the key of the Python str whose UTF-8 encoding is utf8
// (lone surrogates encoded as 3-byte sequences, as "surrogatepass" does).
// The lowest bit of a str key is 0.
func KeyString(seed uint64, utf8 []byte) uint64 {
	return hashSeed(utf8, seed^strDomain) &^ 1
}

// KeyBytes returns the key of the Python bytes b. Its lowest bit is 1, so it
// never equals the key of the str with the same bytes.
func KeyBytes(seed uint64, b []byte) uint64 {
	return hashSeed(b, seed^bytesDomain) | 1
}

// KeyNone returns the key of None.
func KeyNone(seed uint64) uint64 { return mix(spread(seed, noneDomain)) }

// KeyTuple returns the key of a tuple whose elements have the given keys.
// Each step is a bijection of the running value for a fixed element key, so
// tuples of one length that differ in one element never collide.
func KeyTuple(seed uint64, elems []uint64) uint64 {
	h := mix(spread(seed, tupleDomain) + uint64(len(elems)))
	for _, k := range elems {
		h = mix(h ^ k)
	}
	return h
}

// KeyBigInt returns the key of the Python int whose absolute value has the
// little-endian bytes mag (leading zero bytes are ignored) and whose sign is
// negative if neg. Callers key ints in int64 with KeyInt64 and ints that are
// exactly a float64 with KeyFloat64 (so that 2**70 == 2.0**70); KeyBigInt is
// for the others.
func KeyBigInt(seed uint64, neg bool, mag []byte) uint64 {
	for len(mag) > 0 && mag[len(mag)-1] == 0 {
		mag = mag[:len(mag)-1]
	}
	s := seed ^ bigDomain
	if neg {
		s = ^s
	}
	return mix(xxh3.HashSeed(mag, s))
}

// KeyHash returns the key of an object known only by its Python hash() h.
// Such keys are valid only in the process that computed h.
func KeyHash(seed uint64, h int64) uint64 { return mix(uint64(h) + spread(seed, hashDomain)) }

// level returns the level of a key: the number of leading zero bits. A key
// is in the buffer of a counter at exponent k iff its level is at least k,
// which happens with probability 2^-k.
func level(key uint64) int { return bits.LeadingZeros64(key) }
