package cvm

import "golang.org/x/sys/cpu"

// scanVariants returns the scans this CPU can run, by name.
func scanVariants() map[string]func([]uint64, uint64, uint64) int {
	variants := map[string]func([]uint64, uint64, uint64) int{}
	if cpu.X86.HasAVX2 {
		variants["AVX2"] = scanInts2
		variants["AVX2+scalar"] = scanIntsMixed
	}
	if hasAVX512 {
		variants["AVX-512"] = scanInts512
	}
	return variants
}
