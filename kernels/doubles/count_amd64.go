package doubles

import "golang.org/x/sys/cpu"

// useAVX2 is fixed at start-up: POPCNT comes with every AVX2 CPU, but the
// assembly uses both, so both are checked.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasPOPCNT

// The assembly routines count equal pairs in whole 32-byte blocks: block j
// compares bytes [32j, 32j+32) of p with the same bytes one element on. They
// return the number of equal elements found, in units of mask bits (one bit
// per byte, so 2 per uint16 and 4 per uint32 equal pair).
//
//go:noescape
func countBlocks8(p *byte, blocks int) int

//go:noescape
func countBlocks16(p *uint16, blocks int) int

//go:noescape
func countBlocks32(p *uint32, blocks int) int

// Each block needs one element past its end, so a string of n elements has
// (n-1)/w whole blocks of w elements.
func count8(s []byte) int {
	if !useAVX2 || len(s) < 33 {
		return count8SWAR(s)
	}
	blocks := (len(s) - 1) / 32
	done := blocks * 32
	return countBlocks8(&s[0], blocks) + countScalar(s[done:])
}

func count16(s []uint16) int {
	if !useAVX2 || len(s) < 17 {
		return count16SWAR(s)
	}
	blocks := (len(s) - 1) / 16
	done := blocks * 16
	return countBlocks16(&s[0], blocks)/2 + countScalar(s[done:])
}

func count32(s []uint32) int {
	if !useAVX2 || len(s) < 9 {
		return count32SWAR(s)
	}
	blocks := (len(s) - 1) / 8
	done := blocks * 8
	return countBlocks32(&s[0], blocks)/4 + countScalar(s[done:])
}
