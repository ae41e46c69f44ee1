package cvm

import "golang.org/x/sys/cpu"

// The scan is fixed at start-up: scanInts512 needs AVX-512 F (512-bit
// registers, unsigned compares into mask registers) and DQ (VPMULLQ, a
// 64-bit multiply); without them, scanIntsMixed needs AVX2 (x86-64-v3, and
// AMD's EPYCs that expose no AVX-512). It runs half of each block on the
// vector unit, emulating the 64-bit multiply with three 32-bit ones, and
// half on the scalar multiplier: on an AMD EPYC (Zen 1, which splits 256-bit
// operations in two) the all-vector scanInts2 was no faster than the scalar
// loop, and scanIntsMixed is 1.7x faster than either (64K values in cache,
// 63 us against 108 us).
var (
	hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ
	useScan   = hasAVX512 || cpu.X86.HasAVX2
)

// scanInts returns the index of the first block of 8 values of vals (whole
// blocks only) holding a value v with mixHead(v+off) <= pre, or
// len(vals) rounded down to a multiple of 8 if there is none. It computes
// mixHead on 8 values (AVX-512) or 4 (AVX2) per instruction, the AVX2 scan
// 4 more in scalar registers meanwhile.
func scanInts(vals []uint64, off, pre uint64) int {
	if hasAVX512 {
		return scanInts512(vals, off, pre)
	}
	return scanIntsMixed(vals, off, pre)
}

//go:noescape
func scanInts512(vals []uint64, off, pre uint64) int

//go:noescape
func scanInts2(vals []uint64, off, pre uint64) int

//go:noescape
func scanIntsMixed(vals []uint64, off, pre uint64) int
