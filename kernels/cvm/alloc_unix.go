//go:build unix

package cvm

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmapBytes is the table size from which tables are mapped from the
// operating system rather than taken from the Go heap: the Go heap returns
// freed memory only lazily, and aborts the process when it cannot grow.
const mmapBytes = 64 << 10

// alloc returns n zeroed slots, or an error if the memory is refused.
func alloc(n int) ([]uint64, error) {
	if n*8 < mmapBytes {
		return make([]uint64, n), nil
	}
	b, err := unix.Mmap(-1, 0, n*8, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n), nil
}

// free returns the memory of slots made by alloc.
func free(s []uint64) {
	if len(s)*8 < mmapBytes {
		return
	}
	_ = unix.Munmap(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*8))
}
