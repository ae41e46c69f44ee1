package cvm

import "encoding/binary"

// KeyStringUCS returns the key of a Python str stored as CPython stores it
// (PEP 393): n code units of kind bytes each (1: Latin-1, 2: UCS-2, 4:
// UCS-4) in native byte order in data. It is KeyString of the UTF-8
// encoding, lone surrogates included as 3-byte sequences (Python's
// "surrogatepass"). ASCII data (kind 1, every byte below 0x80) is its own
// UTF-8 and needs no encoding; other data is encoded into *buf, which grows
// as needed and can be reused across calls.
func KeyStringUCS(seed uint64, kind int, data []byte, buf *[]byte) uint64 {
	b := (*buf)[:0]
	switch kind {
	case 1:
		for _, c := range data {
			if c < 0x80 {
				b = append(b, c)
			} else {
				b = append(b, 0xc0|c>>6, 0x80|c&0x3f)
			}
		}
	case 2:
		for i := 0; i+1 < len(data); i += 2 {
			b = appendUTF8(b, rune(binary.NativeEndian.Uint16(data[i:])))
		}
	case 4:
		for i := 0; i+3 < len(data); i += 4 {
			b = appendUTF8(b, rune(binary.NativeEndian.Uint32(data[i:])))
		}
	default:
		panic("cvm: KeyStringUCS: kind must be 1, 2 or 4")
	}
	*buf = b
	return KeyString(seed, b)
}

// appendUTF8 appends the UTF-8 encoding of the code point r (at most
// 0x10FFFF), encoding surrogates like any other code point, which
// utf8.AppendRune would replace with U+FFFD.
func appendUTF8(b []byte, r rune) []byte {
	switch {
	case r < 0x80:
		return append(b, byte(r))
	case r < 0x800:
		return append(b, 0xc0|byte(r>>6), 0x80|byte(r)&0x3f)
	case r < 0x10000:
		return append(b, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
	default:
		return append(b, 0xf0|byte(r>>18), 0x80|byte(r>>12)&0x3f, 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
	}
}
