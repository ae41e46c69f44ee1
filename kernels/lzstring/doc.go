// Package lzstring implements lz-string, the LZW-style string compressor of
// Pieroxy's JavaScript library lz-string (https://github.com/pieroxy/lz-string),
// byte-exact with its npm release 1.5.0 (libs/lz-string.js, MIT/WTFPL).
//
// # Format
//
// Strings are sequences of UTF-16 code units, as in JavaScript. The compressor
// is LZW over code units with a growing code width: codes 0 and 1 introduce a
// literal unit of 8 or 16 bits, code 2 ends the stream, and codes from 3 up name
// dictionary phrases. Every value is written least significant bit first, and
// the bits fill output units most significant bit first. The formats differ only
// in how many bits one output unit carries and how a unit is spelled:
//
//	Compress / Decompress              16 bits per UTF-16 unit
//	CompressUTF16 / DecompressUTF16    15 bits per unit, plus 32, then a " "
//	CompressBase64 / DecompressBase64  6 bits per character of A-Za-z0-9+/,
//	                                   "=" padding to a multiple of 4
//	CompressURI / DecompressURI        6 bits per character of A-Za-z0-9+-$,
//	                                   no padding
//	CompressUint8Array / ...           Compress's units as big-endian byte pairs
//
// The last unit is padded with zero bits, and always with at least one, so a
// stream whose end code fills its last unit exactly gains a whole zero unit.
//
// # Reference quirks kept
//
// The reference's compression dictionary is a plain JavaScript object, and
// assigning to its "__proto__" property stores nothing. So the phrase
// "__proto__" is never in the dictionary: each time the compressor would add
// it, it spends the code number and stores nothing, and no phrase extending it
// exists. Compress does the same, so its output matches the reference's.
//
// The decompressors answer what the reference answers for any input, garbage
// included: characters outside an alphabet read as zero bits, input read past
// its end reads as zero bits, a stream that runs out before its end code
// decodes to "" (not an error), and a first code of 2 decodes to "". Where the
// reference returns null or throws, the Go functions return ErrCorrupt: empty
// input, a back-reference past the dictionary, an odd-length Uint8Array. A
// stream whose first code is 3 is also ErrCorrupt: the reference reads an
// undefined dictionary entry there and goes on to return the text "undefined"
// spliced into its output, or null, or to throw.
//
// # Bounds
//
// Decompression keeps its dictionary as spans of its own output, 8 bytes per
// entry however long the phrases, so memory is linear in the input and the
// output: besides the output, under 0.85 bytes per input bit plus 8 KiB for
// the dictionary's entries (see DecompressWith), and the input's bit stream. Before its output buffer would outgrow what dst holds or pass
// maxLength, it reads the rest of the stream without writing, tracking only
// phrase lengths, to learn the reference's answer: ErrTooLong if the stream
// decodes to a string longer than maxLength units, "" or ErrCorrupt if the
// reference returns those, or else the exact length, allocated once. So a
// decompression bomb (a small stream of chained back-references that asks
// for gigabytes) is refused in time linear in its own size, with no output
// allocated. A negative maxLength means no bound of the caller's; the
// reference's own bound still holds: V8 cannot make a string longer than
// 1<<29 - 24 units, and neither will this package (ErrTooLong past it).
//
// Compression input is limited to fewer than 1<<31 units (JavaScript strings
// stop at 1<<29). Its dictionary table takes 8 bytes per slot (12 past 16M
// units), at most 4/3 slots per phrase; tables of 4 MiB and more live
// outside the Go heap, on huge pages where the system allows, and go back
// to the system when the call ends.
//
// # Long calls
//
// CompressWith, CompressBytesWith and DecompressWith take Options: a Stop
// function polled every 16K units or codes (ErrStopped), and an allocator
// for the output buffers, which may refuse (ErrNoMemory).
package lzstring

import "errors"

// Unit is the type of one code unit of a string: a byte of a Latin-1 string or
// a UTF-16 code unit.
type Unit interface{ ~uint8 | ~uint16 }

var (
	// ErrCorrupt is returned for input on which the reference returns null or
	// throws, or whose first code is 3 (see the package documentation).
	ErrCorrupt = errors.New("lzstring: corrupt input")

	// ErrTooLong is returned when the decompressed string would be longer than
	// maxLength units, or than the reference can build.
	ErrTooLong = errors.New("lzstring: decompressed string too long")
)

// refMaxLength is V8's String::kMaxLength on 64-bit hosts (node 20): the
// reference throws RangeError rather than return a longer string.
const refMaxLength = 1<<29 - 24
