//go:build !amd64

package cvm

var useAVX512 = false

func scanInts(vals []uint64, off, pre uint64) int { return 0 }
