package lzstring

import "errors"

// Options control a call beyond its input, for callers that run long calls
// on behalf of someone who may give up (a Ctrl-C) and that want big buffers
// from memory they manage. A nil *Options is the zero value: no stop, and
// buffers from the Go heap.
type Options struct {
	// Stop, when set, is polled every 16K input units, codes or output
	// units, and between pieces of every pass over a whole buffer (a
	// table's rehash, a buffer's move, a format's conversion), so polls are
	// at most a few milliseconds of work apart; once it returns true the
	// call returns ErrStopped, having freed what it allocated.
	Stop func() bool

	// Alloc, when set, makes a decompressor's output buffer of n units; it
	// returns nil when it has no memory, and the call then returns
	// ErrNoMemory. The output returned is such a buffer (or dst), whose
	// ownership passes to the caller. Free, called on a buffer from Alloc that
	// the call no longer needs, must be set with Alloc.
	Alloc func(n int) []uint16
	Free  func([]uint16)
}

var (
	// ErrStopped is returned when Options.Stop asked the call to stop.
	ErrStopped = errors.New("lzstring: stopped")

	// ErrNoMemory is returned when Options.Alloc, or the system, refused a
	// large buffer.
	ErrNoMemory = errors.New("lzstring: out of memory")
)

// stopEvery is how many units or codes run between polls of Options.Stop.
const stopEvery = 1 << 14

func (o *Options) stopped() bool { return o != nil && o.Stop != nil && o.Stop() }

// pieceUnits is how many elements a linear pass over a call's buffers (a
// format's conversion, a buffer's copy) handles between polls of Stop: about
// a millisecond of work. A big call's buffers are hundreds of MiB, and one
// pass over them unpolled ran 0.2 to 0.8 s past a Ctrl-C.
const pieceUnits = 1 << 20

// inPieces calls f(lo, hi) on [0, n) in consecutive pieces of pieceUnits,
// polling o's Stop before each; it reports false, part way, if Stop asked
// to stop.
func inPieces(n int, o *Options, f func(lo, hi int)) bool {
	for lo := 0; lo < n; lo += pieceUnits {
		if o.stopped() {
			return false
		}
		f(lo, min(n, lo+pieceUnits))
	}
	return true
}

// copyStopping copies src to the front of dst in pieces, polling o's Stop
// between them; it reports false, having copied part, if Stop asked to stop.
func copyStopping[E any](dst, src []E, o *Options) bool {
	return inPieces(len(src), o, func(lo, hi int) { copy(dst[lo:hi], src[lo:hi]) })
}

// alloc returns a buffer of n units for a decompressor's output.
func (o *Options) alloc(n int) []uint16 {
	if o == nil || o.Alloc == nil {
		return make([]uint16, n)
	}
	return o.Alloc(n)
}

// free releases buf, if it came from alloc.
func (o *Options) free(buf []uint16, fromAlloc bool) {
	if fromAlloc && o != nil && o.Free != nil && cap(buf) > 0 {
		o.Free(buf)
	}
}

// Format names one of the reference's output forms, for the *With
// functions that take the form as a value.
type Format int

const (
	Raw        Format = iota // Compress / Decompress
	UTF16                    // CompressUTF16 / DecompressUTF16
	Base64                   // CompressBase64 / DecompressBase64
	URI                      // CompressURI / DecompressURI
	Uint8Array               // CompressUint8Array / DecompressUint8Array
)
