package text

// Unit is the storage unit of a PEP 393 str: uint8 for a 1-byte (latin-1)
// str, uint16 for a 2-byte str and uint32 for a 4-byte str. Each unit is one
// code point.
type Unit interface{ ~uint8 | ~uint16 | ~uint32 }

// MaxCodePoint returns the largest code point in s, or 0 if s is empty.
//
// A caller building a str needs it before allocating: PyUnicode_New takes the
// maximum code point and picks the storage kind from it. It also serves after
// filling: CPython requires a str to be stored in the narrowest kind that
// holds its code points (str equality compares kinds first), so data written
// in the alphabet's kind must be narrowed when MaxCodePoint of the result
// falls in a narrower kind.
func MaxCodePoint[T Unit](s []T) uint32 {
	var m T
	for _, c := range s {
		m = max(m, c)
	}
	return uint32(m)
}
