//go:build !linux

package lzstring

import "sync/atomic"

// mapZeroed returns size zeroed bytes; elsewhere than Linux from the Go heap.
func mapZeroed(size int) (b []byte, ok bool) {
	liveMappings.Add(1)
	return make([]byte, size), true
}

func unmap([]byte) { liveMappings.Add(-1) }

// liveMappings counts mapZeroed's buffers not yet given to unmap, for tests.
var liveMappings atomic.Int64
