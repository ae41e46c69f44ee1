package cvm

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// arrayCase builds n random elements of kind, from a small value range so that
// they repeat, with the edge cases of the kind mixed in. It returns the
// array's bytes and the keys the elements must have, computed from typed
// values with the Key functions.
func arrayCase(kind ElemKind, n int, seed uint64) ([]byte, []uint64) {
	r := rng.New(seed)
	ne := binary.NativeEndian
	var data []byte
	var keys []uint64
	small := func() int64 { return int64(r.Below(600)) - 300 }
	for i := range n {
		switch kind {
		case Int8:
			v := int8(small())
			data = append(data, byte(v))
			keys = append(keys, KeyInt64(testSeed, int64(v)))
		case Uint8:
			v := uint8(small())
			data = append(data, v)
			keys = append(keys, KeyInt64(testSeed, int64(v)))
		case Bool:
			v := byte(r.Below(3)) // 2 is also True
			data = append(data, v)
			keys = append(keys, KeyInt64(testSeed, int64(min(v, 1))))
		case Int16:
			v := int16(small() * 100)
			data = ne.AppendUint16(data, uint16(v))
			keys = append(keys, KeyInt64(testSeed, int64(v)))
		case Uint16:
			v := uint16(small() * 100)
			data = ne.AppendUint16(data, v)
			keys = append(keys, KeyInt64(testSeed, int64(v)))
		case Int32:
			v := int32(small() << 20)
			data = ne.AppendUint32(data, uint32(v))
			keys = append(keys, KeyInt64(testSeed, int64(v)))
		case Uint32:
			v := uint32(small() << 20)
			data = ne.AppendUint32(data, v)
			keys = append(keys, KeyInt64(testSeed, int64(v)))
		case Int64:
			v := small() << 50
			data = ne.AppendUint64(data, uint64(v))
			keys = append(keys, KeyInt64(testSeed, v))
		case Uint64:
			v := uint64(small()) << 54 // half above MaxInt64
			if i%50 == 0 {
				v = math.MaxUint64 - uint64(i%7)
			}
			data = ne.AppendUint64(data, v)
			keys = append(keys, KeyUint64(testSeed, v))
		case Float32:
			v := float32(small()) / 4
			if i%50 == 0 {
				v = []float32{float32(math.Inf(1)), float32(math.Inf(-1)), 1 << 63, -(1 << 63), 1 << 64, 1e38, 1e-45, float32(math.Copysign(0, -1))}[i/50%8]
			}
			data = ne.AppendUint32(data, math.Float32bits(v))
			keys = append(keys, KeyFloat64(testSeed, float64(v)))
		case Float64:
			v := float64(small()) / 4
			if i%50 == 0 {
				v = []float64{math.Inf(1), math.Inf(-1), 1 << 63, -(1 << 63), 1 << 64, 1e300, 5e-324, 0.1, math.Copysign(0, -1)}[i/50%9]
			}
			data = ne.AppendUint64(data, math.Float64bits(v))
			keys = append(keys, KeyFloat64(testSeed, v))
		}
	}
	return data, keys
}

// AddArray must count exactly what Add counts for the documented keys, for
// every kind and whether sampling is in force or not.
func TestAddArrayMatchesAdd(t *testing.T) {
	for kind := Int8; kind <= Bool; kind++ {
		data, keys := arrayCase(kind, 3000, uint64(kind))
		// The same bytes at an odd address, to exercise unaligned loads.
		odd := make([]byte, len(data)+1)[1:]
		copy(odd, data)
		for _, threshold := range []int{10000, 64} {
			for _, data := range [][]byte{data, odd} {
				a, b := New(threshold, testSeed), New(threshold, testSeed)
				a.AddArray(kind, data)
				b.AddKeys(keys)
				if a.Estimate() != b.Estimate() || !sameState(a, b) {
					t.Errorf("%v, threshold %d: AddArray estimate %v, Add estimate %v", kind, threshold, a.Estimate(), b.Estimate())
				}
				if threshold == 10000 && a.Estimate() != float64(len(distinct(keys))) {
					t.Errorf("%v: estimate %v, want exact %d", kind, a.Estimate(), len(distinct(keys)))
				}
			}
		}
	}
}

