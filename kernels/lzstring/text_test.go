package lzstring

import (
	"encoding/binary"
	"slices"
	"sync/atomic"
	"testing"
	"unicode/utf16"
)

func TestAppendUTF16(t *testing.T) {
	cases := []struct {
		cps  []uint32
		want []uint16
	}{
		{nil, []uint16{}},
		{[]uint32{'a', 0xE9, 0xFFFF}, []uint16{'a', 0xE9, 0xFFFF}},
		{[]uint32{0x10000}, []uint16{0xD800, 0xDC00}},
		{[]uint32{0x10FFFF, 'x'}, []uint16{0xDBFF, 0xDFFF, 'x'}},
		{[]uint32{0x1F600}, utf16.Encode([]rune{0x1F600})},
		{[]uint32{0xD800, 0xDC00}, []uint16{0xD800, 0xDC00}}, // lone surrogates stay units
	}
	for _, c := range cases {
		got := AppendUTF16(make([]uint16, 3, 8), c.cps) // dst[:0]: old contents dropped
		if !slices.Equal(got, c.want) {
			t.Errorf("AppendUTF16(%x) = %x, want %x", c.cps, got, c.want)
		}
	}
}

func TestNarrow(t *testing.T) {
	cases := []struct {
		units   []uint16
		width   int
		cps     []uint32
		maxchar uint32
	}{
		{nil, 1, nil, 0},
		{[]uint16{'a', 0xFF}, 1, []uint32{'a', 0xFF}, 0xFF},
		{[]uint16{'a', 0x100}, 2, []uint32{'a', 0x100}, 0x100},
		{[]uint16{0xD800}, 2, []uint32{0xD800}, 0xD800},                 // lone high surrogate
		{[]uint16{0xDC00, 0xD800}, 2, []uint32{0xDC00, 0xD800}, 0xDC00}, // wrong order: no pair
		{[]uint16{0xD800, 0xDC00}, 4, []uint32{0x10000}, 0x10000},       // a pair
		{[]uint16{0xFFFF, 0xD800, 0xDC00}, 4, []uint32{0xFFFF, 0x10000}, 0x10000},
		{[]uint16{0xD800, 0xD800, 0xDFFF}, 4, []uint32{0xD800, 0x103FF}, 0x103FF}, // lone, then a pair
	}
	for _, c := range cases {
		width, n, top := Narrow(c.units)
		if width != c.width || n != len(c.cps) {
			t.Errorf("Narrow(%x) = width %d, n %d; want %d, %d", c.units, width, n, c.width, len(c.cps))
			continue
		}
		switch width {
		case 1:
			got := make([]uint8, n)
			NarrowTo1(got, c.units)
			for i := range got {
				if uint32(got[i]) != c.cps[i] {
					t.Errorf("NarrowTo1(%x) = %x", c.units, got)
				}
			}
			fallthrough
		case 2:
			if top != c.maxchar {
				t.Errorf("Narrow(%x) maxchar = %#x, want %#x", c.units, top, c.maxchar)
			}
		case 4:
			got := make([]uint32, n)
			if m := JoinPairs(got, c.units); m != c.maxchar || !slices.Equal(got, c.cps) {
				t.Errorf("JoinPairs(%x) = %x max %#x, want %x max %#x", c.units, got, m, c.cps, c.maxchar)
			}
		}
	}
}

// In place, as golib narrows C memory: the bytes overwrite the units.
func TestNarrowTo1InPlace(t *testing.T) {
	units := []uint16{'h', 'e', 0xFF, 'l', 0, 'o'}
	want := []byte{'h', 'e', 0xFF, 'l', 0, 'o'}
	mem := make([]byte, 2*len(units))
	for i, u := range units {
		binary.NativeEndian.PutUint16(mem[2*i:], u)
	}
	view := make([]uint16, len(units))
	for i := range view {
		view[i] = binary.NativeEndian.Uint16(mem[2*i:])
	}
	NarrowTo1(mem, view)
	if !slices.Equal(mem[:len(units)], want) {
		t.Fatalf("NarrowTo1 in place = %x, want %x", mem[:len(units)], want)
	}
}

func TestForEach(t *testing.T) {
	const n = 1000
	var sum atomic.Int64
	ForEach(n, 0, func(_, i int) { sum.Add(int64(i)) })
	if got := sum.Load(); got != n*(n-1)/2 {
		t.Fatalf("ForEach sum of indexes = %d, want %d", got, n*(n-1)/2)
	}
}

// FuzzNarrow: any UTF-16 units (lone surrogates included) survive the trip
// to code points and back, Narrow's width is the narrowest that holds the
// code points, and the code points agree with unicode/utf16 wherever the
// units are valid UTF-16.
func FuzzNarrow(f *testing.F) {
	f.Add([]byte("ab"))
	f.Add([]byte{0xD8, 0x00, 0xDC, 0x00})
	f.Add([]byte{0xDB, 0xFF, 0xDF, 0xFF, 0x00, 0x41, 0xD8, 0x00})
	f.Add([]byte{0x01, 0x00, 0xDC, 0x00, 0xD8})
	f.Fuzz(func(t *testing.T, data []byte) {
		units := unitsOf(data)
		width, n, top := Narrow(units)
		cps := make([]uint32, n)
		maxc := JoinPairs(cps, units)
		if back := AppendUTF16(nil, cps); !slices.Equal(back, units) {
			t.Fatalf("units %x -> code points %x -> %x", units, cps, back)
		}
		want := 1
		for _, c := range cps {
			switch {
			case c > 0xFFFF:
				want = 4
			case c > 0xFF && want < 2:
				want = 2
			}
		}
		if width != want {
			t.Fatalf("Narrow(%x) width %d, want %d (code points %x)", units, width, want, cps)
		}
		if width < 4 && top != maxc {
			t.Fatalf("Narrow(%x) maxchar %#x, JoinPairs says %#x", units, top, maxc)
		}
		if slices.Max(append([]uint32{0}, cps...)) != maxc {
			t.Fatalf("JoinPairs(%x) max %#x", units, maxc)
		}
		valid := true
		for _, c := range cps {
			if c >= 0xD800 && c < 0xE000 {
				valid = false
			}
		}
		if valid {
			runes := utf16.Decode(units)
			for i, r := range runes {
				if uint32(r) != cps[i] {
					t.Fatalf("JoinPairs(%x) = %x, unicode/utf16 %x", units, cps, runes)
				}
			}
		}
	})
}
