// Package arrow reads Arrow columns (the Arrow C data interface layout) and
// turns their values into the 64-bit keys of package cvm, so that an Arrow
// column counts exactly like the Python objects it holds.
//
// The package has no cgo. An array is described by Go values (Array, with
// its buffers as byte slices), built through Import from any Source: the
// extension's C structs in pyext/golib, or plain Go values in the tests.
// Everything a producer could get wrong is checked before it is read:
// buffer counts and sizes at Import, offsets, view buffer indices and
// dictionary indices as the values are read. A malformed array gives an
// error, never a panic.
//
// A Scan keys string and binary columns in the loops of package cvm
// (cvm.Counter.AddOffsets, AddViews: whole runs of valid values at a time)
// and numeric ones through cvm.Counter.AddArray, when its sinks are
// counters; other sinks get the keys block by block. Its workers take
// pieces of a range in turn.
//
// Nulls (validity bits, the null type, null dictionary entries, null rows of
// a parent struct) are skipped, as pandas' and polars' n-unique skip them.
//
// Buffers are read as little-endian: the C data interface uses the native
// byte order, and the extension is built for little-endian targets only.
package arrow
