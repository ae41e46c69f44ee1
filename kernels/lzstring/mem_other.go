//go:build !linux

package lzstring

// mapZeroed returns size zeroed bytes; elsewhere than Linux from the Go heap.
func mapZeroed(size int) (b []byte, ok bool) { return make([]byte, size), true }

func unmap([]byte) {}
