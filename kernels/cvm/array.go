package cvm

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"
)

// An ElemKind is the element type of a numeric array passed to AddArray.
type ElemKind int

// The element kinds, matching the numpy dtypes (and buffer-protocol formats)
// of the same names. Bool elements are bytes, any nonzero byte being True.
const (
	Int8 ElemKind = iota
	Uint8
	Int16
	Uint16
	Int32
	Uint32
	Int64
	Uint64
	Float32
	Float64
	Bool
)

var kindNames = [...]string{"Int8", "Uint8", "Int16", "Uint16", "Int32", "Uint32", "Int64", "Uint64", "Float32", "Float64", "Bool"}

var kindSizes = [...]int{1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 1}

func (k ElemKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ElemKind(%d)", int(k))
}

// Size returns the size in bytes of an element of kind k, or 0 if k is not
// a valid kind.
func (k ElemKind) Size() int {
	if k >= 0 && int(k) < len(kindSizes) {
		return kindSizes[k]
	}
	return 0
}

// nanKeyBase starts the keys given to NaN elements: the quiet-NaN bit
// pattern, as an int about 9.2e18, far from the ints and numeric hashes that
// occur in practice.
const nanKeyBase = 0x7FF8_0000_0000_0000

// arrayChunk is the number of elements AddArray converts to keys at a time,
// in a buffer on the stack.
const arrayChunk = 512

// AddArray adds the elements of a contiguous array of the given kind, stored
// in data in native byte order, with the keys a Python set would see for the
// equal Python objects (see KeyInt64 and the related functions): an int8
// 1, a float64 1.0 and a bool True are the same item.
//
// As in a Python set of distinct NaN objects, every NaN element is a distinct
// item: each gets a fresh key, 0x7FF8000000000000 (the quiet-NaN bit pattern)
// plus the number of NaN elements added before it since New or Reset. Such a
// key could in principle equal the key of another item (an int near 9.2e18,
// or an object whose hash happens to match); that is the one exception to
// equal keys meaning equal items.
//
// AddArray panics if kind is invalid or len(data) is not a multiple of the
// element size.
func (c *Counter) AddArray(kind ElemKind, data []byte) {
	size := kind.Size()
	if size == 0 {
		panic(fmt.Sprintf("cvm: AddArray: invalid %v", kind))
	}
	if len(data)%size != 0 {
		panic(fmt.Sprintf("cvm: AddArray: %d bytes is not a whole number of %v elements", len(data), kind))
	}
	if (kind == Int64 || kind == Uint64) && len(data) > 0 && uintptr(unsafe.Pointer(&data[0]))%8 == 0 {
		// Aligned 64-bit ints need no conversion, as long as they fit in
		// int64: add them in place.
		words := unsafe.Slice((*uint64)(unsafe.Pointer(&data[0])), len(data)/8)
		if kind == Int64 {
			c.Add(words)
			return
		}
		for len(words) > 0 {
			n := min(len(words), arrayChunk)
			if !anyHighBit(words[:n]) {
				c.Add(words[:n])
			} else {
				var buf [arrayChunk]uint64
				for i, v := range words[:n] {
					buf[i] = KeyUint64(v)
				}
				c.Add(buf[:n])
			}
			words = words[n:]
		}
		return
	}
	var buf [arrayChunk]uint64
	for len(data) > 0 {
		n := min(len(data)/size, arrayChunk)
		c.elemKeys(kind, data[:n*size], buf[:n])
		c.Add(buf[:n])
		data = data[n*size:]
	}
}

// anyHighBit reports whether some element of words is above MaxInt64.
func anyHighBit(words []uint64) bool {
	var or uint64
	for _, w := range words {
		or |= w
	}
	return or>>63 != 0
}

// elemKeys stores in keys the keys of the len(keys) elements of kind in
// data.
func (c *Counter) elemKeys(kind ElemKind, data []byte, keys []uint64) {
	ne := binary.NativeEndian
	switch kind {
	case Int8:
		for i := range keys {
			keys[i] = uint64(int64(int8(data[i])))
		}
	case Uint8:
		for i := range keys {
			keys[i] = uint64(data[i])
		}
	case Bool:
		for i := range keys {
			keys[i] = 0
			if data[i] != 0 {
				keys[i] = 1
			}
		}
	case Int16:
		for i := range keys {
			keys[i] = uint64(int64(int16(ne.Uint16(data[2*i:]))))
		}
	case Uint16:
		for i := range keys {
			keys[i] = uint64(ne.Uint16(data[2*i:]))
		}
	case Int32:
		for i := range keys {
			keys[i] = uint64(int64(int32(ne.Uint32(data[4*i:]))))
		}
	case Uint32:
		for i := range keys {
			keys[i] = uint64(ne.Uint32(data[4*i:]))
		}
	case Int64:
		for i := range keys {
			keys[i] = ne.Uint64(data[8*i:])
		}
	case Uint64:
		for i := range keys {
			keys[i] = KeyUint64(ne.Uint64(data[8*i:]))
		}
	case Float32:
		for i := range keys {
			f := float64(math.Float32frombits(ne.Uint32(data[4*i:])))
			if v, ok := exactInt(f); ok {
				keys[i] = uint64(v)
			} else {
				keys[i] = c.floatKey(f)
			}
		}
	case Float64:
		for i := range keys {
			f := math.Float64frombits(ne.Uint64(data[8*i:]))
			if v, ok := exactInt(f); ok {
				keys[i] = uint64(v)
			} else {
				keys[i] = c.floatKey(f)
			}
		}
	}
}

// floatKey returns KeyFloat64(f), or a fresh key if f is NaN. The callers
// handle integral f inline; this is the slower path.
func (c *Counter) floatKey(f float64) uint64 {
	key, isNaN := KeyFloat64(f)
	if isNaN {
		key = nanKeyBase + c.nans
		c.nans++
	}
	return key
}
