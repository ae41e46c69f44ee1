//go:build linux

package lzstring

import (
	"sync/atomic"
	"syscall"
)

// madvHugepage is MADV_HUGEPAGE. Linux often backs memory with huge pages
// only on request ("madvise" mode), and without them nearly every lookup of
// a big table also misses the TLB.
const madvHugepage = 14

// mapZeroed returns size zeroed bytes outside the Go heap, which unmap gives
// back to the system at once, or ok=false if the system refuses them.
func mapZeroed(size int) (b []byte, ok bool) {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, false
	}
	liveMappings.Add(1)
	if hugePages {
		_ = syscall.Madvise(b, madvHugepage) // advice: failure changes nothing
	}
	return b, true
}

func unmap(b []byte) {
	liveMappings.Add(-1)
	_ = syscall.Munmap(b)
}

// liveMappings counts mapZeroed's mappings not yet unmapped, for tests: a
// call must leave it as it found it, whether it finished, failed or stopped.
var liveMappings atomic.Int64
