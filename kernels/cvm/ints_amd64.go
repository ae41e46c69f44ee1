package cvm

import "golang.org/x/sys/cpu"

// useAVX512 is fixed at start-up: scanInts needs AVX-512 F (512-bit
// registers, unsigned compares into mask registers) and DQ (VPMULLQ, the
// 64-bit multiply AVX2 lacks).
var useAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// scanInts returns the index of the first block of 8 values of vals (whole
// blocks only) holding a value v with mixHead(v+off) <= pre, or
// len(vals) rounded down to a multiple of 8 if there is none. It computes
// mixHead on 8 values per instruction.
//
//go:noescape
func scanInts(vals []uint64, off, pre uint64) int
