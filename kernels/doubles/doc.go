// Package doubles counts adjacent equal elements: the positions i with
// s[i] == s[i+1].
//
// This is the "count doubles" kernel of the Rust-from-Python articles
// (rust-python-example, pyo3-myrustlib): the published pure-Python version is
// sum(a == b for a, b in zip(s, s[1:])). A Python str is stored by CPython in
// one of three unit widths (PEP 393: 1, 2 or 4 bytes per code point), so every
// entry point comes in those three widths; counting over the raw storage is
// counting over code points, with no decoding and no copy.
//
// On amd64 with AVX2 the counters compare 32 bytes against the same 32 bytes
// shifted by one element per step (VPCMPEQ + VPMOVMSKB + POPCNT). Elsewhere
// they compare eight bytes at a time in a general-purpose register (SWAR).
// Both run near memory speed; the choice is made once, at run time.
package doubles
