package doubles

import "errors"

// ErrSurrogate reports a surrogate code point, which has no UTF-8 encoding
// (Python's str.encode() raises UnicodeEncodeError for it).
var ErrSurrogate = errors.New("doubles: surrogate code point has no UTF-8 encoding")

// CountUTF8 returns Count of the UTF-8 bytes of the code points in s,
// without encoding them.
//
// In UTF-8 a lead byte never equals a continuation byte (0x80-0xBF), and ASCII
// bytes equal only ASCII bytes, so a pair that crosses from one character to
// the next can be equal only when both characters are the same ASCII byte.
// Inside one character only continuation bytes can repeat: bytes 2 and 3 of a
// 3-byte sequence, or 2-3 and 3-4 of a 4-byte sequence.
func CountUTF8[T Unit](s []T) (int, error) {
	n := 0
	prevASCII := -1 // the previous code point if it was ASCII, else -1
	for _, u := range s {
		c := uint32(u)
		if c < 0x80 {
			if int(c) == prevASCII {
				n++
			}
			prevASCII = int(c)
			continue
		}
		prevASCII = -1
		switch {
		case c < 0x800:
			// Lead byte and one continuation byte: never equal.
		case c < 0x10000:
			if c >= 0xD800 && c <= 0xDFFF {
				return 0, ErrSurrogate
			}
			if (c>>6)&0x3f == c&0x3f {
				n++
			}
		default:
			b1, b2, b3 := (c>>12)&0x3f, (c>>6)&0x3f, c&0x3f
			if b1 == b2 {
				n++
			}
			if b2 == b3 {
				n++
			}
		}
	}
	return n, nil
}
