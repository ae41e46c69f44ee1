package main

// #include <stdint.h>
import "C"

import (
	"errors"
	"math"
	"runtime"
	"runtime/cgo"
	"sync"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// A counter lives in Go memory; C holds only its cgo.Handle.
func counter(h C.uintptr_t) *cvm.Counter { return cgo.Handle(h).Value().(*cvm.Counter) }

// noMemory turns the panic cvm.ErrNoMemory into the return value -1 (C
// raises MemoryError); other panics stay panics.
func noMemory(rc *C.int) {
	if r := recover(); r != nil {
		if r != cvm.ErrNoMemory {
			panic(r)
		}
		*rc = -1
	}
}

// GkCVMThreshold returns the buffer size for epsilon, delta and the stream
// length, or -1 for a bad epsilon, -2 for a bad delta, -3 if too large. The
// caller (C) turns those into ValueErrors naming the argument.
//
//export GkCVMThreshold
func GkCVMThreshold(epsilon, delta C.double, n C.uint64_t) C.int64_t {
	switch {
	case !(epsilon > 0 && epsilon < 1):
		return -1
	case !(delta > 0 && delta < 1):
		return -2
	}
	if n == 0 {
		n = cvm.DefaultStreamLength
	}
	t, err := cvm.Threshold(float64(epsilon), float64(delta), uint64(n))
	if err != nil {
		return -3
	}
	return C.int64_t(t)
}

// GkCVMNew returns a new counter; without a seed (seeded == 0) it uses
// cvm.DefaultSeed, so that counters of different processes merge.
//
//export GkCVMNew
func GkCVMNew(threshold C.int64_t, seed C.uint64_t, seeded C.int) C.uintptr_t {
	s := uint64(seed)
	if seeded == 0 {
		s = cvm.DefaultSeed
	}
	return C.uintptr_t(cgo.NewHandle(cvm.New(int(threshold), s)))
}

//export GkCVMFree
func GkCVMFree(h C.uintptr_t) {
	counter(h).Reset() // returns the table's memory now
	cgo.Handle(h).Delete()
}

//export GkCVMSeed
func GkCVMSeed(h C.uintptr_t) C.uint64_t { return C.uint64_t(counter(h).Seed()) }

// GkCVMAdd adds n keys. It returns 0, or -1 if memory ran out.
//
//export GkCVMAdd
func GkCVMAdd(h C.uintptr_t, keys *C.uint64_t, n C.int64_t) (rc C.int) {
	defer noMemory(&rc)
	counter(h).AddKeys(unsafe.Slice((*uint64)(unsafe.Pointer(keys)), int(n)))
	return 0
}

// GkCVMAddArray adds nbytes of a native-order numeric array of the given
// cvm.ElemKind, on all cores when it is large. It returns 0, or -1 if
// memory ran out.
//
//export GkCVMAddArray
func GkCVMAddArray(h C.uintptr_t, kind C.int, data unsafe.Pointer, nbytes C.int64_t) C.int {
	err := counter(h).AddArrayParallel(cvm.ElemKind(kind), unsafe.Slice((*byte)(data), int(nbytes)), runtime.GOMAXPROCS(0))
	if err != nil {
		return -1
	}
	return 0
}

// GkCVMEstimate returns the estimate, and the buffer length and exponent k
// through len and k (for repr and tests).
//
//export GkCVMEstimate
func GkCVMEstimate(h C.uintptr_t, length *C.int64_t, k *C.int64_t) C.double {
	c := counter(h)
	*length, *k = C.int64_t(c.Len()), C.int64_t(c.Exponent())
	return C.double(c.Estimate())
}

// GkCVMMerge merges counter o into counter h. It returns 0, -1 if memory ran
// out, -2 if the counters have different seeds or thresholds.
//
//export GkCVMMerge
func GkCVMMerge(h, o C.uintptr_t) C.int {
	switch err := counter(h).Merge(counter(o)); err {
	case nil:
		return 0
	case cvm.ErrNoMemory:
		return -1
	default:
		return -2
	}
}

// An item is what C knows of one Python object after reading it: a ready
// key, or a value or a (pointer, length) into the object's memory that Go
// turns into a key. w1 is length<<4 | tag (pyext/cvm.c, enum item_tag).
type item struct{ w0, w1 uint64 }

const (
	tagKey = iota
	tagInt
	tagFloat
	tagNone
	tagASCII
	tagUCS1
	tagUCS2
	tagUCS4
	tagBytes
	tagHash
)

// itemKeys stores the keys of items in keys (same length), using buf as
// scratch for UTF-8 encoding.
func itemKeys(seed uint64, items []item, keys []uint64, buf *[]byte) {
	for i := range items {
		it := items[i]
		n := int(it.w1 >> 4)
		// w0 holds a pointer into Python memory (not Go's) for the tags
		// that use it; read it as one.
		p := *(*unsafe.Pointer)(unsafe.Pointer(&items[i].w0))
		switch it.w1 & 15 {
		case tagKey:
			keys[i] = it.w0
		case tagInt:
			keys[i] = cvm.KeyInt64(seed, int64(it.w0))
		case tagFloat:
			keys[i] = cvm.KeyFloat64(seed, math.Float64frombits(it.w0))
		case tagNone:
			keys[i] = cvm.KeyNone(seed)
		case tagASCII:
			keys[i] = cvm.KeyString(seed, unsafe.Slice((*byte)(p), n))
		case tagUCS1:
			keys[i] = cvm.KeyStringUCS(seed, 1, unsafe.Slice((*byte)(p), n), buf)
		case tagUCS2:
			keys[i] = cvm.KeyStringUCS(seed, 2, unsafe.Slice((*byte)(p), 2*n), buf)
		case tagUCS4:
			keys[i] = cvm.KeyStringUCS(seed, 4, unsafe.Slice((*byte)(p), 4*n), buf)
		case tagBytes:
			keys[i] = cvm.KeyBytes(seed, unsafe.Slice((*byte)(p), n))
		case tagHash:
			keys[i] = cvm.KeyHash(seed, int64(it.w0))
		default:
			panic("GkCVMAddItems: bad item tag")
		}
	}
}

var utf8Scratch = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// GkCVMAddItems adds n items, described by C, to counter h; keys (n
// elements) is scratch space. Go reads the objects' memory only during the
// call. It returns 0, or -1 if memory ran out.
//
//export GkCVMAddItems
func GkCVMAddItems(h C.uintptr_t, items unsafe.Pointer, keys *C.uint64_t, n C.int64_t) (rc C.int) {
	defer noMemory(&rc)
	c := counter(h)
	k := unsafe.Slice((*uint64)(unsafe.Pointer(keys)), int(n))
	buf := utf8Scratch.Get().(*[]byte)
	itemKeys(c.Seed(), unsafe.Slice((*item)(items), int(n)), k, buf)
	utf8Scratch.Put(buf)
	c.AddKeys(k)
	return 0
}

// GkCVMKeyTuple returns the key, under seed, of a tuple whose n elements
// are the given items.
//
//export GkCVMKeyTuple
func GkCVMKeyTuple(seed C.uint64_t, items unsafe.Pointer, n C.int64_t) C.uint64_t {
	var small [16]uint64
	k := small[:0]
	if n > 16 {
		k = make([]uint64, n)
	}
	k = k[:n]
	buf := utf8Scratch.Get().(*[]byte)
	itemKeys(uint64(seed), unsafe.Slice((*item)(items), int(n)), k, buf)
	utf8Scratch.Put(buf)
	return C.uint64_t(cvm.KeyTuple(uint64(seed), k))
}

// GkCVMKeyBigInt returns the key of the int whose magnitude has the n
// little-endian bytes at mag, negative if neg.
//
//export GkCVMKeyBigInt
func GkCVMKeyBigInt(seed C.uint64_t, neg C.int, mag unsafe.Pointer, n C.int64_t) C.uint64_t {
	return C.uint64_t(cvm.KeyBigInt(uint64(seed), neg != 0, unsafe.Slice((*byte)(mag), int(n))))
}

// GkCVMEncodedSize returns the length of the serialized counter h.
//
//export GkCVMEncodedSize
func GkCVMEncodedSize(h C.uintptr_t) C.int64_t { return C.int64_t(counter(h).EncodedSize()) }

// GkCVMEncode writes the serialized counter h, GkCVMEncodedSize bytes, to
// out.
//
//export GkCVMEncode
func GkCVMEncode(h C.uintptr_t, epsilon, delta C.double, out unsafe.Pointer) {
	c := counter(h)
	dst := unsafe.Slice((*byte)(out), c.EncodedSize())
	c.AppendBinary(dst[:0], float64(epsilon), float64(delta))
}

// GkCVMDecode decodes n bytes at data into a new counter, stored in *out
// with its epsilon, delta and threshold. It returns 0; -1 if memory ran out;
// -2 truncated; -3 bad magic; -4 unsupported version; -5 checksum mismatch;
// -6 inconsistent content.
//
//export GkCVMDecode
func GkCVMDecode(data unsafe.Pointer, n C.int64_t, out *C.uintptr_t, epsilon, delta *C.double, threshold *C.int64_t) C.int {
	c, eps, del, err := cvm.Decode(unsafe.Slice((*byte)(data), int(n)))
	if err != nil {
		switch {
		case err == cvm.ErrNoMemory:
			return -1
		case errors.Is(err, cvm.ErrTruncated):
			return -2
		case errors.Is(err, cvm.ErrMagic):
			return -3
		case errors.Is(err, cvm.ErrVersion):
			return -4
		case errors.Is(err, cvm.ErrChecksum):
			return -5
		default:
			return -6
		}
	}
	*out = C.uintptr_t(cgo.NewHandle(c))
	*epsilon, *delta, *threshold = C.double(eps), C.double(del), C.int64_t(c.Threshold())
	return 0
}
