package cvm

import (
	"math"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// pyFloatHashes was produced with CPython 3.11.7 on linux/amd64:
//
//	python3 -c 'for v in [0.5, 0.1, ...]: print(repr(v), hash(v))'
//
// with the float32 values rounded through struct.pack('f', ...).
var pyFloatHashes = []struct {
	f    float64
	hash int64
}{
	{0.0, 0},
	{math.Copysign(0, -1), 0},
	{0.5, 1152921504606846976},
	{0.1, 230584300921369408},
	{-0.1, -230584300921369408},
	{1e+300, 1224995262755759164},
	{-1e+300, -1224995262755759164},
	{5e-324, 16777216},
	{1.1805916207174113e+21, 512}, // 2.0**70
	{-2.5, -1152921504606846978},
	{1.5e+18, 1500000000000000000},
	{1.0, 1},
	{-1.0, -2},                 // -1 is reserved for errors
	{2.305843009213694e+18, 1}, // 2.0**61
	{9.223372036854776e+18, 4}, // 2.0**63
	{-9.223372036854776e+18, -4},
	{1.8446744073709552e+19, 8}, // 2.0**64
	{1.7976931348623157e+308, 2234066890152476671},
	{2.2250738585072014e-308, 32768},
	{3.141592653589793, 326490430436040707},
	{-1e-300, -482449582752280463},
	{123456.789, 1819310134279660096},
	{1e-10, 2124533198426632172},
	{1e+22, 1864712049423028464},
	{-1.2676506002282294e+30, -549755813888}, // -2.0**100
	{4.336808689942018e-19, 1},               // 2.0**-61
	{2.168404344971009e-19, 1152921504606846976},
	{6.999477138774142e-302, 103079215104}, // 0.75 * 2.0**-1000
	// float32-representable values
	{0.10000000149011612, 230584304357343232},
	{3.4028234663852886e+38, 2305834213120671807},
	{1.1754943508222875e-38, 144115188075855872},
	{1.401298464324817e-45, 17179869184},
	{-0.30000001192092896, -691752930251898880},
	{16777216.0, 16777216},
	{0.33333298563957214, 768613534677336064},
	{math.Inf(1), 314159},
	{math.Inf(-1), -314159},
}

func TestHashFloat64(t *testing.T) {
	for _, tt := range pyFloatHashes {
		if got := HashFloat64(tt.f); got != tt.hash {
			t.Errorf("HashFloat64(%v) = %d, want %d", tt.f, got, tt.hash)
		}
	}
	if got := HashFloat64(math.NaN()); got != 0 {
		t.Errorf("HashFloat64(NaN) = %d, want 0", got)
	}
}

// pyIntHashes was produced with CPython 3.11.7: python3 -c 'print(hash(v))'.
var pyIntHashes = []struct {
	v    uint64
	hash int64
}{
	{0, 0},
	{1, 1},
	{2305843009213693950, 2305843009213693950}, // 2**61-2
	{2305843009213693951, 0},                   // 2**61-1
	{2305843009213693952, 1},
	{2305843009213693953, 2},
	{4611686018427387904, 2}, // 2**62
	{6917529027641081853, 0}, // 3*(2**61-1)
	{9223372036854775807, 3}, // 2**63-1
	{9223372036854775808, 4},
	{9223372036854775809, 5},
	{18446744073709551614, 6},
	{18446744073709551615, 7}, // 2**64-1
}

func TestHashUint64(t *testing.T) {
	for _, tt := range pyIntHashes {
		if got := HashUint64(tt.v); got != tt.hash {
			t.Errorf("HashUint64(%d) = %d, want %d", tt.v, got, tt.hash)
		}
	}
}

// Python guarantees hash(float(v)) == hash(int(v)) for integral floats; check
// HashFloat64 against HashUint64 and against negation symmetry.
func TestHashFloat64Integral(t *testing.T) {
	r := rng.New(1)
	for i := range 20000 {
		v := r.Uint64() >> (i % 64)
		f := float64(v) // rounded to 53 bits
		if f >= 1<<64 {
			continue
		}
		want := HashUint64(uint64(f))
		if want == 1 { // hash(-1.0) is -2, not -1
			continue
		}
		if got := HashFloat64(f); got != want {
			t.Fatalf("HashFloat64(%v) = %d, want HashUint64 = %d", f, got, want)
		}
		if got := HashFloat64(-f); got != -want {
			t.Fatalf("HashFloat64(%v) = %d, want %d", -f, got, -want)
		}
	}
}

// hashFloat64Ref is a literal port of CPython's _Py_HashDouble for finite f:
// frexp, then the mantissa 28 bits at a time, each step multiplying the
// partial value by 2^28 modulo 2^61-1 (a rotation within 61 bits), then the
// exponent, reduced modulo 61, as one more rotation, then the sign.
func hashFloat64Ref(f float64) int64 {
	m, e := math.Frexp(f) // f = m * 2^e, 0.5 <= |m| < 1
	sign := uint64(1)
	if m < 0 {
		sign, m = 1<<64-1, -m // -1 modulo 2^64
	}
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
	if e >= 0 {
		e %= pyHashBits
	} else {
		e = pyHashBits - 1 - (-1-e)%pyHashBits
	}
	x = x<<uint(e)&pyHashModulus | x>>uint(pyHashBits-e)
	x *= sign
	if x == 1<<64-1 {
		x--
	}
	return int64(x)
}

// HashFloat64 must agree with the literal port on floats of every exponent,
// including subnormals.
func TestHashFloat64MatchesCPythonLoop(t *testing.T) {
	for _, tt := range pyFloatHashes {
		if math.IsInf(tt.f, 0) {
			continue
		}
		if got := hashFloat64Ref(tt.f); got != tt.hash {
			t.Fatalf("hashFloat64Ref(%v) = %d, want %d: the oracle is wrong", tt.f, got, tt.hash)
		}
	}
	r := rng.New(3)
	for i := range 300000 {
		b := r.Uint64()
		switch i % 3 {
		case 1: // subnormal
			b &= 1<<63 | 1<<52 - 1
		case 2: // a short mantissa, as in floats from decimal literals
			b &^= 1<<(b%52) - 1
		}
		f := math.Float64frombits(b)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if got, want := HashFloat64(f), hashFloat64Ref(f); got != want {
			t.Fatalf("HashFloat64(%v) = %d, CPython loop gives %d", f, got, want)
		}
	}
}
