package main

/*
#include <stdint.h>
#include <stdlib.h>

// One result handed back to C: malloc'ed data the caller frees. kind is the
// PEP 393 kind of a str result, already the narrowest that holds maxchar (the
// largest code point), so C can copy it into a new str as it is; 0 for bytes.
typedef struct { void *data; int64_t len; int kind; int status; uint32_t maxchar; } gk_lzout;
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/lzstring"
)

// Operations, formats and statuses shared with ../lzstring.c.
const (
	opCompress   = 0
	opDecompress = 1

	fmtRaw    = 0
	fmtUTF16  = 1
	fmtBase64 = 2
	fmtURI    = 3
	fmtUint8  = 4

	statusOK       = 0
	statusCorrupt  = 1
	statusTooLong  = 2
	statusNoMemory = 3
)

// scratch holds one goroutine's reusable buffers, so a call allocates Go
// memory only while its buffers grow.
type scratch struct {
	in    []uint16 // input converted to UTF-16 units
	units []uint16 // output units
	bytes []byte   // output bytes (Base64, URI, Uint8Array)
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// toUTF16 appends the UTF-16 code units of PEP 393 data of the given kind:
// 1-byte strs widen, 4-byte strs split astral code points into pairs.
func toUTF16(dst []uint16, kind int, data unsafe.Pointer, n int) []uint16 {
	dst = dst[:0]
	switch kind {
	case 1:
		for _, c := range unsafe.Slice((*uint8)(data), n) {
			dst = append(dst, uint16(c))
		}
	case 2:
		dst = append(dst, unsafe.Slice((*uint16)(data), n)...)
	default:
		for _, c := range unsafe.Slice((*uint32)(data), n) {
			if c >= 0x10000 {
				c -= 0x10000
				dst = append(dst, uint16(0xD800+c>>10), uint16(0xDC00+c&0x3FF))
			} else {
				dst = append(dst, uint16(c))
			}
		}
	}
	return dst
}

// lzOne runs one operation. Inputs of kind 1 and 2 are read in place.
func lzOne(s *scratch, op, format, kind int, data unsafe.Pointer, n int, maxLen int) C.gk_lzout {
	var err error
	if op == opCompress {
		switch format {
		case fmtRaw, fmtUTF16:
			s.units = compressUnits(s, format, kind, data, n)
			return unitsOut(s.units)
		default:
			s.bytes = compressBytes(s, format, kind, data, n)
			return bytesOut(s.bytes, format == fmtUint8)
		}
	}
	u8 := kind == 1
	switch format {
	case fmtRaw:
		s.in = toUTF16(s.in, kind, data, n)
		s.units, err = lzstring.Decompress(s.units[:0], s.in, maxLen)
	case fmtUint8: // kind is 0: data is n bytes
		s.units, err = lzstring.DecompressUint8Array(s.units[:0], unsafe.Slice((*byte)(data), n), maxLen)
	case fmtUTF16:
		if u8 {
			s.units, err = lzstring.DecompressUTF16(s.units[:0], unsafe.Slice((*uint8)(data), n), maxLen)
		} else {
			s.in = toUTF16(s.in, kind, data, n)
			s.units, err = lzstring.DecompressUTF16(s.units[:0], s.in, maxLen)
		}
	case fmtBase64, fmtURI:
		dec := lzstring.DecompressBase64[uint8]
		dec16 := lzstring.DecompressBase64[uint16]
		if format == fmtURI {
			dec, dec16 = lzstring.DecompressURI[uint8], lzstring.DecompressURI[uint16]
		}
		if u8 {
			s.units, err = dec(s.units[:0], unsafe.Slice((*uint8)(data), n), maxLen)
		} else {
			s.in = toUTF16(s.in, kind, data, n)
			s.units, err = dec16(s.units[:0], s.in, maxLen)
		}
	}
	switch {
	case errors.Is(err, lzstring.ErrTooLong):
		return C.gk_lzout{status: statusTooLong}
	case err != nil:
		return C.gk_lzout{status: statusCorrupt}
	}
	return unitsOut(s.units)
}

func compressUnits(s *scratch, format, kind int, data unsafe.Pointer, n int) []uint16 {
	f := lzstring.Compress[uint16]
	f8 := lzstring.Compress[uint8]
	if format == fmtUTF16 {
		f, f8 = lzstring.CompressUTF16[uint16], lzstring.CompressUTF16[uint8]
	}
	if kind == 1 {
		return f8(s.units[:0], unsafe.Slice((*uint8)(data), n))
	}
	s.in = toUTF16(s.in, kind, data, n)
	return f(s.units[:0], s.in)
}

func compressBytes(s *scratch, format, kind int, data unsafe.Pointer, n int) []byte {
	var f func([]byte, []uint16) []byte
	var f8 func([]byte, []uint8) []byte
	switch format {
	case fmtBase64:
		f, f8 = lzstring.CompressBase64[uint16], lzstring.CompressBase64[uint8]
	case fmtURI:
		f, f8 = lzstring.CompressURI[uint16], lzstring.CompressURI[uint8]
	default:
		f, f8 = lzstring.CompressUint8Array[uint16], lzstring.CompressUint8Array[uint8]
	}
	if kind == 1 {
		return f8(s.bytes[:0], unsafe.Slice((*uint8)(data), n))
	}
	s.in = toUTF16(s.in, kind, data, n)
	return f(s.bytes[:0], s.in)
}

// unitsOut copies UTF-16 units into C memory as code points, in the
// narrowest PEP 393 kind that holds them: 1 byte when all are below 256, 2
// when no surrogate pair occurs, else 4 with each valid pair joined (a lone
// surrogate stays a code point, as Python's 'surrogatepass' does).
func unitsOut(units []uint16) C.gk_lzout {
	pairs, top := 0, uint16(0)
	for i := 0; i < len(units); i++ {
		top = max(top, units[i])
		if units[i]&0xFC00 == 0xD800 && i+1 < len(units) && units[i+1]&0xFC00 == 0xDC00 {
			pairs++
			i++
		}
	}
	switch {
	case pairs == 0 && top < 0x100:
		p := cmalloc(len(units))
		if p == nil {
			return C.gk_lzout{status: statusNoMemory}
		}
		out := unsafe.Slice((*uint8)(p), len(units))
		for i, u := range units {
			out[i] = uint8(u)
		}
		return C.gk_lzout{data: p, len: C.int64_t(len(units)), kind: 1, maxchar: C.uint32_t(top)}
	case pairs == 0:
		p := cmalloc(2 * len(units))
		if p == nil {
			return C.gk_lzout{status: statusNoMemory}
		}
		copy(unsafe.Slice((*uint16)(p), len(units)), units)
		return C.gk_lzout{data: p, len: C.int64_t(len(units)), kind: 2, maxchar: C.uint32_t(top)}
	}
	m := len(units) - pairs
	p := cmalloc(4 * m)
	if p == nil {
		return C.gk_lzout{status: statusNoMemory}
	}
	out := unsafe.Slice((*uint32)(p), m)
	j, maxc := 0, uint32(0)
	for i := 0; i < len(units); i++ {
		c := uint32(units[i])
		if c&0xFC00 == 0xD800 && i+1 < len(units) && units[i+1]&0xFC00 == 0xDC00 {
			c = 0x10000 + (c-0xD800)<<10 + uint32(units[i+1]-0xDC00)
			i++
		}
		out[j] = c
		maxc = max(maxc, c)
		j++
	}
	return C.gk_lzout{data: p, len: C.int64_t(m), kind: 4, maxchar: C.uint32_t(maxc)}
}

// bytesOut copies ASCII text (kind 1) or raw bytes (kind 0) into C memory.
func bytesOut(b []byte, raw bool) C.gk_lzout {
	p := cmalloc(len(b))
	if p == nil {
		return C.gk_lzout{status: statusNoMemory}
	}
	copy(unsafe.Slice((*byte)(p), len(b)), b)
	if raw {
		return C.gk_lzout{data: p, len: C.int64_t(len(b))}
	}
	return C.gk_lzout{data: p, len: C.int64_t(len(b)), kind: 1, maxchar: 127} // Base64 and URI text is ASCII
}

func cmalloc(n int) unsafe.Pointer { return C.malloc(C.size_t(max(n, 1))) }

// GkLZ runs one compression or decompression; the C caller builds the result
// from out and frees out->data.
//
//export GkLZ
func GkLZ(op, format, kind C.int, data unsafe.Pointer, n, maxLen C.int64_t, out *C.gk_lzout) {
	s := scratchPool.Get().(*scratch)
	*out = lzOne(s, int(op), int(format), int(kind), data, int(n), int(maxLen))
	scratchPool.Put(s)
}

// GkLZBatch runs the same operation on count inputs with up to workers
// goroutines (0: GOMAXPROCS), each taking the next input in turn.
//
//export GkLZBatch
func GkLZBatch(op, format C.int, count C.int64_t, kinds *C.int, datas *unsafe.Pointer, lens *C.int64_t,
	maxLen C.int64_t, workers C.int64_t, outs *C.gk_lzout) {
	n := int(count)
	kindS, dataS, lenS := unsafe.Slice(kinds, n), unsafe.Slice(datas, n), unsafe.Slice(lens, n)
	outS := unsafe.Slice(outs, n)
	parallel(n, int(workers), func(s *scratch, i int) {
		outS[i] = lzOne(s, int(op), int(format), int(kindS[i]), dataS[i], int(lenS[i]), int(maxLen))
	})
}

// GkLZCopy copies count finished results into the Python objects C made for
// them (dsts[i] is the new str's or bytes' storage, sized from outs[i]), on up
// to workers goroutines. It is the second half of a batch: copying there,
// rather than in C under the GIL, keeps the serial part of a batch to
// allocating the objects.
//
//export GkLZCopy
func GkLZCopy(count C.int64_t, outs *C.gk_lzout, dsts *unsafe.Pointer, workers C.int64_t) {
	n := int(count)
	outS, dstS := unsafe.Slice(outs, n), unsafe.Slice(dsts, n)
	parallel(n, int(workers), func(_ *scratch, i int) {
		o := outS[i]
		if o.status != statusOK || dstS[i] == nil {
			return
		}
		size := int(o.len) * max(int(o.kind), 1)
		copy(unsafe.Slice((*byte)(dstS[i]), size), unsafe.Slice((*byte)(o.data), size))
	})
}

// parallel calls f(i) for i in [0, n) on up to workers goroutines (0:
// GOMAXPROCS), each taking the next index in turn with its own scratch.
func parallel(n, workers int, f func(s *scratch, i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := scratchPool.Get().(*scratch)
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				f(s, i)
			}
			scratchPool.Put(s)
		}()
	}
	wg.Wait()
}
