package cvm

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// Columns of variable-length values (str or bytes) in the layouts of Arrow:
// offsets into one data buffer, or 16-byte views. Each value is keyed as
// KeyString or KeyBytes keys it and tested against the counter's level in
// the same loop, with the hash of values up to 16 bytes written out in the
// loop (no call) and the loads unchecked once the value's bounds are: most
// values fail the level test and cost only their hash.

// shortSeeds holds, for one seed, the seed-dependent constants of XXH3's
// classes up to 16 bytes, so that column loops compute them once, and the
// lowest bit of the keys (0 for str, 1 for bytes).
type shortSeeds struct {
	s1to3, s4to8, s9to16a, s9to16b, empty uint64
	seed                                  uint64
	bit                                   uint64
}

// columnSeeds returns the constants of str keys, or of bytes keys if bytes.
func columnSeeds(seed uint64, bytes bool) shortSeeds {
	bit := uint64(0)
	if bytes {
		seed ^= bytesDomain
		bit = 1
	} else {
		seed ^= strDomain
	}
	s48 := seed ^ uint64(bits.ReverseBytes32(uint32(seed)))<<32
	return shortSeeds{
		s1to3:   secret0to3 + seed,
		s4to8:   secret4to8 - s48,
		s9to16a: secret9to16a + seed,
		s9to16b: secret9to16b - seed,
		empty:   xxhAvalanche(seed ^ secretEmpty),
		seed:    seed,
		bit:     bit,
	}
}

// levelLimit returns the largest key of level at least k (0 <= k <= 64): a
// key is in the buffer at exponent k iff it is at most levelLimit(k), one
// comparison in the column loops.
func levelLimit(k int) uint64 { return ^uint64(0) >> uint(k) }

// hashLong is hashSeed of the n bytes at p for the classes the column loops
// do not write out (more than 16 bytes); the compiler does not inline
// functions of the size of those loops' switch, hence its copies.
func (s *shortSeeds) hashLong(p unsafe.Pointer, n uint64) uint64 {
	return xxh3.HashSeed(unsafe.Slice((*byte)(p), n), s.seed)
}

// insert adds the key of the hash h to c if its level reaches c's exponent,
// and returns c's new limit. The column loops call it for the hashes at most
// lim|1: the key (h with its lowest bit set or cleared) can be at most lim
// only then.
func (s *shortSeeds) insert(c *Counter, h, lim uint64) uint64 {
	if key := h&^1 | s.bit; key <= lim {
		c.insertSlow(key)
		lim = levelLimit(c.k)
	}
	return lim
}

// AddOffsets adds the values lo <= i < hi of a column in the layout of
// Arrow's string and binary types: value i is data[offsets[i]:offsets[i+1]],
// the offsets being native-order int32s, or int64s if wide. The values are
// keyed as KeyBytes keys them if bytes, else as KeyString keys the str of
// that UTF-8 (the bytes are not checked to be UTF-8).
//
// AddOffsets returns -1, or the index of the first value whose offsets are
// out of order or outside data (the values before it are added). It panics
// if offsets is too short for hi+1 offsets, and with ErrNoMemory as AddKeys
// does.
func (c *Counter) AddOffsets(offsets []byte, wide bool, data []byte, bytes bool, lo, hi int) int {
	if lo < 0 || lo > hi {
		panic("cvm: AddOffsets: bad range")
	}
	if lo == hi {
		return -1
	}
	s := columnSeeds(c.seed, bytes)
	var bad int
	if wide {
		offs := offsets[8*lo : 8*(hi+1)]
		bad = addOffsets(c, unsafe.Pointer(unsafe.SliceData(offs)), true, hi-lo, data, &s)
	} else {
		offs := offsets[4*lo : 4*(hi+1)]
		bad = addOffsets(c, unsafe.Pointer(unsafe.SliceData(offs)), false, hi-lo, data, &s)
	}
	if bad >= 0 {
		bad += lo
	}
	return bad
}

// offsetAt is offset i of the int64 (if wide) or int32 offsets at offs,
// read byte-wise (one unaligned load): offsets need not be aligned.
// Distributed rebuilds a partition's buffers at any byte offset of its
// message; copying such offsets to aligned memory first cost 1.3x the count.
// (A generic version was not inlined: 1.4x slower.)
func offsetAt(offs unsafe.Pointer, wide bool, i int) uint64 {
	if wide {
		return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(offs, 8*i))[:])
	}
	return uint64(int64(int32(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(offs, 4*i))[:]))))
}

