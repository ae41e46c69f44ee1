package text

import "encoding/binary"

// Whitespace as CPython's str.split() and str.isspace() define it
// (Py_UNICODE_ISSPACE). The set was produced by running
//
//	python3 -c "import sys; print([hex(c) for c in range(sys.maxunicode+1) if chr(c).isspace()])"
//
// under CPython 3.9.18, 3.10.13, 3.11.7, 3.12.1 and 3.13.0, which all print the
// same 29 code points:
//
//	0x9 0xa 0xb 0xc 0xd 0x1c 0x1d 0x1e 0x1f 0x20 0x85 0xa0 0x1680
//	0x2000 0x2001 0x2002 0x2003 0x2004 0x2005 0x2006 0x2007 0x2008 0x2009 0x200a
//	0x2028 0x2029 0x202f 0x205f 0x3000
//
// It differs from Go's unicode.IsSpace, which lacks 0x1c-0x1f. U+200B and
// U+FEFF are not whitespace.

// spaces is that output.
var spaces = [...]uint32{
	0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
	0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
	0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
}

// spaceBits is a bitmap of the whitespace below 0x10000, which is all of it:
// bit c%64 of word c/64 is set when c is whitespace.
//
// A lookup in it costs no branch, where a test for the latin-1 range and then
// for the wide spaces would branch unpredictably on text that mixes them,
// such as Japanese with U+3000 between ideographs. Of its 8 KiB a text
// touches only the cache lines of its scripts.
var spaceBits = func() (b [0x10000 / 64]uint64) {
	for _, c := range spaces {
		b[c/64] |= 1 << (c % 64)
	}
	return b
}()

// isSpace reports, as 0 or 1, whether the code point c is whitespace.
func isSpace(c uint32) uint64 {
	return spaceBits[c/64%1024] >> (c % 64) & uint64(b2i(c < 0x10000))
}

// spaceMask returns a mask with bit i set when s[i] is whitespace, for
// len(s) <= 64.
func spaceMask[T Unit](s []T) uint64 {
	var m uint64
	for i, c := range s {
		m |= isSpace(uint32(c)) << uint(i)
	}
	return m
}

// spaceMask16 returns the whitespace mask of 64 2-byte units, and a mask with
// bit i set when s[i] is 'a' or 'e' (see wideBlock).
//
// It is not inlined: in ShortLong's loop it would run short of registers.
//
//go:noinline
func spaceMask16(s *[64]uint16) (sp, ae uint64) {
	for i, c := range s {
		sp |= spaceBits[c/64] >> (c % 64) & 1 << i
		// 'a' is 0x61 and 'e' 0x65, so one comparison finds both.
		ae |= uint64(b2i(c|4 == 'e')) << i
	}
	return sp, ae
}

// spaceMask32 is spaceMask16 for 4-byte units.
//
//go:noinline
func spaceMask32(s *[64]uint32) (sp, ae uint64) {
	for i, c := range s {
		sp |= isSpace(c) << i
		ae |= uint64(b2i(c|4 == 'e')) << i
	}
	return sp, ae
}

// SWAR constants: the low and the high bit of every byte of a word.
const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// byteSpaceMask returns the whitespace mask of 64 latin-1 units: bit i is
// set when b[i] is whitespace.
//
// It classifies eight bytes at once (SWAR) with additions that cannot carry
// from one byte into the next: for a byte y < 0x80, y+(0x80-lo) has its high
// bit set iff y >= lo, and y+(0x7f-hi) iff y > hi. ASCII text takes a shorter
// path.
func byteSpaceMask(b *[64]byte) uint64 {
	// Written out rather than looped: constant shifts, and no loop
	// overhead, in the kernel's hottest code.
	x0 := binary.LittleEndian.Uint64(b[0:])
	x1 := binary.LittleEndian.Uint64(b[8:])
	x2 := binary.LittleEndian.Uint64(b[16:])
	x3 := binary.LittleEndian.Uint64(b[24:])
	x4 := binary.LittleEndian.Uint64(b[32:])
	x5 := binary.LittleEndian.Uint64(b[40:])
	x6 := binary.LittleEndian.Uint64(b[48:])
	x7 := binary.LittleEndian.Uint64(b[56:])
	if (x0|x1|x2|x3|x4|x5|x6|x7)&msbs == 0 {
		return movemask(asciiSpace8(x0)) | movemask(asciiSpace8(x1))<<8 |
			movemask(asciiSpace8(x2))<<16 | movemask(asciiSpace8(x3))<<24 |
			movemask(asciiSpace8(x4))<<32 | movemask(asciiSpace8(x5))<<40 |
			movemask(asciiSpace8(x6))<<48 | movemask(asciiSpace8(x7))<<56
	}
	return movemask(latin1Space8(x0)) | movemask(latin1Space8(x1))<<8 |
		movemask(latin1Space8(x2))<<16 | movemask(latin1Space8(x3))<<24 |
		movemask(latin1Space8(x4))<<32 | movemask(latin1Space8(x5))<<40 |
		movemask(latin1Space8(x6))<<48 | movemask(latin1Space8(x7))<<56
}

// asciiSpace8 sets the high bit of each byte of x that is whitespace, for x
// holding bytes below 0x80: those in [0x09,0x0d] or [0x1c,0x20].
func asciiSpace8(x uint64) uint64 {
	return ((x+(0x80-0x09)*lsbs)&^(x+(0x7f-0x0d)*lsbs) |
		(x+(0x80-0x1c)*lsbs)&^(x+(0x7f-0x20)*lsbs)) & msbs
}

// latin1Space8 sets the high bit of each byte of x that is whitespace. Bytes
// at or above 0x80 are whitespace when their low seven bits are 0x05 (U+0085)
// or 0x20 (U+00A0).
func latin1Space8(x uint64) uint64 {
	y := x &^ msbs
	low := asciiSpace8(y)
	high := ((y+(0x80-0x05)*lsbs)&^(y+(0x7f-0x05)*lsbs) |
		(y+(0x80-0x20)*lsbs)&^(y+(0x7f-0x20)*lsbs)) & msbs
	return low&^x | high&x
}

// movemask gathers the high bits of the bytes of x, which has no other bits
// set, into bits 0-7: byte j's bit, moved to bit 8j, is multiplied to bit
// 56+j, and no two partial products meet.
func movemask(x uint64) uint64 {
	return (x >> 7) * 0x0102040810204080 >> 56
}
