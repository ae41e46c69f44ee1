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
// _Py_HashDouble in Python/pyhash.c: for finite f, the value of f modulo
// 2^61-1 as a rational number, with the sign of f, and -1 replaced by -2;
// 314159 for +Inf and -314159 for -Inf. Integral f hash like the equal int.
//
// For NaN, CPython (3.10 and later) hashes the object's identity, which has
// no meaning here; HashFloat64 returns 0, as earlier versions did. Callers
// must treat NaN separately.
func HashFloat64(f float64) int64 {
	if math.IsInf(f, 0) {
		if f > 0 {
			return pyHashInf
		}
		return -pyHashInf
	}
	if math.IsNaN(f) {
		return 0
	}
	m, e := math.Frexp(f) // f = m * 2^e, 0.5 <= |m| < 1
	sign := uint64(1)
	if m < 0 {
		sign, m = ^uint64(0), -m // sign = -1 modulo 2^64
	}
	// Take the mantissa 28 bits at a time, multiplying the partial value by
	// 2^28 modulo 2^61-1 each time; multiplying by a power of two modulo a
	// Mersenne prime is a rotation within 61 bits.
	var x uint64
	for m != 0 {
		x = x<<28&pyHashModulus | x>>(pyHashBits-28)
		m *= 1 << 28
		e -= 28
		y := uint64(m) // the integer part, below 2^28
		m -= float64(y)
		x += y
		if x >= pyHashModulus {
			x -= pyHashModulus
		}
	}
	// Multiply by 2^e, reducing e modulo 61 first (2^61 = 1 mod 2^61-1); a
	// negative e becomes the equivalent non-negative rotation.
	if e >= 0 {
		e %= pyHashBits
	} else {
		e = pyHashBits - 1 - (-1-e)%pyHashBits
	}
	x = x<<uint(e)&pyHashModulus | x>>uint(pyHashBits-e)
	x *= sign
	if x == ^uint64(0) { // -1 is CPython's error value
		x--
	}
	return int64(x)
}
