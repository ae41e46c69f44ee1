package arrow

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// node is a Source made of Go values.
type node struct {
	format                string
	length, offset, nulls int64
	bufs                  [][]byte
	children              []*node
	dict                  *node
	arrayDict             bool // the array has a dictionary though the schema has none
}

func (n *node) Format() string    { return n.format }
func (n *node) Length() int64     { return n.length }
func (n *node) Offset() int64     { return n.offset }
func (n *node) NullCount() int64  { return n.nulls }
func (n *node) NumBuffers() int64 { return int64(len(n.bufs)) }
func (n *node) Buffer(i int, size int64) []byte {
	b := n.bufs[i]
	if b != nil && int64(len(b)) > size {
		return b[:size]
	}
	return b
}
func (n *node) NumChildren() (int64, int64) { return int64(len(n.children)), int64(len(n.children)) }
func (n *node) Child(i int) Source          { return n.children[i] }
func (n *node) Dictionary() (Source, bool, bool) {
	if n.dict == nil {
		return nil, false, n.arrayDict
	}
	return n.dict, true, true
}

// validity returns the bitmap of valid (nil: all valid) and the null count.
func validity(valid []bool, n int) ([]byte, int64) {
	if valid == nil {
		return nil, 0
	}
	b := make([]byte, (n+7)/8)
	nulls := int64(0)
	for i := range n {
		if valid[i] {
			b[i/8] |= 1 << (i % 8)
		} else {
			nulls++
		}
	}
	return b, nulls
}

// fixed builds a fixed-width array of values (each stored in width bytes).
func fixed(format string, width int, vals []uint64, valid []bool) *node {
	v := make([]byte, width*len(vals))
	for i, x := range vals {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], x)
		copy(v[width*i:], w[:width])
	}
	bm, nulls := validity(valid, len(vals))
	return &node{format: format, length: int64(len(vals)), nulls: nulls, bufs: [][]byte{bm, v}}
}

func bools(vals []bool, valid []bool) *node {
	v := make([]byte, (len(vals)+7)/8)
	for i, x := range vals {
		if x {
			v[i/8] |= 1 << (i % 8)
		}
	}
	bm, nulls := validity(valid, len(vals))
	return &node{format: "b", length: int64(len(vals)), nulls: nulls, bufs: [][]byte{bm, v}}
}

// varlen builds a "u", "U", "z" or "Z" array.
func varlen(format string, vals []string, valid []bool) *node {
	w := 4
	if format == "U" || format == "Z" {
		w = 8
	}
	offs := make([]byte, w*(len(vals)+1))
	var data []byte
	for i, s := range vals {
		data = append(data, s...)
		if w == 4 {
			binary.LittleEndian.PutUint32(offs[4*i+4:], uint32(len(data)))
		} else {
			binary.LittleEndian.PutUint64(offs[8*i+8:], uint64(len(data)))
		}
	}
	bm, nulls := validity(valid, len(vals))
	return &node{format: format, length: int64(len(vals)), nulls: nulls, bufs: [][]byte{bm, offs, data}}
}

// views builds a "vu" or "vz" array whose long values alternate between two
// data buffers.
func views(format string, vals []string, valid []bool) *node {
	v := make([]byte, 16*len(vals))
	var data [2][]byte
	for i, s := range vals {
		e := v[16*i : 16*i+16]
		binary.LittleEndian.PutUint32(e, uint32(len(s)))
		if len(s) <= 12 {
			copy(e[4:], s)
			continue
		}
		copy(e[4:8], s)
		buf := i % 2
		binary.LittleEndian.PutUint32(e[8:], uint32(buf))
		binary.LittleEndian.PutUint32(e[12:], uint32(len(data[buf])))
		data[buf] = append(data[buf], s...)
	}
	sizes := make([]byte, 16)
	binary.LittleEndian.PutUint64(sizes, uint64(len(data[0])))
	binary.LittleEndian.PutUint64(sizes[8:], uint64(len(data[1])))
	bm, nulls := validity(valid, len(vals))
	return &node{format: format, length: int64(len(vals)), nulls: nulls, bufs: [][]byte{bm, v, data[0], data[1], sizes}}
}

