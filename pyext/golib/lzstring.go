package main

// #include "gkapi.h"
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/lzstring"
)

// Operations and statuses of gkapi.h.
const (
	opCompress = C.GK_LZ_COMPRESS

	statusOK       = C.GK_OK
	statusCorrupt  = C.GK_ERR_CORRUPT
	statusTooLong  = C.GK_ERR_TOO_LONG
	statusNoMemory = C.GK_ERR_NO_MEMORY
	statusStopped  = C.GK_ERR_STOPPED // the caller asked the call to stop (Ctrl-C)
)

// gkapi.h's GK_LZ_* formats are lzstring.Format values: each index below is
// 0 only when they agree, so a mismatch fails the build.
var _ = [1]struct{}{}[lzstring.Raw-C.GK_LZ_RAW+lzstring.UTF16-C.GK_LZ_UTF16+lzstring.Base64-C.GK_LZ_BASE64+
	lzstring.URI-C.GK_LZ_URI+lzstring.Uint8Array-C.GK_LZ_UINT8+(C.GK_LZ_FORMATS-lzstring.Uint8Array-1)]

// scratch holds one goroutine's reusable buffers, so a call allocates Go
// memory only while its buffers grow.
type scratch struct {
	in    []uint16 // input converted to UTF-16 units
	units []uint16 // output units
	bytes []byte   // output bytes (Base64, URI, Uint8Array)
	used  int      // bytes of buffers the last call used
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// putScratch returns s to the pool without its buffers above maxScratch,
// and the bytes of buffers its last call used, for afterCall (memory.go),
// which the caller runs once nothing holds them.
func putScratch(s *scratch) (used int) {
	used = s.used
	s.used = 0
	if cap(s.in)*2 > maxScratch {
		s.in = nil
	}
	if cap(s.units)*2 > maxScratch {
		s.units = nil
	}
	if cap(s.bytes) > maxScratch {
		s.bytes = nil
	}
	scratchPool.Put(s)
	return used
}

// toUTF16 converts n code points of PEP 393 kind 4 at data to UTF-16 in dst.
func toUTF16(dst []uint16, data unsafe.Pointer, n int) []uint16 {
	return lzstring.AppendUTF16(dst, unsafe.Slice((*uint32)(data), n))
}

// cUnits allocates decompressed output in C memory, which can fail (Go's
// own allocation aborts the process when the system refuses), and which the
// result is built from without another copy (see unitsOut).
func cUnits(n int) []uint16 {
	p := cmalloc(2 * max(n, 1))
	if p == nil {
		return nil
	}
	return unsafe.Slice((*uint16)(p), n)
}

func cFreeUnits(b []uint16) { cfree(unsafe.Pointer(unsafe.SliceData(b))) }

// inC is the Options of a call that cannot be stopped.
var inC = lzstring.Options{Alloc: cUnits, Free: cFreeUnits}

// lzOne runs one operation. Inputs of kind 1 and 2 are read in place. stop,
// if not nil, is polled by the kernel (see job.go).
func lzOne(s *scratch, op, format, kind int, data unsafe.Pointer, n int, maxLen int, stop func() bool) C.gk_lzout {
	opts := &inC
	if stop != nil {
		opts = &lzstring.Options{Stop: stop, Alloc: cUnits, Free: cFreeUnits}
	}
	if format < 0 || format >= C.GK_LZ_FORMATS {
		panic("GkLZ: bad format")
	}
	f := lzstring.Format(format)
	var err error
	if op == opCompress {
		switch f {
		case lzstring.Raw, lzstring.UTF16:
			switch kind {
			case 1:
				s.units, err = lzstring.CompressWith(s.units[:0], unsafe.Slice((*uint8)(data), n), f, opts)
			case 2:
				s.units, err = lzstring.CompressWith(s.units[:0], unsafe.Slice((*uint16)(data), n), f, opts)
			default:
				s.in = toUTF16(s.in, data, n)
				s.units, err = lzstring.CompressWith(s.units[:0], s.in, f, opts)
			}
			// The kernel's Go memory is about its output's size (its
			// bit stream), and as much again while buffers grow; its
			// table is not in the Go heap.
			s.used = 2*cap(s.in) + 8*cap(s.units)
			if err != nil {
				return errOut(err)
			}
			return unitsOut(s.units, false)
		default:
			switch kind {
			case 1:
				s.bytes, err = lzstring.CompressBytesWith(s.bytes[:0], unsafe.Slice((*uint8)(data), n), f, opts)
			case 2:
				s.bytes, err = lzstring.CompressBytesWith(s.bytes[:0], unsafe.Slice((*uint16)(data), n), f, opts)
			default:
				s.in = toUTF16(s.in, data, n)
				s.bytes, err = lzstring.CompressBytesWith(s.bytes[:0], s.in, f, opts)
			}
			s.used = 2*cap(s.in) + 4*cap(s.bytes)
			if err != nil {
				return errOut(err)
			}
			return bytesOut(s.bytes, f == lzstring.Uint8Array)
		}
	}
	// The output is made by cUnits in C memory and handed over as it is.
	var out []uint16
	switch kind {
	case 0, 1: // 0: the n bytes of a bytes-like object (Uint8Array)
		out, err = lzstring.DecompressWith(nil, unsafe.Slice((*uint8)(data), n), f, maxLen, opts)
	case 2:
		out, err = lzstring.DecompressWith(nil, unsafe.Slice((*uint16)(data), n), f, maxLen, opts)
	default:
		s.in = toUTF16(s.in, data, n)
		out, err = lzstring.DecompressWith(nil, s.in, f, maxLen, opts)
	}
	// The kernel's own buffers: about 10 bytes per input unit (its bit
	// stream and dictionary), and the input's UTF-16 copy.
	s.used = 2*cap(s.in) + 10*n
	if err != nil {
		return errOut(err)
	}
	if out == nil {
		out = cUnits(0) // "": still a buffer, which C frees
		if out == nil {
			return C.gk_lzout{status: statusNoMemory}
		}
	}
	return unitsOut(out, true)
}

func errOut(err error) C.gk_lzout {
	switch {
	case errors.Is(err, lzstring.ErrTooLong):
		return C.gk_lzout{status: statusTooLong}
	case errors.Is(err, lzstring.ErrNoMemory):
		return C.gk_lzout{status: statusNoMemory}
	case errors.Is(err, lzstring.ErrStopped):
		return C.gk_lzout{status: statusStopped}
	}
	return C.gk_lzout{status: statusCorrupt}
}

// unitsOut hands UTF-16 units to C as code points, in the narrowest PEP 393
// kind that holds them (lzstring.Narrow). Units already in C memory (owned:
// from cUnits) become the result in place for kinds 1 and 2, and are freed
// otherwise; Go units are copied.
func unitsOut(units []uint16, owned bool) C.gk_lzout {
	kind, m, top := lzstring.Narrow(units)
	n := len(units)
	switch kind {
	case 1:
		var p unsafe.Pointer
		if owned {
			p = unsafe.Pointer(unsafe.SliceData(units))
		} else if p = cmalloc(n); p == nil {
			return C.gk_lzout{status: statusNoMemory}
		}
		lzstring.NarrowTo1(unsafe.Slice((*uint8)(p), n), units)
		return C.gk_lzout{data: p, len: C.int64_t(n), kind: 1, maxchar: C.uint32_t(top)}
	case 2:
		if owned {
			return C.gk_lzout{data: unsafe.Pointer(unsafe.SliceData(units)), len: C.int64_t(n), kind: 2,
				maxchar: C.uint32_t(top)}
		}
		p := cmalloc(2 * n)
		if p == nil {
			return C.gk_lzout{status: statusNoMemory}
		}
		copy(unsafe.Slice((*uint16)(p), n), units)
		return C.gk_lzout{data: p, len: C.int64_t(n), kind: 2, maxchar: C.uint32_t(top)}
	}
	p := cmalloc(4 * m)
	if p == nil {
		if owned {
			cFreeUnits(units)
		}
		return C.gk_lzout{status: statusNoMemory}
	}
	maxc := lzstring.JoinPairs(unsafe.Slice((*uint32)(p), m), units)
	if owned {
		cFreeUnits(units)
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

// GkLZ runs one compression or decompression; the C caller builds the result
// from out and frees out->data.
//
//export GkLZ
func GkLZ(op, format, kind C.int, data unsafe.Pointer, n, maxLen C.int64_t, out *C.gk_lzout) {
	s := getScratch()
	*out = lzOne(s, int(op), int(format), int(kind), data, int(n), int(maxLen), nil)
	afterCall(putScratch(s))
}

// GkLZStart is GkLZ on a goroutine of its own: it returns at once, and C
// waits for job (see gkjob.h), which can stop the call; *out then has
// statusStopped.
//
//export GkLZStart
func GkLZStart(op, format, kind C.int, data unsafe.Pointer, n, maxLen C.int64_t, out *C.gk_lzout, job *C.gk_job) {
	startJob(job, func(stop func() bool) {
		s := getScratch()
		*out = lzOne(s, int(op), int(format), int(kind), data, int(n), int(maxLen), stop)
		afterCall(putScratch(s))
	})
}

// GkLZBatch runs the same operation on count inputs with up to workers
// goroutines (0: GOMAXPROCS), each taking the next input in turn.
//
// It runs on a goroutine of its own and returns at once; C waits for job
// (see gkjob.h). Once job is stopped, the items not yet done get
// statusStopped.
//
//export GkLZBatch
func GkLZBatch(op, format C.int, count C.int64_t, kinds *C.int, datas *unsafe.Pointer, lens *C.int64_t,
	maxLen C.int64_t, workers C.int64_t, outs *C.gk_lzout, job *C.gk_job) {
	n := int(count)
	kindS, dataS, lenS := unsafe.Slice(kinds, n), unsafe.Slice(datas, n), unsafe.Slice(lens, n)
	outS := unsafe.Slice(outs, n)
	startJob(job, func(stop func() bool) {
		var most atomic.Int64 // the largest item's buffers
		parallel(n, int(workers), func(s *scratch, i int) {
			if stop() {
				outS[i] = C.gk_lzout{status: statusStopped}
				return
			}
			outS[i] = lzOne(s, int(op), int(format), int(kindS[i]), dataS[i], int(lenS[i]), int(maxLen), stop)
			for u := int64(s.used); ; {
				if m := most.Load(); u <= m || most.CompareAndSwap(m, u) {
					break
				}
			}
		})
		used := int(most.Load())
		if stop() {
			// Items stopped mid-way did not report their buffers, which
			// can be the batch's biggest (+20 MiB kept after Ctrl-C seen).
			used = max(used, releaseAfter)
		}
		afterCall(used)
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

// parallel calls f(s, i) for i in [0, n) on up to workers goroutines (0:
// GOMAXPROCS; lzstring.ForEach), s being the calling goroutine's own scratch.
func parallel(n, workers int, f func(s *scratch, i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	scratches := make([]*scratch, max(min(workers, n), 1))
	lzstring.ForEach(n, workers, func(w, i int) {
		if scratches[w] == nil {
			scratches[w] = getScratch()
		}
		f(scratches[w], i)
	})
	for _, s := range scratches {
		if s != nil {
			_ = putScratch(s) // the callers run afterCall
		}
	}
}
