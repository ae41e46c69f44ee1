package cvm

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// columnValues returns n values of every length class up to 300 bytes, most
// of them short, from about n/3 distinct ones.
func columnValues(r *rand.Rand, n int) [][]byte {
	distinct := make([][]byte, max(1, n/3))
	for i := range distinct {
		l := r.IntN(9)
		switch r.IntN(6) {
		case 0:
			l = r.IntN(4)
		case 1:
			l = 9 + r.IntN(8)
		case 2:
			l = 17 + r.IntN(300)
		}
		b := make([]byte, l)
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		distinct[i] = b
	}
	vals := make([][]byte, n)
	for i := range vals {
		vals[i] = distinct[r.IntN(len(distinct))]
	}
	return vals
}

// offsetsOf lays vals out as Arrow offsets (int32 or int64) and data.
func offsetsOf(vals [][]byte, wide bool) (offs, data []byte) {
	put := func(o int) {
		if wide {
			offs = binary.NativeEndian.AppendUint64(offs, uint64(o))
		} else {
			offs = binary.NativeEndian.AppendUint32(offs, uint32(o))
		}
	}
	put(0)
	for _, v := range vals {
		data = append(data, v...)
		put(len(data))
	}
	return offs, data
}

// viewsOf lays vals out as Arrow views over three buffers.
func viewsOf(vals [][]byte) (views []byte, bufs [][]byte) {
	bufs = make([][]byte, 3)
	for i, v := range vals {
		var e [16]byte
		binary.NativeEndian.PutUint32(e[:], uint32(len(v)))
		if len(v) <= 12 {
			copy(e[4:], v)
		} else {
			b := i % 3
			copy(e[4:8], v)
			binary.NativeEndian.PutUint32(e[8:], uint32(b))
			binary.NativeEndian.PutUint32(e[12:], uint32(len(bufs[b])))
			bufs[b] = append(bufs[b], v...)
		}
		views = append(views, e[:]...)
	}
	return views, bufs
}

// keyed is the counter of vals added key by key.
func keyed(vals [][]byte, threshold int, seed uint64, bytes bool) *Counter {
	c := New(threshold, seed)
	for _, v := range vals {
		if bytes {
			c.AddKeys([]uint64{KeyBytes(seed, v)})
		} else {
			c.AddKeys([]uint64{KeyString(seed, v)})
		}
	}
	return c
}

// equalStates reports whether a and b have one exponent and buffer.
func equalStates(a, b *Counter) bool {
	ka, kb := a.Keys(nil), b.Keys(nil)
	slices.Sort(ka)
	slices.Sort(kb)
	return a.Exponent() == b.Exponent() && slices.Equal(ka, kb)
}

// The column loops give the state of adding KeyString (KeyBytes) of each
// value, for every layout, in ranges of any size, at thresholds that make
// the level rise during a range, under several seeds.
func TestAddColumnsMatchKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	vals := columnValues(r, 20000)
	vals = append(vals, []byte{}, []byte("w1234"), []byte(strings.Repeat("x", 16)), []byte(strings.Repeat("y", 17)))
	for _, seed := range []uint64{0, 1, DefaultSeed, r.Uint64()} {
		for _, bytes := range []bool{false, true} {
			for _, threshold := range []int{2, 50, 1000, 100000} {
				want := keyed(vals, threshold, seed, bytes)
				for _, layout := range []string{"int32", "int64", "views"} {
					for _, step := range []int{1, 7, 4096, len(vals)} {
						c := New(threshold, seed)
						offs, data := offsetsOf(vals, layout == "int64")
						views, bufs := viewsOf(vals)
						for lo := 0; lo < len(vals); lo += step {
							hi := min(lo+step, len(vals))
							bad := 0
							if layout == "views" {
								bad = c.AddViews(views, bufs, bytes, lo, hi)
							} else {
								bad = c.AddOffsets(offs, layout == "int64", data, bytes, lo, hi)
							}
							if bad != -1 {
								t.Fatalf("%s: bad value %d", layout, bad)
							}
						}
						if !equalStates(c, want) {
							t.Fatalf("%s, seed %#x, bytes %v, threshold %d, step %d: k %d, %d keys; key by key k %d, %d keys",
								layout, seed, bytes, threshold, step, c.Exponent(), c.Len(), want.Exponent(), want.Len())
						}
					}
				}
			}
		}
	}
}

