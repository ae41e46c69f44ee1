// Package cvm estimates the number of distinct items in a stream with the CVM
// algorithm, in bounded memory.
//
// The algorithm is due to Chakraborty, Vinodchandran and Meel, "Distinct
// Elements in Streams: An Algorithm for the (Text) Book" (ESA 2022,
// arXiv:2301.10191). A Counter keeps a buffer X of at most threshold-1 items
// and a sampling probability p = 2^-k. For each item a it removes a from X and
// then, with probability p, puts it back. When X fills up it keeps a random
// half of X and halves p. The estimate is |X|/p.
//
// This package implements the total, unbiased variant of Karayel et al.,
// "The CVM Algorithm for Estimating Distinct Elements in Streams" (Archive of
// Formal Proofs, 2024, https://isa-afp.org/entries/CVM_Distinct_Elements.html,
// and their 2025 paper on its verification): on overflow it keeps a uniformly
// random subset of exactly half the buffer, instead of dropping each item
// with probability 1/2. That variant never fails (the original can find the
// buffer still full after subsampling), its estimate |X|/p is unbiased, and
// it keeps the original's concentration bound. Threshold computes the
// buffer size for a relative error epsilon with probability 1-delta.
//
// # Keys
//
// Items are 64-bit keys, and equal items must have equal keys. The counter
// hashes the keys to find them in its table, but its random choices (the
// coins, and which half to keep, chosen by position in an insertion-ordered
// array) depend only on the seed and on the stream's pattern of equalities,
// never on the key values. So the result for a given seed depends only on
// that pattern: relabeling the keys bijectively, as a different
// PYTHONHASHSEED does to the hashes of str objects, does not change it.
//
// The key of a Python object is defined so that objects equal in Python get
// equal keys and, as far as 64 bits allow, unequal objects get unequal keys:
//
//   - An int (or bool) v that fits in int64 has key uint64(v).
//   - A float that is finite, integral and in [-2^63, 2^63) has the key of
//     the equal int, so 1, 1.0 and True share a key.
//   - Any other object has key uint64(hash(obj)) ^ 0x9E3779B97F4A7C15. The
//     constant keeps these keys apart from those of ints: otherwise 2**64,
//     whose hash is 8, would count as 8.
//
// The C side of the Python binding applies these rules to Python objects.
// KeyInt64, KeyUint64, KeyFloat64 and KeyFromPyHash implement them, with
// HashFloat64 and HashUint64 reproducing CPython's hash() of floats and large
// ints, and AddArray applies them to the elements of numeric arrays.
package cvm
