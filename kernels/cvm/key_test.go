package cvm

import (
	"encoding/binary"
	"math"
	"testing"
)

const testSeed = 0x1234_5678_9abc_def0

func TestKeyNumbersEqualAsInPython(t *testing.T) {
	for _, seed := range []uint64{0, 1, DefaultSeed, testSeed} {
		for _, v := range []int64{0, 1, -1, 2, 1 << 53, 1<<53 + 1, -(1 << 53), math.MaxInt64, math.MinInt64, 1 << 62} {
			if v >= 0 && KeyUint64(seed, uint64(v)) != KeyInt64(seed, v) {
				t.Errorf("KeyUint64(%d) != KeyInt64(%d)", v, v)
			}
			if f := float64(v); f < 1<<63 && int64(f) == v && KeyFloat64(seed, f) != KeyInt64(seed, v) {
				t.Errorf("KeyFloat64(%v) != KeyInt64(%d)", f, v)
			}
		}
		if KeyFloat64(seed, math.Copysign(0, -1)) != KeyInt64(seed, 0) {
			t.Error("-0.0 and 0 have different keys")
		}
		// Integers beyond int64 that are floats key as the float.
		for _, v := range []uint64{1 << 63, 1<<63 + 1<<11, 1<<64 - 1<<11} {
			if KeyUint64(seed, v) != KeyFloat64(seed, float64(v)) {
				t.Errorf("KeyUint64(%d) != KeyFloat64(%v)", v, float64(v))
			}
		}
		// Others key as big ints, by magnitude bytes.
		for _, v := range []uint64{1<<63 + 1, 1<<64 - 1} {
			var b [12]byte // trailing zero bytes are ignored
			binary.LittleEndian.PutUint64(b[:], v)
			if KeyUint64(seed, v) != KeyBigInt(seed, false, b[:]) {
				t.Errorf("KeyUint64(%d) != KeyBigInt", v)
			}
			if KeyBigInt(seed, true, b[:]) == KeyBigInt(seed, false, b[:]) {
				t.Errorf("-%d and %d share a key", v, v)
			}
		}
	}
}

func TestKeyNaN(t *testing.T) {
	nans := []float64{math.NaN(), -math.NaN(), math.Float64frombits(0x7ff0_0000_0000_0001),
		math.Float64frombits(0xfff8_0000_dead_beef), float64(float32(math.NaN()))}
	for _, f := range nans {
		if KeyFloat64(testSeed, f) != KeyNaN(testSeed) {
			t.Errorf("NaN %#x has a key of its own", math.Float64bits(f))
		}
	}
	for _, f := range []float64{math.Inf(1), math.Inf(-1), 0, 0.5, 1e300} {
		if KeyFloat64(testSeed, f) == KeyNaN(testSeed) {
			t.Errorf("%v has the NaN key", f)
		}
	}
}

// Distinct values of each kind, and of different kinds, get distinct keys.
func TestKeysDistinct(t *testing.T) {
	seen := map[uint64]string{}
	add := func(k uint64, what string) {
		if w, ok := seen[k]; ok {
			t.Fatalf("%s and %s share key %#x", what, w, k)
		}
		seen[k] = what
	}
	for i := int64(-5000); i < 5000; i++ {
		add(KeyInt64(testSeed, i), "int")
		add(KeyFloat64(testSeed, float64(i)+0.5), "float")
		b := binary.LittleEndian.AppendUint64(nil, uint64(i))
		add(KeyString(testSeed, b), "str")
		add(KeyBytes(testSeed, b), "bytes")
		add(KeyTuple(testSeed, []uint64{KeyInt64(testSeed, i)}), "tuple1")
		add(KeyTuple(testSeed, []uint64{KeyInt64(testSeed, i), KeyNone(testSeed)}), "tuple2")
	}
	add(KeyNone(testSeed), "None")
	add(KeyNaN(testSeed), "NaN")
	add(KeyTuple(testSeed, nil), "()")
	add(KeyString(testSeed, nil), "''")
	add(KeyBytes(testSeed, nil), "b''")
	add(KeyFloat64(testSeed, math.Inf(1)), "inf")
	add(KeyFloat64(testSeed, math.Inf(-1)), "-inf")
}

func TestKeyStringBytesNeverEqual(t *testing.T) {
	for i := range 100000 {
		b := binary.LittleEndian.AppendUint32(nil, uint32(i))[:1+i%4]
		if KeyString(testSeed, b) == KeyBytes(testSeed, b) {
			t.Fatalf("str and bytes %q share a key", b)
		}
	}
}

func TestKeysDependOnSeed(t *testing.T) {
	if KeyInt64(1, 5) == KeyInt64(2, 5) || KeyString(1, []byte("a")) == KeyString(2, []byte("a")) ||
		KeyNone(1) == KeyNone(2) || KeyNaN(1) == KeyNaN(2) {
		t.Error("a key does not depend on the seed")
	}
}

// The keys are part of the serialized format: sketches written by one
// version must merge with sketches of the next. These values must never
// change.
func TestKeysGolden(t *testing.T) {
	s := uint64(DefaultSeed)
	for _, tt := range []struct {
		name      string
		got, want uint64
	}{
		{"int 0", KeyInt64(s, 0), 0xfd2e2696eab378f3},
		{"int -1", KeyInt64(s, -1), 0xfcacae6991f0faae},
		{"float 0.5", KeyFloat64(s, 0.5), 0xd007ad28e6bdfa33},
		{"NaN", KeyNaN(s), 0x2f90c42a041d5a2a},
		{"None", KeyNone(s), 0x3fd916d0187d5fa6},
		{"str abc", KeyString(s, []byte("abc")), 0xe958339f7f5c97a2},
		{"bytes abc", KeyBytes(s, []byte("abc")), 0x8f3147dcad7055b9},
		{"str long", KeyString(s, []byte("the quick brown fox jumps over the lazy dog, twice over")), 0xbbed0ef480b980a8},
		{"tuple (1, 'a')", KeyTuple(s, []uint64{KeyInt64(s, 1), KeyString(s, []byte("a"))}), 0x8264d513705d375f},
		{"big 2**64-1", KeyUint64(s, 1<<64-1), 0xad11363fd9b3335f},
		{"hash 42", KeyHash(s, 42), 0xe13013acca1e5a3e},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: key %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}
