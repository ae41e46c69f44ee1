package doubles

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// Unit is the storage unit of a string: one of CPython's three PEP 393 widths.
type Unit interface{ ~uint8 | ~uint16 | ~uint32 }

// Count returns the number of positions i with s[i] == s[i+1].
func Count[T Unit](s []T) int {
	if len(s) < 2 {
		return 0
	}
	switch unsafe.Sizeof(s[0]) {
	case 1:
		return count8(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)))
	case 2:
		return count16(unsafe.Slice((*uint16)(unsafe.Pointer(&s[0])), len(s)))
	default:
		return count32(unsafe.Slice((*uint32)(unsafe.Pointer(&s[0])), len(s)))
	}
}

// countScalar is the obvious loop: the reference the fast paths are tested against,
// and the tail of every fast path.
func countScalar[T Unit](s []T) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if s[i-1] == s[i] {
			n++
		}
	}
	return n
}

// The SWAR counters XOR a word with the word one element further on; an equal
// pair leaves a zero lane. zeroLanes marks each zero lane exactly (no borrow
// between lanes, unlike the classic haszero trick), so a popcount counts them.
const (
	low7x8  = 0x7f7f7f7f7f7f7f7f
	low15x4 = 0x7fff7fff7fff7fff
	low31x2 = 0x7fffffff7fffffff
)

func zeroLanes(x, low uint64) int {
	t := (x & low) + low
	return bits.OnesCount64(^(t | x | low))
}

func count8SWAR(s []byte) int {
	n, i := 0, 0
	// Each step reads s[i : i+9].
	for ; i+9 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64(s[i:]) ^ binary.LittleEndian.Uint64(s[i+1:])
		n += zeroLanes(x, low7x8)
	}
	return n + countScalar(s[i:])
}

func count16SWAR(s []uint16) int {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 2*len(s))
	n, i := 0, 0
	for ; i+5 <= len(s); i += 4 {
		x := binary.LittleEndian.Uint64(b[2*i:]) ^ binary.LittleEndian.Uint64(b[2*i+2:])
		n += zeroLanes(x, low15x4)
	}
	return n + countScalar(s[i:])
}

func count32SWAR(s []uint32) int {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 4*len(s))
	n, i := 0, 0
	for ; i+3 <= len(s); i += 2 {
		x := binary.LittleEndian.Uint64(b[4*i:]) ^ binary.LittleEndian.Uint64(b[4*i+4:])
		n += zeroLanes(x, low31x2)
	}
	return n + countScalar(s[i:])
}