// collect is a Sink that keeps every key.
type collect struct{ keys []uint64 }

func (c *collect) AddKeys(k []uint64) { c.keys = append(c.keys, k...) }

// count imports src and returns the keys added, with workers workers, in
// ranges of step elements; sorted when sorted is set (several workers).
func count(t *testing.T, src Source, workers int, step int64) []uint64 {
	t.Helper()
	keys, err := tryCount(src, 7, workers, step)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func tryCount(src Source, seed uint64, workers int, step int64) ([]uint64, error) {
	a, err := Import(src)
	if err != nil {
		return nil, err
	}
	s := NewScan(a, seed, workers)
	sinks := make([]Sink, workers)
	cs := make([]*collect, workers)
	for i := range sinks {
		cs[i] = &collect{}
		sinks[i] = cs[i]
	}
	for lo := int64(0); lo < a.Length; lo += step {
		if err := s.Run(a, lo, min(lo+step, a.Length), sinks); err != nil {
			return nil, err
		}
	}
	if err := s.Finish(a, cs[0]); err != nil {
		return nil, err
	}
	var all []uint64
	for _, c := range cs {
		all = append(all, c.keys...)
	}
	return all, nil
}

func sorted(k []uint64) []uint64 { k = slices.Clone(k); slices.Sort(k); return k }

func uniq(k []uint64) []uint64 { return slices.Compact(sorted(k)) }

// mask returns a validity pattern with every third element null.
func maskOf(n int) []bool {
	v := make([]bool, n)
	for i := range v {
		v[i] = i%3 != 1
	}
	return v
}

func TestFixedWidthKeys(t *testing.T) {
	ints := []int64{0, 1, -1, 127, -128, 255, 1 << 40, math.MinInt64, math.MaxInt64, 5, 5}
	for _, tc := range []struct {
		format string
		width  int
		key    func(int64) (uint64, bool) // the key of the value stored from x, and whether it fits
	}{
		{"c", 1, func(x int64) (uint64, bool) { return keyInt64(7, int64(int8(x))), true }},
		{"C", 1, func(x int64) (uint64, bool) { return keyInt64(7, int64(uint8(x))), true }},
		{"s", 2, func(x int64) (uint64, bool) { return keyInt64(7, int64(int16(x))), true }},
		{"S", 2, func(x int64) (uint64, bool) { return keyInt64(7, int64(uint16(x))), true }},
		{"i", 4, func(x int64) (uint64, bool) { return keyInt64(7, int64(int32(x))), true }},
		{"I", 4, func(x int64) (uint64, bool) { return keyInt64(7, int64(uint32(x))), true }},
		{"l", 8, func(x int64) (uint64, bool) { return keyInt64(7, x), true }},
		{"L", 8, func(x int64) (uint64, bool) { return keyUint64(7, uint64(x)), true }},
	} {
		vals := make([]uint64, len(ints))
		for i, x := range ints {
			vals[i] = uint64(x)
		}
		for _, valid := range [][]bool{nil, maskOf(len(ints))} {
			var want []uint64
			for i, x := range ints {
				if valid == nil || valid[i] {
					k, _ := tc.key(x)
					want = append(want, k)
				}
			}
			got := count(t, fixed(tc.format, tc.width, vals, valid), 1, 4)
			if !slices.Equal(got, want) {
				t.Errorf("%s valid=%v: got %x, want %x", tc.format, valid != nil, got, want)
			}
		}
	}
}

func TestFloatKeys(t *testing.T) {
	fs := []float64{0, math.Copysign(0, -1), 1, -2.5, 1e300, math.Inf(1), math.Inf(-1), math.NaN(), 65504, 6e-8}
	vals64 := make([]uint64, len(fs))
	vals32 := make([]uint64, len(fs))
	for i, f := range fs {
		vals64[i] = math.Float64bits(f)
		vals32[i] = uint64(math.Float32bits(float32(f)))
	}
	var want64, want32 []uint64
	for _, f := range fs {
		want64 = append(want64, keyFloat64(7, f))
		want32 = append(want32, keyFloat64(7, float64(float32(f))))
	}
	if got := count(t, fixed("g", 8, vals64, nil), 1, 100); !slices.Equal(got, want64) {
		t.Errorf("float64: got %x, want %x", got, want64)
	}
	if got := count(t, fixed("f", 4, vals32, nil), 1, 100); !slices.Equal(got, want32) {
		t.Errorf("float32: got %x, want %x", got, want32)
	}
	// float16: every bit pattern against the float32 conversion of its value.
	halfs := make([]uint64, 1<<16)
	for i := range halfs {
		halfs[i] = uint64(i)
	}
	got := count(t, fixed("e", 2, halfs, nil), 1, 1<<16)
	for i, k := range got {
		if want := keyFloat64(7, half(uint16(i))); k != want {
			t.Fatalf("float16 %#x: key %x, want %x", i, k, want)
		}
	}
	for h, f := range map[uint16]float64{0x3c00: 1, 0xc000: -2, 0x7bff: 65504, 0x0001: math.Ldexp(1, -24), 0x7c00: math.Inf(1), 0x3555: 0.333251953125} {
		if half(h) != f {
			t.Errorf("half(%#x) = %v, want %v", h, half(h), f)
		}
	}
	if !math.IsNaN(half(0x7e00)) {
		t.Error("half(0x7e00) is not NaN")
	}
}

func TestBoolKeys(t *testing.T) {
	vals := []bool{true, false, true, true, false, false, true, false, true, true}
	valid := maskOf(len(vals))
	var want []uint64
	for i, v := range vals {
		if valid[i] {
			x := int64(0)
			if v {
				x = 1
			}
			want = append(want, keyInt64(7, x))
		}
	}
	if got := count(t, bools(vals, valid), 1, 3); !slices.Equal(got, want) {
		t.Errorf("got %x, want %x", got, want)
	}
}

var words = []string{"a", "b", "", "héllo", "a", "twelve bytes", "thirteen byte", strings.Repeat("long ", 20), "b", "\x00", "z"}

func TestStringKeys(t *testing.T) {
	for _, tc := range []struct {
		format string
		str    bool
		build  func(string, []string, []bool) *node
	}{
		{"u", true, varlen}, {"U", true, varlen}, {"z", false, varlen}, {"Z", false, varlen},
		{"vu", true, views}, {"vz", false, views},
	} {
		for _, valid := range [][]bool{nil, maskOf(len(words))} {
			var want []uint64
			for i, w := range words {
				if valid == nil || valid[i] {
					want = append(want, bytesKey(tc.str, 7, []byte(w)))
				}
			}
			for _, step := range []int64{1, 3, 100} {
				if got := count(t, tc.build(tc.format, words, valid), 1, step); !slices.Equal(got, want) {
					t.Errorf("%s valid=%v step %d: got %x, want %x", tc.format, valid != nil, step, got, want)
				}
			}
		}
	}
	if keyString(7, []byte("a")) == keyBytes(7, []byte("a")) {
		t.Error("str and bytes keys agree")
	}
}

// withOffset returns n sliced: the first k elements (of a longer array built
// from pad+vals) are skipped through the offset.
func TestOffsets(t *testing.T) {
	pad := []string{"pad0", "pad1", "pad2"}
	all := append(slices.Clone(pad), words...)
	valid := append([]bool{false, true, true}, maskOf(len(words))...)
	for _, f := range []string{"u", "U", "vu", "z"} {
		build := varlen
		if f[0] == 'v' {
			build = views
		}
		sliced := build(f, all, valid)
		sliced.offset = int64(len(pad))
		sliced.length = int64(len(words))
		sliced.nulls = -1 // unknown: the bitmap decides
		plain := build(f, words, maskOf(len(words)))
		if got, want := count(t, sliced, 1, 2), count(t, plain, 1, 2); !slices.Equal(got, want) {
			t.Errorf("%s: sliced %x, plain %x", f, got, want)
		}
	}
	vals := []uint64{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
	sliced := fixed("l", 8, vals, maskOf(len(vals)))
	sliced.offset, sliced.length, sliced.nulls = 3, 5, -1
	want := count(t, fixed("l", 8, vals[3:8], maskOf(len(vals))[3:8]), 1, 100)
	if got := count(t, sliced, 1, 2); !slices.Equal(got, want) {
		t.Errorf("int64 slice: got %x, want %x", got, want)
	}
}

func TestDictionary(t *testing.T) {
	values := varlen("u", []string{"x", "y", "z", "unused", "w"}, []bool{true, true, false, true, true})
	idx := []uint64{0, 1, 1, 2, 4, 0, 0, 4}
	for _, f := range []struct {
		format string
		width  int
	}{{"c", 1}, {"C", 1}, {"s", 2}, {"S", 2}, {"i", 4}, {"I", 4}, {"l", 8}, {"L", 8}} {
		d := fixed(f.format, f.width, idx, []bool{true, true, true, true, true, false, true, true})
		d.dict = values
		want := uniq([]uint64{keyString(7, []byte("x")), keyString(7, []byte("y")), keyString(7, []byte("w"))})
		for _, workers := range []int{1, 2, 3} {
			if got := sorted(count(t, d, workers, 3)); !slices.Equal(got, want) {
				t.Errorf("index %s, %d workers: got %x, want %x", f.format, workers, got, want)
			}
		}
	}
	bad := fixed("i", 4, []uint64{0, 5}, nil)
	bad.dict = values
	if _, err := tryCount(bad, 7, 1, 10); !isData(err) {
		t.Errorf("index 5 of 5 values: err %v", err)
	}
	neg := fixed("c", 1, []uint64{0xff}, nil)
	neg.dict = values
	if _, err := tryCount(neg, 7, 1, 10); !isData(err) {
		t.Errorf("index -1: err %v", err)
	}
	float := fixed("g", 8, []uint64{0}, nil)
	float.dict = values
	if _, err := tryCount(float, 7, 1, 10); !isUnsupported(err) {
		t.Errorf("float index: err %v", err)
	}
}

func TestStruct(t *testing.T) {
	child := varlen("u", words, maskOf(len(words)))
	st := &node{format: "+s", length: int64(len(words)), bufs: [][]byte{nil}, children: []*node{child}}
	if got, want := count(t, st, 1, 4), count(t, child, 1, 4); !slices.Equal(got, want) {
		t.Errorf("struct: got %x, want %x", got, want)
	}
	// A sliced struct with nulls of its own, over a sliced child.
	child2 := varlen("u", append([]string{"p", "q"}, words...), append([]bool{true, true}, maskOf(len(words))...))
	child2.offset, child2.length, child2.nulls = 1, int64(len(words))+1, -1
	sv := make([]bool, len(words)+1)
	for i := range sv {
		sv[i] = i%4 != 0
	}
	bm, nulls := validity(sv, len(sv))
	st2 := &node{format: "+s", length: int64(len(words)), offset: 1, nulls: nulls, bufs: [][]byte{bm}, children: []*node{child2}}
	var want []uint64
	for i, w := range words { // struct element i: struct bit 1+i, child logical 1+i, child physical 2+i
		if sv[1+i] && maskOf(len(words))[i] {
			want = append(want, keyString(7, []byte(w)))
		}
	}
	if got := count(t, st2, 1, 5); !slices.Equal(got, want) {
		t.Errorf("sliced struct: got %x, want %x", got, want)
	}
	two := &node{format: "+s", length: 1, bufs: [][]byte{nil}, children: []*node{child, child}}
	if _, err := tryCount(two, 7, 1, 1); !isUnsupported(err) || !strings.Contains(err.Error(), "one field") {
		t.Errorf("two fields: err %v", err)
	}
}

func TestParallelMatchesSerial(t *testing.T) {
	n := 50000
	vals := make([]string, n)
	for i := range vals {
		vals[i] = strings.Repeat("x", i%17) + string(rune('a'+i%26))
	}
	valid := maskOf(n)
	for _, f := range []string{"u", "vu"} {
		build := varlen
		if f == "vu" {
			build = views
		}
		serial := sorted(count(t, build(f, vals, valid), 1, int64(n)))
		for _, workers := range []int{2, 4, 7} {
			for _, step := range []int64{int64(n), 9999} {
				if got := sorted(count(t, build(f, vals, valid), workers, step)); !slices.Equal(got, serial) {
					t.Errorf("%s, %d workers, step %d: keys differ from serial", f, workers, step)
				}
			}
		}
	}
}

func TestNullType(t *testing.T) {
	if got := count(t, &node{format: "n", length: 5, nulls: 5}, 1, 2); len(got) != 0 {
		t.Errorf("null array gave keys %x", got)
	}
}

func isData(err error) bool {
	var e *DataError
	return errors.As(err, &e)
}

func isUnsupported(err error) bool {
	var e *UnsupportedError
	return errors.As(err, &e)
}

func TestMalformed(t *testing.T) {
	u32 := func(xs ...uint32) []byte {
		b := make([]byte, 4*len(xs))
		for i, x := range xs {
			binary.LittleEndian.PutUint32(b[4*i:], x)
		}
		return b
	}
	view := func(n, buf, off uint32) []byte { return u32(n, 0, buf, off) }
	sizes := func(n uint64) []byte { b := make([]byte, 8); binary.LittleEndian.PutUint64(b, n); return b }
	for _, tc := range []struct {
		name        string
		n           *node
		unsupported bool
	}{
		{"unknown format", &node{format: "tsu:", length: 1, bufs: [][]byte{nil, make([]byte, 8)}}, true},
		{"decimal", &node{format: "d:10,2", length: 1, bufs: [][]byte{nil, make([]byte, 16)}}, true},
		{"list", &node{format: "+l", length: 0, bufs: [][]byte{nil, nil}}, true},
		{"too few buffers", &node{format: "l", length: 1, bufs: [][]byte{nil}}, false},
		{"too many buffers", &node{format: "u", length: 1, bufs: [][]byte{nil, u32(0, 1), {'a'}, nil}}, false},
		{"short values", &node{format: "l", length: 2, bufs: [][]byte{nil, make([]byte, 15)}}, false},
		{"missing values", &node{format: "i", length: 2, bufs: [][]byte{nil, nil}}, false},
		{"nulls without bitmap", &node{format: "i", length: 2, nulls: 1, bufs: [][]byte{nil, make([]byte, 8)}}, false},
		{"short bitmap", &node{format: "i", length: 9, nulls: 1, bufs: [][]byte{{0xff}, make([]byte, 36)}}, false},
		{"negative length", &node{format: "i", length: -1, bufs: [][]byte{nil, nil}}, false},
		{"huge offset", &node{format: "i", length: 1, offset: 1 << 62, bufs: [][]byte{nil, nil}}, false},
		{"null count > length", &node{format: "i", length: 1, nulls: 2, bufs: [][]byte{{1}, make([]byte, 4)}}, false},
		{"offsets decrease", &node{format: "u", length: 2, bufs: [][]byte{nil, u32(0, 3, 1), []byte("abc")}}, false},
		{"offset beyond data", &node{format: "u", length: 2, bufs: [][]byte{nil, u32(0, 9, 3), []byte("abc")}}, false},
		{"negative offset", &node{format: "u", length: 1, bufs: [][]byte{nil, u32(0xffffffff, 1), []byte("abc")}}, false},
		{"negative last offset", &node{format: "u", length: 1, bufs: [][]byte{nil, u32(0, 0xfffffff0), []byte("abc")}}, false},
		{"short data", &node{format: "u", length: 1, bufs: [][]byte{nil, u32(0, 3), []byte("ab")}}, false},
		{"view buffer index", &node{format: "vu", length: 1, bufs: [][]byte{nil, view(13, 1, 0), make([]byte, 20), sizes(20)}}, false},
		{"view beyond buffer", &node{format: "vu", length: 1, bufs: [][]byte{nil, view(13, 0, 10), make([]byte, 20), sizes(20)}}, false},
		{"view negative length", &node{format: "vz", length: 1, bufs: [][]byte{nil, view(0xffffffff, 0, 0), sizes(0)[:0]}}, false},
		{"view no sizes", &node{format: "vu", length: 1, bufs: [][]byte{nil, view(1, 0, 0)}}, false},
		{"view short variadic", &node{format: "vu", length: 1, bufs: [][]byte{nil, view(13, 0, 0), make([]byte, 5), sizes(20)}}, false},
		{"children on a leaf", &node{format: "i", length: 0, bufs: [][]byte{nil, nil}, children: []*node{{format: "i", bufs: [][]byte{nil, nil}}}}, false},
		{"struct child too short", &node{format: "+s", length: 3, bufs: [][]byte{nil}, children: []*node{{format: "i", length: 2, bufs: [][]byte{nil, make([]byte, 8)}}}}, false},
		{"array dictionary only", &node{format: "i", length: 0, bufs: [][]byte{nil, nil}, arrayDict: true}, false},
	} {
		_, err := tryCount(tc.n, 1, 1, 1)
		if tc.unsupported && !isUnsupported(err) || !tc.unsupported && !isData(err) {
			t.Errorf("%s: err %v (%T)", tc.name, err, err)
		}
		if tc.unsupported && err != nil && !strings.Contains(err.Error(), tc.n.format) {
			t.Errorf("%s: %q does not name the format", tc.name, err)
		}
	}
	// A null element's offsets are not read, so they may be anything.
	bm := []byte{0b100}
	ok := &node{format: "u", length: 3, nulls: 2, bufs: [][]byte{bm, u32(0, 7, 0, 1), []byte("a")}}
	if _, err := tryCount(ok, 1, 1, 2); err != nil {
		t.Errorf("null element with bad offsets: %v", err)
	}
}

func TestEmpty(t *testing.T) {
	for _, f := range []string{"l", "u", "U", "vu", "b", "e"} {
		nb := 2
		switch f {
		case "u", "U":
			nb = 3
		case "vu":
			nb = 3
		}
		got, err := tryCount(&node{format: f, bufs: make([][]byte, nb)}, 1, 1, 1)
		if err != nil || len(got) != 0 {
			t.Errorf("empty %s: keys %x, err %v", f, got, err)
		}
	}
}

// keysOnly hides a counter's AddArray, so the scan keys every element itself.
type keysOnly struct{ c *cvm.Counter }

func (k keysOnly) AddKeys(keys []uint64) { k.c.AddKeys(keys) }

func TestArraySinkMatchesKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		format string
		width  int
	}{{"c", 1}, {"C", 1}, {"s", 2}, {"S", 2}, {"i", 4}, {"I", 4}, {"l", 8}, {"L", 8}, {"f", 4}, {"g", 8}} {
		vals := make([]uint64, 30000)
		for i := range vals {
			vals[i] = r.Uint64() % 20000
			if tc.format == "g" && i%3 == 0 {
				vals[i] = math.Float64bits(float64(vals[i]) / 8)
			}
			if tc.format == "L" && i%5 == 0 {
				vals[i] |= 1 << 63
			}
		}
		n := fixed(tc.format, tc.width, vals, nil)
		n.offset, n.length = 7, int64(len(vals)-7)
		a, err := Import(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, seed := range []uint64{1, 2} {
			fast, slow := cvm.New(600, seed), cvm.New(600, seed)
			for _, sink := range []Sink{fast, keysOnly{slow}} {
				s := NewScan(a, seed, 1)
				if err := s.Run(a, 0, a.Length, []Sink{sink}); err != nil {
					t.Fatal(err)
				}
			}
			if fast.Estimate() != slow.Estimate() || fast.Len() != slow.Len() {
				t.Errorf("%s seed %d: AddArray gives %v, AddKeys %v", tc.format, seed, fast.Estimate(), slow.Estimate())
			}
		}
	}
}