// addOffsets adds the count values that the count+1 offsets at offs (int64s
// if wide, else int32s) delimit in data; it returns -1 or the index of the
// first bad value.
func addOffsets(c *Counter, offs unsafe.Pointer, wide bool, count int, data []byte, s *shortSeeds) int {
	base := unsafe.Pointer(unsafe.SliceData(data))
	start := offsetAt(offs, wide, 0)
	if start > uint64(len(data)) {
		return 0 // negative (huge as uint64) or beyond the data
	}
	room := uint64(len(data)) - start // bytes after start
	s4to8 := s.s4to8
	lim := levelLimit(c.k)
	if wide {
		offs = unsafe.Add(offs, 8)
	} else {
		offs = unsafe.Add(offs, 4)
	}
	// The inner loop makes no calls, so that its values stay in registers
	// (Go spills values live across a call); it stops at the rare values
	// that need one: a long value to hash, a key to insert.
	for i := 0; i < count; i++ {
		var h, n uint64
		var p unsafe.Pointer
		long := false
		for ; i < count; i++ {
			// One comparison catches end < start (n wraps around) and end
			// beyond the data.
			n = offsetAt(offs, wide, i) - start
			if n > room {
				return i
			}
			room -= n
			p = unsafe.Add(base, start)
			start += n
			// hashSeed, with each class one unsigned comparison
			// (wrap-around) and the common short strings (4 to 8 bytes)
			// first.
			switch {
			case n-4 <= 4:
				h = rrmxmx((uint64(load32(p, n-4))|uint64(load32(p, 0))<<32)^s4to8, n)
			case n-9 <= 7:
				h = avalanche9to16(load64(p, 0)^s.s9to16a, load64(p, n-8)^s.s9to16b, n)
			case n-1 <= 2:
				h = xxhAvalanche(bytes1to3(p, n) ^ s.s1to3)
			case n == 0:
				h = s.empty
			default:
				long = true
			}
			if long || h <= lim|1 {
				break
			}
		}
		if i == count {
			break
		}
		if long {
			h = s.hashLong(p, n)
		}
		if h <= lim|1 {
			lim = s.insert(c, h, lim)
		}
	}
	return -1
}

// AddViews adds the values lo <= i < hi of a column in the layout of
// Arrow's string_view and binary_view types: 16-byte views, each the value's
// length (an int32), then either the value itself (12 bytes at most) or its
// first 4 bytes, the index of a buffer in bufs and the value's offset in it
// (int32s, native order). Keys are those of AddOffsets.
//
// AddViews returns -1, or the index of the first view with a negative
// length or outside its buffer (the values before it are added). It panics
// if views is shorter than 16*hi bytes, and with ErrNoMemory as AddKeys
// does.
func (c *Counter) AddViews(views []byte, bufs [][]byte, bytes bool, lo, hi int) int {
	if lo < 0 || lo > hi {
		panic("cvm: AddViews: bad range")
	}
	base := unsafe.Pointer(unsafe.SliceData(views[16*lo : 16*hi]))
	s := columnSeeds(c.seed, bytes)
	s4to8 := s.s4to8
	lim := levelLimit(c.k)
	for i := 0; i < hi-lo; i++ {
		v := unsafe.Add(base, 16*i) // need not be aligned: read byte-wise
		n := uint64(load32(v, 0))
		p := unsafe.Add(v, 4)
		if n > 12 {
			buf := uint64(load32(v, 8))
			off := uint64(load32(v, 12))
			// Read unsigned, a negative int32 is 2^31 or more.
			if n >= 1<<31 || off >= 1<<31 || buf >= uint64(len(bufs)) || off > uint64(len(bufs[buf])) ||
				n > uint64(len(bufs[buf]))-off {
				return lo + i
			}
			p = unsafe.Add(unsafe.Pointer(unsafe.SliceData(bufs[buf])), off)
		}
		// hashSeed, as in addOffsets.
		var h uint64
		switch {
		case n-4 <= 4:
			h = rrmxmx((uint64(load32(p, n-4))|uint64(load32(p, 0))<<32)^s4to8, n)
		case n-9 <= 7:
			h = avalanche9to16(load64(p, 0)^s.s9to16a, load64(p, n-8)^s.s9to16b, n)
		case n-1 <= 2:
			h = xxhAvalanche(bytes1to3(p, n) ^ s.s1to3)
		case n == 0:
			h = s.empty
		default:
			h = s.hashLong(p, n)
		}
		if h <= lim|1 {
			lim = s.insert(c, h, lim)
		}
	}
	return -1
}
