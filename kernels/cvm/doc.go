// Package cvm estimates the number of distinct items in a stream with the CVM
// algorithm with hashed coins, in bounded memory, in sketches that merge.
//
// The algorithm is due to Chakraborty, Vinodchandran and Meel, "Distinct
// Elements in Streams: An Algorithm for the (Text) Book" (ESA 2022,
// arXiv:2301.10191): a buffer of fewer than threshold items and a sampling
// probability p = 2^-k; the estimate is |buffer|/p. Here the coins are not
// random draws but the item's own key, a seeded 64-bit hash of its content:
// an item is in the buffer iff the top k bits of its key are 0, and when the
// buffer would reach the threshold, k rises until it fits again (dropping
// the keys that no longer qualify). So the state is a function of the seed
// and the set of keys: k is the smallest exponent leaving fewer than
// threshold keys, and the buffer is those keys. The same keys in any order,
// with any repetitions, or split into counters merged in any tree, give the
// same counter (Merge), and a counter serializes to its sorted keys
// (AppendBinary, Decode).
//
// The estimate |buffer| * 2^k is exact while k = 0 and unbiased: for any one
// key, the exponent at which it is judged, given all the other keys, does
// not depend on its own level (its number of leading zeros), and it is
// sampled iff its level reaches that exponent, which happens with
// probability exactly 2^-exponent. This is adaptive (threshold) sampling
// with the Horvitz-Thompson estimator; the tests check the bias over
// thousands of seeds and the CVM bound of Threshold over hundreds.
//
// # Keys
//
// The Key functions make the keys of Python values, so that values equal in
// Python share a key and the keys are the same in every process: KeyInt64,
// KeyUint64 and KeyFloat64 (1, 1.0 and True alike; all NaNs one key; -0.0
// is 0), KeyBigInt, KeyString (a str by its UTF-8 bytes; KeyStringUCS for
// CPython's internal storage), KeyBytes, KeyNone and KeyTuple. They use
// XXH3-64 for byte strings (github.com/zeebo/xxh3; inputs up to 16 bytes by
// xxh3.go, bit-identical and cheaper to call) and SplitMix64's finalizer, a
// bijection, for numbers, so distinct ints never collide. KeyHash keys an
// object by its Python hash(), valid in one process only.
//
// AddArray and AddArrayParallel apply the Key functions to numeric arrays
// without Python objects, and AddOffsets and AddViews to string and binary
// columns in Arrow's layouts, each testing a key's level in the loop that
// makes it; the Python binding (pyext/cvm.c, golib/cvm.go) describes Python
// objects to Go in chunks and calls AddKeys.
package cvm
