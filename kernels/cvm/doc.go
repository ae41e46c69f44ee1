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
// mixes the keys before using them as table positions, and all of its random
// choices (the coins and which half to keep) depend only on the seed and on
// the order in which distinct keys were first inserted, never on the key
// values. So the result for a given seed depends only on the pattern of
// equalities in the stream: relabeling the keys bijectively, as a different
// PYTHONHASHSEED does to the hashes of str objects, does not change it.
//
// The functions KeyInt64, KeyUint64, KeyFloat64 and KeyFromPyHash define how
// Python objects become keys, so that values equal in Python (1, 1.0 and
// True) get equal keys, and AddArray applies the same rules to numeric
// arrays. HashFloat64 and HashUint64 reproduce CPython's hash() for floats and
// large ints, which those rules need.
package cvm
