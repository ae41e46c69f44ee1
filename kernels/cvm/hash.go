package cvm

import "math"

// CPython's numeric hash reduces numbers modulo the Mersenne prime 2^61-1
// (sys.hash_info.modulus on 64-bit builds), so that equal numbers of
// different types hash alike.
const (
	pyHashBits    = 61
	pyHashModulus = 1<<pyHashBits - 1
	pyHashInf     = 314159
)

// HashUint64 returns CPython's hash() of the non-negative int v, that is
// v mod (2^61-1).
func HashUint64(v uint64) int64 {
	return int64(v % pyHashModulus)
}

// HashFloat64 returns CPython's hash() of the float f, as computed by
// _Py_HashDouble in Python/pyhash.c: for finite f, the value of |f| modulo
// 2^61-1 as a rational number, with the sign of f, and -1 replaced by -2;
// 314159 for +Inf and -314159 for -Inf. Integral f hash like the equal int.
//
// CPython computes |f| = m * 2^e with frexp and feeds m into the modular
// value 28 bits at a time. HashFloat64 gets the same value in one step: |f|
// is an integer mantissa M < 2^53 < 2^61-1 times 2^e, and since 2^61 = 1
// modulo 2^61-1, multiplying by 2^e is a rotation of the 61-bit M by e
// modulo 61. The tests check it against a literal port of the CPython loop.
//
// For NaN, CPython (3.10 and later) hashes the object's identity, which has
// no meaning here; HashFloat64 returns 0, as earlier versions did. Callers
// must treat NaN separately.
func HashFloat64(f float64) int64 {
	b := math.Float64bits(f)
	exp := int(b >> 52 & 0x7ff)
	m := b & (1<<52 - 1)
	switch exp {
	case 0x7ff:
		switch {
		case m != 0:
			return 0 // NaN
		case f > 0:
			return pyHashInf
		default:
			return -pyHashInf
		}
	case 0:
		exp = 1 // subnormal: no implicit leading 1
	default:
		m |= 1 << 52
	}
	// |f| = m * 2^e.
	e := (exp - 1075) % pyHashBits
	if e < 0 {
		e += pyHashBits
	}
	x := m<<uint(e)&pyHashModulus | m>>uint(pyHashBits-e)
	if int64(b) < 0 {
		x = -x
	}
	if x == 1<<64-1 { // -1 is CPython's error value
		x--
	}
	return int64(x)
}