// Bad offsets and views are reported at the first bad value, the values
// before it added.
func TestAddColumnsBad(t *testing.T) {
	vals := [][]byte{[]byte("a"), []byte("bb"), []byte("ccc"), []byte("a longer value, past 12"), []byte("e")}
	ne := binary.NativeEndian
	for _, tc := range []struct {
		name string
		edit func(offs []byte, wide bool)
		bad  int
	}{
		{"first offset negative", func(o []byte, w bool) { putOff(o, w, 0, -1) }, 0},
		{"first offset past data", func(o []byte, w bool) { putOff(o, w, 0, 1000) }, 0},
		{"out of order", func(o []byte, w bool) { putOff(o, w, 2, 0) }, 1},
		{"last past data", func(o []byte, w bool) { putOff(o, w, 5, 1000) }, 4},
		{"negative", func(o []byte, w bool) { putOff(o, w, 3, -5) }, 2},
	} {
		for _, wide := range []bool{false, true} {
			offs, data := offsetsOf(vals, wide)
			tc.edit(offs, wide)
			c := New(100, 1)
			if got := c.AddOffsets(offs, wide, data, false, 0, len(vals)); got != tc.bad {
				t.Errorf("%s, wide %v: bad %d, want %d", tc.name, wide, got, tc.bad)
			} else if want := keyed(vals[:tc.bad], 100, 1, false); !equalStates(c, want) {
				t.Errorf("%s, wide %v: the values before the bad one were not added", tc.name, wide)
			}
		}
	}
	for _, tc := range []struct {
		name string
		edit func(v []byte)
	}{
		{"negative length", func(v []byte) { ne.PutUint32(v[48:], 0xffff_fff0) }},
		{"buffer index", func(v []byte) { ne.PutUint32(v[48+8:], 3) }},
		{"negative buffer index", func(v []byte) { ne.PutUint32(v[48+8:], 0xffff_ffff) }},
		{"offset past buffer", func(v []byte) { ne.PutUint32(v[48+12:], 1) }},
		{"negative offset", func(v []byte) { ne.PutUint32(v[48+12:], 0x8000_0000) }},
		{"length past buffer", func(v []byte) { ne.PutUint32(v[48:], 24) }},
	} {
		views, bufs := viewsOf(vals)
		tc.edit(views)
		c := New(100, 1)
		if got := c.AddViews(views, bufs, true, 0, len(vals)); got != 3 {
			t.Errorf("%s: bad %d, want 3", tc.name, got)
		} else if want := keyed(vals[:3], 100, 1, true); !equalStates(c, want) {
			t.Errorf("%s: the values before the bad one were not added", tc.name)
		}
	}
}

func putOff(o []byte, wide bool, i int, v int64) {
	if wide {
		binary.NativeEndian.PutUint64(o[8*i:], uint64(v))
	} else {
		binary.NativeEndian.PutUint32(o[4*i:], uint32(int32(v)))
	}
}

