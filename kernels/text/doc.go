// Package text holds kernels that work directly on the storage of a Python
// str.
//
// CPython (PEP 393) stores a str as an array of fixed-width units, one unit per
// code point: 1-byte units when every code point is below 256 (latin-1),
// 2-byte units below 65536, otherwise 4-byte units. A 2-byte str may hold lone
// surrogates (0xD800-0xDFFF), which are ordinary code points to Python. The
// kernels are generic over the unit type, so the caller passes the str's data
// as it is, without decoding or copying.
package text
