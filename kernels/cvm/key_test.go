package cvm

import (
	"math"
	"testing"
)

func TestKeys(t *testing.T) {
	const p63 = 1 << 63
	tests := []struct {
		name      string
		got, want uint64
	}{
		{"int 0", KeyInt64(0), 0},
		{"int -1", KeyInt64(-1), math.MaxUint64},
		{"uint small", KeyUint64(42), 42},
		{"uint MaxInt64", KeyUint64(math.MaxInt64), math.MaxInt64},
		{"uint 2^63", KeyUint64(p63), KeyFromPyHash(4)},
		{"uint 2^64-1", KeyUint64(math.MaxUint64), KeyFromPyHash(7)},
		{"float 1.0", floatKey(1.0), KeyInt64(1)},
		{"float -0.0", floatKey(math.Copysign(0, -1)), KeyInt64(0)},
		{"float -3.0", floatKey(-3), KeyInt64(-3)},
		{"float -2^63", floatKey(-p63), KeyInt64(math.MinInt64)},
		{"float 2^63", floatKey(p63), KeyUint64(p63)},
		{"float 2^64", floatKey(1 << 64), KeyFromPyHash(8)},
		{"float 2^53+2", floatKey(1<<53 + 2), KeyInt64(1<<53 + 2)},
		{"float 0.5", floatKey(0.5), KeyFromPyHash(1152921504606846976)},
		{"float -2.5", floatKey(-2.5), KeyFromPyHash(-1152921504606846978)},
		{"float +inf", floatKey(math.Inf(1)), KeyFromPyHash(314159)},
		{"float -inf", floatKey(math.Inf(-1)), KeyFromPyHash(-314159)},
		{"hash -1 vs -2", KeyFromPyHash(-2), uint64(0xffff_ffff_ffff_fffe) ^ pyHashDomain},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: key %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
	// The domain separation keeps hash-derived keys off the small ints.
	if KeyFromPyHash(-2) == KeyInt64(-2) || KeyFromPyHash(4) == KeyInt64(4) {
		t.Error("KeyFromPyHash collides with KeyInt64")
	}
	if _, isNaN := KeyFloat64(math.NaN()); !isNaN {
		t.Error("KeyFloat64(NaN) did not report NaN")
	}
}

func floatKey(f float64) uint64 {
	key, isNaN := KeyFloat64(f)
	if isNaN {
		panic("NaN")
	}
	return key
}

// Every float64 that equals a uint64 above MaxInt64 must have that int's key.
func TestKeyFloat64LargeInts(t *testing.T) {
	for e := 63; e < 64; e++ {
		for m := uint64(1); m < 1<<10; m++ {
			v := uint64(1)<<e | m<<(e-52)
			if got, want := floatKey(float64(v)), KeyUint64(v); got != want {
				t.Fatalf("KeyFloat64(%v) = %#x, KeyUint64(%d) = %#x", float64(v), got, v, want)
			}
		}
	}
}
