package lzstring

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unsafe"
)

// Each format is one bit-stream codec: compressors pack the LSB-first code
// stream into output units, reversing each unit's bits so that the stream's
// first bit is the unit's most significant, and decompressors do the inverse.

// Compress returns lz-string's compress(src) appended to dst: 16 bits per
// UTF-16 code unit, each unit possibly a lone surrogate.
func Compress[T Unit](dst []uint16, src []T) []uint16 {
	return must(CompressWith(dst, src, Raw, nil))
}

// CompressUTF16 returns compressToUTF16(src) appended to dst: 15 bits per
// unit plus 32, so every unit is valid UTF-16 and above the control range,
// then the " " the reference appends.
func CompressUTF16[T Unit](dst []uint16, src []T) []uint16 {
	return must(CompressWith(dst, src, UTF16, nil))
}

// CompressBase64 returns compressToBase64(src) appended to dst: 6 bits per
// character of A-Za-z0-9+/, then "=" up to a multiple of 4 characters. (The
// reference pads a single leftover character with "===", which standard
// Base64 never does; so does this.) Empty src gives "Q===".
func CompressBase64[T Unit](dst []byte, src []T) []byte {
	return must(CompressBytesWith(dst, src, Base64, nil))
}

// CompressURI returns compressToEncodedURIComponent(src) appended to dst: 6
// bits per character of A-Za-z0-9+-$, no padding.
func CompressURI[T Unit](dst []byte, src []T) []byte {
	return must(CompressBytesWith(dst, src, URI, nil))
}

// CompressUint8Array returns compressToUint8Array(src) appended to dst: the
// units of Compress(src) as big-endian byte pairs.
func CompressUint8Array[T Unit](dst []byte, src []T) []byte {
	return must(CompressBytesWith(dst, src, Uint8Array, nil))
}

// must returns v, panicking on an error, which only Options or a system out
// of memory can cause.
func must[S any](v S, err error) S {
	if err != nil {
		panic(err)
	}
	return v
}

// getCompressor and putCompressor share compressors; one whose stream
// buffer grew past maxPooledBytes drops it, so a big call does not keep
// its memory after it returns.
func getCompressor() *compressor { return compressorPool.Get().(*compressor) }

func putCompressor(c *compressor) {
	if cap(c.bits) > maxPooledBytes {
		c.bits = nil
	}
	compressorPool.Put(c)
}

// maxPooledBytes is the largest buffer a pooled compressor or decompressor
// keeps between calls.
const maxPooledBytes = 4 << 20

// CompressWith returns the compression of src in format f (Raw or UTF16)
// appended to dst, under o (which may be nil). It fails with ErrStopped or
// ErrNoMemory (see Options).
func CompressWith[T Unit](dst []uint16, src []T, f Format, o *Options) ([]uint16, error) {
	c := getCompressor()
	defer putCompressor(c)
	bs, nbits, err := bitStream(c, src, o)
	if err != nil {
		return dst, err
	}
	base := len(dst)
	switch f {
	case Raw:
		n := unitCount(nbits, 16)
		dst, out := grow(dst, n)
		if !inPieces(n, o, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				out[i] = bits.Reverse16(binary.LittleEndian.Uint16(bs[2*i:]))
			}
		}) {
			return dst[:base], ErrStopped
		}
		return dst, nil
	case UTF16:
		n := unitCount(nbits, 15)
		dst, out := grow(dst, n+1)
		if !inPieces(n, o, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				p := 15 * i
				v := binary.LittleEndian.Uint32(bs[p>>3:]) >> (p & 7)
				out[i] = bits.Reverse16(uint16(v)<<1) + 32
			}
		}) {
			return dst[:base], ErrStopped
		}
		out[n] = ' '
		return dst, nil
	}
	panic("lzstring: CompressWith needs Raw or UTF16")
}

