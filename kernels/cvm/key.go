package cvm

import "math"

// pyHashDomain separates keys derived from Python hashes from int keys.
// Without it an object hashing to h would share the key of the int h: 2**64,
// whose hash is 8, would count as 8.
const pyHashDomain = 0x9E3779B97F4A7C15

// KeyInt64 returns the key of the Python int v.
func KeyInt64(v int64) uint64 { return uint64(v) }

// KeyUint64 returns the key of the non-negative Python int v: v itself if
// it fits in int64, else the key of its hash.
func KeyUint64(v uint64) uint64 {
	if v <= math.MaxInt64 {
		return v
	}
	return KeyFromPyHash(HashUint64(v))
}

// KeyFloat64 returns the key of the Python float f, and whether f is NaN, in
// which case key is 0 and the caller must choose a key: each NaN object is a
// distinct set member in Python, being unequal to everything.
func KeyFloat64(f float64) (key uint64, isNaN bool) {
	if i, ok := exactInt(f); ok {
		return uint64(i), false
	}
	if f != f {
		return 0, true
	}
	return KeyFromPyHash(HashFloat64(f)), false
}

// exactInt returns f as an int64 if f is integral and in [-2^63, 2^63).
func exactInt(f float64) (int64, bool) {
	// The range test comes first because converting an out-of-range float to
	// int64 is implementation-defined; it also rejects NaN and infinities.
	if f >= -(1<<63) && f < 1<<63 {
		i := int64(f)
		return i, float64(i) == f
	}
	return 0, false
}

// KeyFromPyHash returns the key of a Python object whose hash() is h and
// that is not covered by the int and float rules.
func KeyFromPyHash(h int64) uint64 { return uint64(h) ^ pyHashDomain }
