package text

import (
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// pySpaces is the output of
//
//	python3 -c "import sys; print([hex(c) for c in range(sys.maxunicode+1) if chr(c).isspace()])"
//
// (identical under CPython 3.9 to 3.13), copied verbatim.
var pySpaces = []uint32{0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000}

func pySpaceSet() map[uint32]bool {
	set := make(map[uint32]bool, len(pySpaces))
	for _, c := range pySpaces {
		set[c] = true
	}
	return set
}

func TestIsSpace(t *testing.T) {
	set := pySpaceSet()
	// Every code point, then a few 4-byte unit values that no str holds.
	check := func(c uint32) {
		if got, want := isSpace(c) == 1, set[c]; got != want {
			t.Errorf("isSpace(%#x) = %v, want %v", c, got, want)
		}
	}
	for c := uint32(0); c <= 0x10ffff; c++ {
		check(c)
	}
	for _, c := range []uint32{0x110000, 0x1000_0020, 0x8000_0009, 0xffff_ffff} {
		check(c)
	}
}

func TestByteSpace8(t *testing.T) {
	set := pySpaceSet()
	want := func(x uint64) uint64 {
		var m uint64
		for j := 0; j < 8; j++ {
			if set[uint32(x>>(8*j)&0xff)] {
				m |= 1 << j
			}
		}
		return m
	}
	check := func(x uint64) {
		if got := movemask(latin1Space8(x)); got != want(x) {
			t.Fatalf("latin1Space8(%#016x) = %08b, want %08b", x, got, want(x))
		}
		if a := x &^ msbs; movemask(asciiSpace8(a)) != want(a) {
			t.Fatalf("asciiSpace8(%#016x) = %08b, want %08b", a, movemask(asciiSpace8(a)), want(a))
		}
	}
	// Every byte value in every lane, among neighbours that are spaces,
	// letters or their high-bit twins (which would catch carries between
	// lanes).
	for _, fill := range []uint64{0, 0x20 * lsbs, 0x61 * lsbs, 0xa0 * lsbs, 0xff * lsbs, 0x85 * lsbs, 0x7f * lsbs} {
		for j := 0; j < 8; j++ {
			for b := uint64(0); b < 256; b++ {
				check(fill&^(0xff<<(8*j)) | b<<(8*j))
			}
		}
	}
	r := rng.New(1)
	for range 100000 {
		check(r.Uint64())
	}
}

func TestByteSpaceMask(t *testing.T) {
	r := rng.New(2)
	var b [64]byte
	for i := range 20000 {
		// Mostly ASCII blocks, some with one high byte.
		for j := range b {
			b[j] = byte(r.Below(0x80))
		}
		if i%2 == 1 {
			b[r.Below(64)] = byte(0x80 + r.Below(0x80))
		}
		if got, want := byteSpaceMask(&b), spaceMask(b[:]); got != want {
			t.Fatalf("byteSpaceMask(%q) = %064b, want %064b", b, got, want)
		}
	}
}