// CompressBytesWith returns the compression of src in format f (Base64, URI
// or Uint8Array) appended to dst, under o (which may be nil). It fails with
// ErrStopped or ErrNoMemory (see Options).
func CompressBytesWith[T Unit](dst []byte, src []T, f Format, o *Options) ([]byte, error) {
	c := getCompressor()
	defer putCompressor(c)
	bs, nbits, err := bitStream(c, src, o)
	if err != nil {
		return dst, err
	}
	switch f {
	case Base64:
		return compress6(dst, bs, nbits, base64Tables, true, o)
	case URI:
		return compress6(dst, bs, nbits, uriTables, false, o)
	case Uint8Array:
		base := len(dst)
		n := 2 * unitCount(nbits, 16)
		dst, out := grow(dst, n)
		if !inPieces(n, o, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				out[i] = bits.Reverse8(bs[i])
			}
		}) {
			return dst[:base], ErrStopped
		}
		return dst, nil
	}
	panic("lzstring: CompressBytesWith needs Base64, URI or Uint8Array")
}

func compress6(dst []byte, bs []byte, nbits int, a *alphabet, pad bool, opt *Options) ([]byte, error) {
	base := len(dst)
	n := unitCount(nbits, 6)
	groups := (n + 3) / 4
	dst, out := grow(dst, 4*groups)
	// Four characters carry three bytes of the stream; the stream has zero
	// bytes past its end, so the last group needs no special case.
	if !inPieces(groups, opt, func(lo, hi int) {
		for g := lo; g < hi; g++ {
			v := uint32(bs[3*g]) | uint32(bs[3*g+1])<<8 | uint32(bs[3*g+2])<<16
			o := out[4*g : 4*g+4]
			o[0] = a.encode6[v&63]
			o[1] = a.encode6[v>>6&63]
			o[2] = a.encode6[v>>12&63]
			o[3] = a.encode6[v>>18&63]
		}
	}) {
		return dst[:base], ErrStopped
	}
	if !pad {
		return dst[:len(dst)-4*groups+n], nil
	}
	for i := n; i < 4*groups; i++ {
		out[i] = '='
	}
	return dst, nil
}

// Decompress returns decompress(src) appended to dst. See the package
// documentation for maxLength and for what garbage decodes to.
func Decompress(dst []uint16, src []uint16, maxLength int) ([]uint16, error) {
	return DecompressWith(dst, src, Raw, maxLength, nil)
}

// DecompressUTF16 returns decompressFromUTF16(src) appended to dst. Units
// below 32 wrap around, as the reference's arithmetic does.
func DecompressUTF16[T Unit](dst []uint16, src []T, maxLength int) ([]uint16, error) {
	return DecompressWith(dst, src, UTF16, maxLength, nil)
}

// DecompressBase64 returns decompressFromBase64(src) appended to dst.
// Characters outside A-Za-z0-9+/ (and "=") decode as zero bits.
func DecompressBase64[T Unit](dst []uint16, src []T, maxLength int) ([]uint16, error) {
	return DecompressWith(dst, src, Base64, maxLength, nil)
}

// DecompressURI returns decompressFromEncodedURIComponent(src) appended to
// dst. " " reads as "+", and characters outside A-Za-z0-9+- (and "$") decode
// as zero bits.
func DecompressURI[T Unit](dst []uint16, src []T, maxLength int) ([]uint16, error) {
	return DecompressWith(dst, src, URI, maxLength, nil)
}

// DecompressUint8Array returns decompressFromUint8Array(src) appended to dst.
// An odd length is ErrCorrupt (the reference throws RangeError).
func DecompressUint8Array(dst []uint16, src []byte, maxLength int) ([]uint16, error) {
	return DecompressWith(dst, src, Uint8Array, maxLength, nil)
}

