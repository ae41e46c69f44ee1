package arrow

import "github.com/gokernels/gokernels/kernels/cvm"

// The keys of package cvm, so that a column counts like its Python values:
// an int64 5, a float64 5.0, a bool true (1) and the Python int 5 share a key,
// a utf8 value has the key of the equal str, a binary value that of bytes.

func keyInt64(seed uint64, v int64) uint64     { return cvm.KeyInt64(seed, v) }
func keyUint64(seed uint64, v uint64) uint64   { return cvm.KeyUint64(seed, v) }
func keyFloat64(seed uint64, f float64) uint64 { return cvm.KeyFloat64(seed, f) }
func keyString(seed uint64, b []byte) uint64   { return cvm.KeyString(seed, b) }
func keyBytes(seed uint64, b []byte) uint64    { return cvm.KeyBytes(seed, b) }
