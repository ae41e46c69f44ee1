package lzstring

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// Each format is one bit-stream codec: compressors pack the LSB-first code
// stream into output units, reversing each unit's bits so that the stream's
// first bit is the unit's most significant, and decompressors do the inverse.

// Compress returns lz-string's compress(src) appended to dst: 16 bits per
// UTF-16 code unit, each unit possibly a lone surrogate.
func Compress[T Unit](dst []uint16, src []T) []uint16 {
	c := compressorPool.Get().(*compressor)
	defer compressorPool.Put(c)
	bs, nbits := bitStream(c, src)
	n := unitCount(nbits, 16)
	dst, out := grow(dst, n)
	for i := range out {
		out[i] = bits.Reverse16(binary.LittleEndian.Uint16(bs[2*i:]))
	}
	return dst
}

// CompressUTF16 returns compressToUTF16(src) appended to dst: 15 bits per
// unit plus 32, so every unit is valid UTF-16 and above the control range,
// then the " " the reference appends.
func CompressUTF16[T Unit](dst []uint16, src []T) []uint16 {
	c := compressorPool.Get().(*compressor)
	defer compressorPool.Put(c)
	bs, nbits := bitStream(c, src)
	n := unitCount(nbits, 15)
	dst, out := grow(dst, n+1)
	for i := range n {
		p := 15 * i
		v := binary.LittleEndian.Uint32(bs[p>>3:]) >> (p & 7)
		out[i] = bits.Reverse16(uint16(v)<<1) + 32
	}
	out[n] = ' '
	return dst
}

// CompressBase64 returns compressToBase64(src) appended to dst: 6 bits per
// character of A-Za-z0-9+/, then "=" up to a multiple of 4 characters. (The
// reference pads a single leftover character with "===", which standard
// Base64 never does; so does this.) Empty src gives "Q===".
func CompressBase64[T Unit](dst []byte, src []T) []byte {
	return compress6(dst, src, base64Tables, true)
}

// CompressURI returns compressToEncodedURIComponent(src) appended to dst: 6
// bits per character of A-Za-z0-9+-$, no padding.
func CompressURI[T Unit](dst []byte, src []T) []byte {
	return compress6(dst, src, uriTables, false)
}

func compress6[T Unit](dst []byte, src []T, a *alphabet, pad bool) []byte {
	c := compressorPool.Get().(*compressor)
	defer compressorPool.Put(c)
	bs, nbits := bitStream(c, src)
	n := unitCount(nbits, 6)
	groups := (n + 3) / 4
	dst, out := grow(dst, 4*groups)
	// Four characters carry three bytes of the stream; the stream has zero
	// bytes past its end, so the last group needs no special case.
	for g := range groups {
		v := uint32(bs[3*g]) | uint32(bs[3*g+1])<<8 | uint32(bs[3*g+2])<<16
		o := out[4*g : 4*g+4]
		o[0] = a.encode6[v&63]
		o[1] = a.encode6[v>>6&63]
		o[2] = a.encode6[v>>12&63]
		o[3] = a.encode6[v>>18&63]
	}
	if !pad {
		return dst[:len(dst)-4*groups+n]
	}
	for i := n; i < 4*groups; i++ {
		out[i] = '='
	}
	return dst
}

// CompressUint8Array returns compressToUint8Array(src) appended to dst: the
// units of Compress(src) as big-endian byte pairs.
func CompressUint8Array[T Unit](dst []byte, src []T) []byte {
	c := compressorPool.Get().(*compressor)
	defer compressorPool.Put(c)
	bs, nbits := bitStream(c, src)
	n := 2 * unitCount(nbits, 16)
	dst, out := grow(dst, n)
	for i := range out {
		out[i] = bits.Reverse8(bs[i])
	}
	return dst
}

// Decompress returns decompress(src) appended to dst. See the package
// documentation for maxLength and for what garbage decodes to.
func Decompress(dst []uint16, src []uint16, maxLength int) ([]uint16, error) {
	d := decompressorPool.Get().(*decompressor)
	defer decompressorPool.Put(d)
	if len(src) == 0 {
		return dst, ErrCorrupt
	}
	bs, _ := grow(d.bits[:0], 2*len(src)+padBytes)
	for i, u := range src {
		binary.LittleEndian.PutUint16(bs[2*i:], bits.Reverse16(u))
	}
	clear(bs[2*len(src):])
	d.bits = bs
	return d.decode(dst, 16*len(src), maxLength)
}

