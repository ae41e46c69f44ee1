package text

// Unit is the storage unit of a PEP 393 str: uint8 for a 1-byte (latin-1)
// str, uint16 for a 2-byte str and uint32 for a 4-byte str. Each unit is one
// code point.
type Unit interface{ ~uint8 | ~uint16 | ~uint32 }