// A uint64 array with no value above MaxInt64 is added in place; one with
// such values only in some chunks is converted chunk by chunk.
func TestAddArrayUint64Chunks(t *testing.T) {
	ne := binary.NativeEndian
	r := rng.New(8)
	for _, bigEvery := range []int{0, 1500, 7} {
		var data []byte
		var keys []uint64
		for i := range 5000 {
			v := r.Below(2000) << 40
			if bigEvery > 0 && i%bigEvery == 0 {
				v |= 1 << 63
			}
			data = ne.AppendUint64(data, v)
			keys = append(keys, KeyUint64(testSeed, v))
		}
		a, b := New(100, testSeed), New(100, testSeed)
		a.AddArray(Uint64, data)
		b.AddKeys(keys)
		if a.Estimate() != b.Estimate() || !sameState(a, b) {
			t.Errorf("big value every %d: AddArray estimate %v, Add estimate %v", bigEvery, a.Estimate(), b.Estimate())
		}
	}
}

func distinct(keys []uint64) map[uint64]bool {
	m := map[uint64]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// Equal Python values in arrays of different kinds are one item: 1, 1.0 and
// True; 2^63 as uint64 and as float; -0.0 and 0.
func TestAddArrayCrossKind(t *testing.T) {
	ne := binary.NativeEndian
	c := New(100, testSeed)
	c.AddArray(Int8, []byte{1, 0xff, 0})                                              // 1, -1, 0
	c.AddArray(Bool, []byte{1, 0})                                                    // True, False
	c.AddArray(Float64, ne.AppendUint64(nil, math.Float64bits(1)))                    // 1.0
	c.AddArray(Float32, ne.AppendUint32(nil, math.Float32bits(-1)))                   // -1.0
	c.AddArray(Float64, ne.AppendUint64(nil, math.Float64bits(math.Copysign(0, -1)))) // -0.0
	c.AddArray(Uint64, ne.AppendUint64(nil, 1<<63))                                   // 2**63
	c.AddArray(Float32, ne.AppendUint32(nil, math.Float32bits(1<<63)))                // 2.0**63
	c.AddArray(Int64, ne.AppendUint64(ne.AppendUint64(nil, 1<<63), math.MaxUint64))   // -2**63, -1
	c.AddArray(Float64, ne.AppendUint64(nil, math.Float64bits(-(1<<63))))             // -2.0**63
	c.AddArray(Uint16, ne.AppendUint16(nil, 1))                                       // 1
	if got := c.Estimate(); got != 5 {                                                // 1, -1, 0, 2**63, -2**63
		t.Errorf("Estimate() = %v, want 5", got)
	}
}

// All NaNs are one item, as in polars' and pandas' n_unique.
func TestAddArrayNaN(t *testing.T) {
	ne := binary.NativeEndian
	var data []byte
	for _, f := range []float64{math.NaN(), 1, math.NaN(), 1, math.NaN()} {
		data = ne.AppendUint64(data, math.Float64bits(f))
	}
	data32 := ne.AppendUint32(nil, math.Float32bits(float32(math.NaN())))
	c := New(100, testSeed)
	c.AddArray(Float64, data)
	c.AddArray(Float32, data32)
	if got := c.Estimate(); got != 2 {
		t.Errorf("Estimate() = %v, want 2 (NaN and 1)", got)
	}
}

func TestAddArrayPanics(t *testing.T) {
	tests := []struct {
		kind ElemKind
		data []byte
	}{
		{ElemKind(-1), nil},
		{Bool + 1, []byte{1}},
		{Int32, []byte{1, 2, 3}},
		{Float64, make([]byte, 12)},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddArray(%v, %d bytes) did not panic", tt.kind, len(tt.data))
				}
			}()
			New(10, testSeed).AddArray(tt.kind, tt.data)
		}()
	}
}

