package cvm

import "math"

// The key functions define how Python objects map to the uint64 keys that a
// Counter counts. Objects equal in Python must get equal keys, and unequal
// objects should get unequal keys:
//
//   - An int (or bool) v that fits in int64 has key uint64(v).
//   - A float that is finite, integral and in [-2^63, 2^63) has the key of
//     the equal int, so 1, 1.0 and True share a key.
//   - Any other object has key KeyFromPyHash(hash(obj)).
//
// The C side applies these rules to Python objects; AddArray applies them
// to array elements.

// pyHashDomain separates keys derived from Python hashes from int keys. Without
// it, hash(-1) == -2 would make -1 and -2 one key, and an int too large for
// int64 would share a key with the small int equal to its hash.
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
	// The range test comes first because converting an out-of-range float to
	// int64 is implementation-defined; it also rejects NaN and infinities.
	if f >= -(1<<63) && f < 1<<63 {
		if i := int64(f); float64(i) == f {
			return uint64(i), false
		}
	} else if f != f {
		return 0, true
	}
	return KeyFromPyHash(HashFloat64(f)), false
}

// KeyFromPyHash returns the key of a Python object whose hash() is h and
// that is not covered by the int and float rules.
func KeyFromPyHash(h int64) uint64 { return uint64(h) ^ pyHashDomain }