// FuzzAddOffsets: arbitrary offsets over arbitrary data never read out of
// bounds, and count what key-by-key adding of the values before the first
// bad one counts.
func FuzzAddOffsets(f *testing.F) {
	offs, data := offsetsOf([][]byte{[]byte("ab"), []byte("w12345"), []byte("0123456789abcdef0")}, false)
	f.Add(offs, data, false, uint8(0))
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255}, []byte("xyz"), true, uint8(1))
	f.Fuzz(func(t *testing.T, offs, data []byte, wide bool, lo uint8) {
		w := 4
		if wide {
			w = 8
		}
		n := len(offs)/w - 1
		if n < 0 {
			return
		}
		start := min(int(lo), n)
		ne := binary.NativeEndian
		at := func(i int) int64 {
			if wide {
				return int64(ne.Uint64(offs[8*i:]))
			}
			return int64(int32(ne.Uint32(offs[4*i:])))
		}
		var vals [][]byte
		wantBad := -1
		for i := start; i < n; i++ {
			s, e := at(i), at(i+1)
			if s < 0 || s > e || e > int64(len(data)) {
				wantBad = i
				break
			}
			vals = append(vals, data[s:e])
		}
		for _, bytes := range []bool{false, true} {
			c := New(4, 9)
			if got := c.AddOffsets(offs, wide, data, bytes, start, n); got != wantBad {
				t.Fatalf("bad %d, want %d", got, wantBad)
			}
			if want := keyed(vals, 4, 9, bytes); !equalStates(c, want) {
				t.Fatalf("state differs from key by key")
			}
		}
	})
}

// FuzzAddViews: arbitrary views over arbitrary buffers, likewise.
func FuzzAddViews(f *testing.F) {
	views, bufs := viewsOf([][]byte{[]byte("ab"), []byte("a longer value, past 12"), []byte("abcdefghijkl")})
	f.Add(views, bufs[0], bufs[1])
	f.Fuzz(func(t *testing.T, views, b0, b1 []byte) {
		n := len(views) / 16
		bufs := [][]byte{b0, b1}
		ne := binary.NativeEndian
		var vals [][]byte
		wantBad := -1
		for i := range n {
			v := views[16*i : 16*i+16]
			l := int64(int32(ne.Uint32(v)))
			if l >= 0 && l <= 12 {
				vals = append(vals, v[4:4+l])
				continue
			}
			b, o := int64(int32(ne.Uint32(v[8:]))), int64(int32(ne.Uint32(v[12:])))
			if l < 0 || b < 0 || b >= 2 || o < 0 || o+l > int64(len(bufs[b])) {
				wantBad = i
				break
			}
			vals = append(vals, bufs[b][o:o+l])
		}
		c := New(4, 9)
		if got := c.AddViews(views, bufs, false, 0, n); got != wantBad {
			t.Fatalf("bad %d, want %d", got, wantBad)
		}
		if want := keyed(vals, 4, 9, false); !equalStates(c, want) {
			t.Fatalf("state differs from key by key")
		}
	})
}

// benchWords returns n strings "w<k>" with k below distinct (the benchmarks'
// short strings, 2 to 7 bytes).
func benchWords(n, distinct int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([][]byte, n)
	for i := range vals {
		vals[i] = []byte("w" + strconvItoa(r.IntN(distinct)))
	}
	return vals
}

func strconvItoa(v int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}

// BenchmarkAddColumn: 2M short strings from 200k distinct, as the extension
// counts a column: ranges of 2^18 values.
func BenchmarkAddColumn(b *testing.B) {
	vals := benchWords(1<<21, 200_000)
	threshold, _ := Threshold(0.5, 0.001, uint64(len(vals)))
	offs, data := offsetsOf(vals, false)
	offs64, _ := offsetsOf(vals, true)
	views, bufs := viewsOf(vals)
	for _, layout := range []string{"int32", "int64", "views", "keys"} {
		b.Run(layout, func(b *testing.B) {
			c := New(threshold, 1)
			keys := make([]uint64, 1024)
			b.ReportAllocs()
			for b.Loop() {
				c.Reset()
				for lo := 0; lo < len(vals); lo += 1 << 18 {
					hi := min(lo+1<<18, len(vals))
					switch layout {
					case "int32":
						c.AddOffsets(offs, false, data, false, lo, hi)
					case "int64":
						c.AddOffsets(offs64, true, data, false, lo, hi)
					case "views":
						c.AddViews(views, bufs, false, lo, hi)
					case "keys": // the key-by-key path, for comparison
						for i := lo; i < hi; i += len(keys) {
							n := min(len(keys), hi-i)
							for j := range n {
								keys[j] = KeyString(1, vals[i+j])
							}
							c.AddKeys(keys[:n])
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(vals)), "ns/key")
		})
	}
}