// DecompressUTF16 returns decompressFromUTF16(src) appended to dst. Units
// below 32 wrap around, as the reference's arithmetic does.
func DecompressUTF16[T Unit](dst []uint16, src []T, maxLength int) ([]uint16, error) {
	d := decompressorPool.Get().(*decompressor)
	defer decompressorPool.Put(d)
	if len(src) == 0 {
		return dst, ErrCorrupt
	}
	bs := d.bits[:0]
	var acc uint64
	var nacc uint
	for _, u := range src {
		// The reference reads bits 14..0 of charCode-32 in two's complement.
		v := bits.Reverse16(uint16(u)-32) >> 1
		acc |= uint64(v) << nacc
		nacc += 15
		if nacc >= 32 {
			bs = binary.LittleEndian.AppendUint32(bs, uint32(acc))
			acc >>= 32
			nacc -= 32
		}
	}
	bs = binary.LittleEndian.AppendUint64(bs, acc)
	bs = append(bs, make([]byte, padBytes)...)
	d.bits = bs
	return d.decode(dst, 15*len(src), maxLength)
}

// DecompressBase64 returns decompressFromBase64(src) appended to dst.
// Characters outside A-Za-z0-9+/ (and "=") decode as zero bits.
func DecompressBase64[T Unit](dst []uint16, src []T, maxLength int) ([]uint16, error) {
	return decompress6(dst, src, maxLength, base64Tables)
}

// DecompressURI returns decompressFromEncodedURIComponent(src) appended to
// dst. " " reads as "+", and characters outside A-Za-z0-9+- (and "$") decode
// as zero bits.
func DecompressURI[T Unit](dst []uint16, src []T, maxLength int) ([]uint16, error) {
	return decompress6(dst, src, maxLength, uriTables)
}

func decompress6[T Unit](dst []uint16, src []T, maxLength int, a *alphabet) ([]uint16, error) {
	d := decompressorPool.Get().(*decompressor)
	defer decompressorPool.Put(d)
	if len(src) == 0 {
		return dst, ErrCorrupt
	}
	bs := d.bits[:0]
	i := 0
	// Four characters fill three bytes.
	for ; i+4 <= len(src); i += 4 {
		v := uint32(value6(a, src[i])) | uint32(value6(a, src[i+1]))<<6 |
			uint32(value6(a, src[i+2]))<<12 | uint32(value6(a, src[i+3]))<<18
		bs = append(bs, byte(v), byte(v>>8), byte(v>>16))
	}
	var v uint32
	for j := i; j < len(src); j++ {
		v |= uint32(value6(a, src[j])) << (6 * (j - i))
	}
	bs = append(bs, byte(v), byte(v>>8), byte(v>>16))
	bs = append(bs, make([]byte, padBytes)...)
	d.bits = bs
	return d.decode(dst, 6*len(src), maxLength)
}

func value6[T Unit](a *alphabet, u T) uint8 {
	if uint(u) > 0xff {
		return 0
	}
	return a.decode6[uint8(u)]
}

// DecompressUint8Array returns decompressFromUint8Array(src) appended to dst.
// An odd length is ErrCorrupt (the reference throws RangeError).
func DecompressUint8Array(dst []uint16, src []byte, maxLength int) ([]uint16, error) {
	d := decompressorPool.Get().(*decompressor)
	defer decompressorPool.Put(d)
	if len(src) == 0 || len(src)%2 != 0 {
		return dst, ErrCorrupt
	}
	bs, _ := grow(d.bits[:0], len(src)+padBytes)
	for i, b := range src {
		bs[i] = bits.Reverse8(b)
	}
	clear(bs[len(src):])
	d.bits = bs
	return d.decode(dst, 8*len(src), maxLength)
}

// grow extends s by n elements and returns it with the new part, whose
// contents are unspecified.
func grow[E any](s []E, n int) (all, added []E) {
	s = slices.Grow(s, n)
	all = s[:len(s)+n]
	return all, all[len(s):]
}