// AddArrayParallel gives AddArray's state, on any number of workers.
func TestAddArrayParallel(t *testing.T) {
	r := rng.New(3)
	data := make([]byte, 0, 8*300000)
	for range 300000 {
		data = binary.NativeEndian.AppendUint64(data, r.Below(50000))
	}
	for _, threshold := range []int{1000, 100000} {
		a := New(threshold, testSeed)
		a.AddArray(Int64, data)
		for _, w := range []int{1, 2, 3, 8} {
			b := New(threshold, testSeed)
			if err := b.AddArrayParallel(Int64, data, w); err != nil {
				t.Fatal(err)
			}
			if !sameState(a, b) {
				t.Errorf("threshold %d, %d workers: estimate %v, want %v", threshold, w, b.Estimate(), a.Estimate())
			}
		}
	}
}

func TestElemKindString(t *testing.T) {
	if s := Float32.String(); s != "Float32" {
		t.Errorf("Float32.String() = %q", s)
	}
	if s := ElemKind(99).String(); s != "ElemKind(99)" {
		t.Errorf("ElemKind(99).String() = %q", s)
	}
}

// FuzzAddArray checks AddArray on arbitrary bytes against Add of the keys
// computed element by element with the Key functions.
func FuzzAddArray(f *testing.F) {
	f.Add(uint8(Float64), []byte("\x00\x00\x00\x00\x00\x00\xf8\x7f0123456789abcdef"), uint8(3))
	f.Add(uint8(Int16), []byte("abcdefgh"), uint8(0))
	f.Fuzz(func(t *testing.T, kindByte uint8, data []byte, thr uint8) {
		kind := ElemKind(kindByte % uint8(Bool+1))
		data = data[:len(data)/kind.Size()*kind.Size()]
		threshold := 2 + 2*int(thr%32)
		a, b := New(threshold, testSeed), New(threshold, testSeed)
		a.AddArray(kind, data)
		ne := binary.NativeEndian
		keys := make([]uint64, len(data)/kind.Size())
		for i := range keys {
			switch kind {
			case Int8:
				keys[i] = KeyInt64(testSeed, int64(int8(data[i])))
			case Uint8:
				keys[i] = KeyInt64(testSeed, int64(data[i]))
			case Bool:
				keys[i] = KeyInt64(testSeed, int64(min(data[i], 1)))
			case Int16:
				keys[i] = KeyInt64(testSeed, int64(int16(ne.Uint16(data[2*i:]))))
			case Uint16:
				keys[i] = KeyInt64(testSeed, int64(ne.Uint16(data[2*i:])))
			case Int32:
				keys[i] = KeyInt64(testSeed, int64(int32(ne.Uint32(data[4*i:]))))
			case Uint32:
				keys[i] = KeyInt64(testSeed, int64(ne.Uint32(data[4*i:])))
			case Int64:
				keys[i] = KeyInt64(testSeed, int64(ne.Uint64(data[8*i:])))
			case Uint64:
				keys[i] = KeyUint64(testSeed, ne.Uint64(data[8*i:]))
			case Float32:
				keys[i] = KeyFloat64(testSeed, float64(math.Float32frombits(ne.Uint32(data[4*i:]))))
			case Float64:
				keys[i] = KeyFloat64(testSeed, math.Float64frombits(ne.Uint64(data[8*i:])))
			}
		}
		b.AddKeys(keys)
		if a.Estimate() != b.Estimate() || !sameState(a, b) {
			t.Errorf("%v: AddArray estimate %v, Add estimate %v", kind, a.Estimate(), b.Estimate())
		}
	})
}