// DecompressWith returns the decompression of src, in format f, appended to
// dst, under o (which may be nil; see Options). For Raw, src holds UTF-16
// units (a []uint8 is widened); for Uint8Array, bytes (T must be uint8).
//
// Its memory besides the output is the input's bit stream (at most 2 bytes
// per input unit) and the dictionary: at most two 8-byte entries per code
// (a literal makes two), a code being at least 11 bits wide past the first
// thousand entries, so its entries take under 0.85 bytes per input bit plus
// 8 KiB: 13.5 bytes per raw-form unit, 5.1 per Base64 character. The
// dictionary grows by doubling, so it may allocate up to twice that.
func DecompressWith[T Unit](dst []uint16, src []T, f Format, maxLength int, o *Options) ([]uint16, error) {
	d := decompressorPool.Get().(*decompressor)
	defer putDecompressor(d)
	if len(src) == 0 || (f == Uint8Array && len(src)%2 != 0) {
		return dst, ErrCorrupt
	}
	var nbits int
	// Each conversion runs in pieces between polls of o's Stop, into a
	// stream buffer made at its final size.
	switch f {
	case Raw:
		bs, _ := grow(d.bits[:0], 2*len(src)+padBytes)
		if !inPieces(len(src), o, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				binary.LittleEndian.PutUint16(bs[2*i:], bits.Reverse16(uint16(src[i])))
			}
		}) {
			return dst, ErrStopped
		}
		clear(bs[2*len(src):])
		d.bits, nbits = bs, 16*len(src)
	case UTF16:
		bs := slices.Grow(d.bits[:0], 15*len(src)/8+8+padBytes)
		var acc uint64
		var nacc uint
		if !inPieces(len(src), o, func(lo, hi int) {
			// In locals, which the loop keeps in registers.
			a, na, b := acc, nacc, bs
			for _, u := range src[lo:hi] {
				// The reference reads bits 14..0 of charCode-32 in
				// two's complement.
				v := bits.Reverse16(uint16(u)-32) >> 1
				a |= uint64(v) << na
				na += 15
				if na >= 32 {
					b = binary.LittleEndian.AppendUint32(b, uint32(a))
					a >>= 32
					na -= 32
				}
			}
			acc, nacc, bs = a, na, b
		}) {
			return dst, ErrStopped
		}
		bs = binary.LittleEndian.AppendUint64(bs, acc)
		d.bits, nbits = append(bs, make([]byte, padBytes)...), 15*len(src)
	case Base64, URI:
		a := base64Tables
		if f == URI {
			a = uriTables
		}
		bs, ok := bits6(d.bits[:0], src, a, o)
		if !ok {
			return dst, ErrStopped
		}
		d.bits, nbits = bs, 6*len(src)
	case Uint8Array:
		if uint(unsafe.Sizeof(src[0])) != 1 {
			panic("lzstring: Uint8Array input must be bytes")
		}
		bs, _ := grow(d.bits[:0], len(src)+padBytes)
		if !inPieces(len(src), o, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				bs[i] = bits.Reverse8(uint8(src[i]))
			}
		}) {
			return dst, ErrStopped
		}
		clear(bs[len(src):])
		d.bits, nbits = bs, 8*len(src)
	default:
		panic("lzstring: unknown format")
	}
	return d.decode(dst, nbits, maxLength, o)
}

func putDecompressor(d *decompressor) {
	if cap(d.bits) > maxPooledBytes {
		d.bits = nil
	}
	if cap(d.dict)*8 > maxPooledBytes {
		d.dict = nil
	}
	decompressorPool.Put(d)
}

// bits6 appends the bit stream of 6-bit characters, then padBytes zeros. It
// reports false, part way, if o's Stop asked it to stop.
func bits6[T Unit](bs []byte, src []T, a *alphabet, o *Options) ([]byte, bool) {
	bs = slices.Grow(bs, 3*len(src)/4+3+padBytes)
	i := 0
	// Four characters fill three bytes; a piece is a whole number of them.
	for ; i+4 <= len(src); i += 4 {
		if i%pieceUnits == 0 && o.stopped() {
			return bs, false
		}
		v := uint32(value6(a, src[i])) | uint32(value6(a, src[i+1]))<<6 |
			uint32(value6(a, src[i+2]))<<12 | uint32(value6(a, src[i+3]))<<18
		bs = append(bs, byte(v), byte(v>>8), byte(v>>16))
	}
	var v uint32
	for j := i; j < len(src); j++ {
		v |= uint32(value6(a, src[j])) << (6 * (j - i))
	}
	bs = append(bs, byte(v), byte(v>>8), byte(v>>16))
	return append(bs, make([]byte, padBytes)...), true
}

func value6[T Unit](a *alphabet, u T) uint8 {
	if uint(u) > 0xff {
		return 0
	}
	return a.decode6[uint8(u)]
}

// grow extends s by n elements and returns it with the new part, whose
// contents are unspecified.
func grow[E any](s []E, n int) (all, added []E) {
	s = slices.Grow(s, n)
	all = s[:len(s)+n]
	return all, all[len(s):]
}
