package main

// #include "gkapi.h"
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
func noMemory(rc *C.gk_status) {
	if r := recover(); r != nil {
		if r != cvm.ErrNoMemory {
			panic(r)
		}
		*rc = C.GK_ERR_NO_MEMORY
	}
}

// GkCVMThreshold stores the buffer size for epsilon, delta and the stream
// length in *threshold. A bad epsilon or delta, or a buffer too large, is a
// gk_status the caller (C) raises as a ValueError naming the argument.
//
//export GkCVMThreshold
func GkCVMThreshold(epsilon, delta C.double, n C.uint64_t, threshold *C.int64_t) C.gk_status {
	switch {
	case !(epsilon > 0 && epsilon < 1):
		return C.GK_ERR_EPSILON
	case !(delta > 0 && delta < 1):
		return C.GK_ERR_DELTA
	}
	if n == 0 {
		n = cvm.DefaultStreamLength
	}
	t, err := cvm.Threshold(float64(epsilon), float64(delta), uint64(n))
	if err != nil {
		return C.GK_ERR_TOO_LARGE
	}
	*threshold = C.int64_t(t)
	return C.GK_OK
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

// GkCVMAddArray adds nbytes of a native-order numeric array of the given
// cvm.ElemKind, on all cores when it is large. It returns GK_OK, or
// GK_ERR_NO_MEMORY if memory ran out.
//
//export GkCVMAddArray
func GkCVMAddArray(h C.uintptr_t, kind C.int, data unsafe.Pointer, nbytes C.int64_t) C.gk_status {
	err := counter(h).AddArrayParallel(cvm.ElemKind(kind), unsafe.Slice((*byte)(data), int(nbytes)), runtime.GOMAXPROCS(0))
	if err != nil {
		return C.GK_ERR_NO_MEMORY
	}
	return C.GK_OK
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

// GkCVMMerge merges counter o into counter h: GK_OK, GK_ERR_NO_MEMORY, or
// GK_ERR_MISMATCH if the counters have different seeds or thresholds.
//
//export GkCVMMerge
func GkCVMMerge(h, o C.uintptr_t) C.gk_status {
	switch err := counter(h).Merge(counter(o)); err {
	case nil:
		return C.GK_OK
	case cvm.ErrNoMemory:
		return C.GK_ERR_NO_MEMORY
	default:
		return C.GK_ERR_MISMATCH
	}
}

// An item is what C knows of one Python object after reading it (gk_item in
// gkapi.h): a ready key, or a value or a (pointer, length) into the object's
// memory that Go turns into a key. w1 is length<<4 | tag.
type item struct{ w0, w1 uint64 }

// The layout and the tags are gkapi.h's (a mismatch fails the build).
var _ = [1]struct{}{}[unsafe.Sizeof(item{})-unsafe.Sizeof(C.gk_item{})]

const (
	tagKey   = C.GK_TAG_KEY
	tagInt   = C.GK_TAG_INT
	tagFloat = C.GK_TAG_FLOAT
	tagNone  = C.GK_TAG_NONE
	tagASCII = C.GK_TAG_ASCII
	tagUCS1  = C.GK_TAG_UCS1
	tagUCS2  = C.GK_TAG_UCS2
	tagUCS4  = C.GK_TAG_UCS4
	tagBytes = C.GK_TAG_BYTES
	tagHash  = C.GK_TAG_HASH
)

// gkapi.h's GK_EK_* are cvm.ElemKind values: each index below is 0 only
// when they agree, so a mismatch fails the build.
var _ = [1]struct{}{}[cvm.Int8-C.GK_EK_INT8+cvm.Uint8-C.GK_EK_UINT8+cvm.Int16-C.GK_EK_INT16+
	cvm.Uint16-C.GK_EK_UINT16+cvm.Int32-C.GK_EK_INT32+cvm.Uint32-C.GK_EK_UINT32+cvm.Int64-C.GK_EK_INT64+
	cvm.Uint64-C.GK_EK_UINT64+cvm.Float32-C.GK_EK_FLOAT32+cvm.Float64-C.GK_EK_FLOAT64+cvm.Bool-C.GK_EK_BOOL]

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
// call. It returns GK_OK, or GK_ERR_NO_MEMORY if memory ran out.
//
//export GkCVMAddItems
func GkCVMAddItems(h C.uintptr_t, items unsafe.Pointer, keys *C.uint64_t, n C.int64_t) (rc C.gk_status) {
	defer noMemory(&rc)
	c := counter(h)
	k := unsafe.Slice((*uint64)(unsafe.Pointer(keys)), int(n))
	buf := utf8Scratch.Get().(*[]byte)
	itemKeys(c.Seed(), unsafe.Slice((*item)(items), int(n)), k, buf)
	utf8Scratch.Put(buf)
	c.AddKeys(k)
	return C.GK_OK
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
// with its epsilon, delta and threshold. It returns GK_OK, GK_ERR_NO_MEMORY,
// or what is wrong with the data (GK_ERR_TRUNCATED .. GK_ERR_CONTENT).
//
//export GkCVMDecode
func GkCVMDecode(data unsafe.Pointer, n C.int64_t, out *C.uintptr_t, epsilon, delta *C.double, threshold *C.int64_t) C.gk_status {
	c, eps, del, err := cvm.Decode(unsafe.Slice((*byte)(data), int(n)))
	if err != nil {
		switch {
		case err == cvm.ErrNoMemory:
			return C.GK_ERR_NO_MEMORY
		case errors.Is(err, cvm.ErrTruncated):
			return C.GK_ERR_TRUNCATED
		case errors.Is(err, cvm.ErrMagic):
			return C.GK_ERR_MAGIC
		case errors.Is(err, cvm.ErrVersion):
			return C.GK_ERR_VERSION
		case errors.Is(err, cvm.ErrChecksum):
			return C.GK_ERR_CHECKSUM
		default:
			return C.GK_ERR_CONTENT
		}
	}
	*out = C.uintptr_t(cgo.NewHandle(c))
	*epsilon, *delta, *threshold = C.double(eps), C.double(del), C.int64_t(c.Threshold())
	return C.GK_OK
}
