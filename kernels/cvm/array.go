package cvm

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"

	"github.com/gokernels/gokernels/kernels/internal/pool"
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

// arrayChunk is the number of elements AddArray converts to keys at a time,
// in a buffer on the stack.
const arrayChunk = 512

// AddArray adds the elements of a contiguous array of the given kind, stored
// in data in native byte order, with the keys of the equal Python objects
// (KeyInt64, KeyUint64, KeyFloat64): an int8 1, a float64 1.0 and a bool
// True are the same item, and all NaNs are one item.
//
// AddArray panics if kind is invalid or len(data) is not a multiple of the
// element size, and with ErrNoMemory as AddKeys does.
func (c *Counter) AddArray(kind ElemKind, data []byte) {
	size := checkArray(kind, data)
	var buf [arrayChunk]uint64
	if (kind == Int64 || kind == Uint64) && len(data) > 0 {
		if uintptr(unsafe.Pointer(&data[0]))%8 == 0 {
			words := unsafe.Slice((*uint64)(unsafe.Pointer(&data[0])), len(data)/8)
			if kind == Int64 || !anyHighBit(words) {
				c.addInts(words)
				return
			}
		} else {
			c.addIntsCopied(kind, data, &buf)
			return
		}
	}
	for len(data) > 0 {
		n := min(len(data)/size, arrayChunk)
		elemKeys(c.seed, kind, data[:n*size], buf[:n])
		c.AddKeys(buf[:n])
		data = data[n*size:]
	}
}

// addInts adds the ints vals (as int64s). Past the first levels, where
// most keys fail the level test, a SIMD scan (scanInts) skips the blocks
// of 8 values whose keys all fail it, 4 or 8 keys per instruction, and the
// scalar loop takes the block it stops at.
func (c *Counter) addInts(vals []uint64) {
	off := spread(c.seed, intDomain)
	for len(vals) > 0 {
		if !useScan || c.k < scanMinLevel {
			n := len(vals)
			if useScan {
				n = min(n, scanChunk)
			}
			c.addIntsScalar(vals[:n], off)
			vals = vals[n:]
			continue
		}
		// scanChunk bounds the time in assembly, where the goroutine
		// cannot be preempted.
		pre := levelLimit(min(c.k, 31))
		n := scanInts(vals[:min(len(vals), scanChunk)], off, pre)
		m := min(len(vals), n+8)
		c.addIntsScalar(vals[n:m], off)
		vals = vals[m:]
	}
}

const (
	// At level k a block of 8 keys holds one that passes with probability
	// about 8/2^k: from level 6 on, a scan skips 8 blocks on average
	// before it hands one to the scalar loop.
	scanMinLevel = 6
	scanChunk    = 1 << 16
)

// addIntsScalar is addInts one value at a time, computing each key and
// testing its level in registers: most keys fail the test and cost no memory
// access beyond the load of the value.
func (c *Counter) addIntsScalar(vals []uint64, off uint64) {
	lim, pre := levelLimit(c.k), levelLimit(min(c.k, 31))
	for _, v := range vals {
		// pre tests the level up to 31 on mixHead's result (mix's last step
		// keeps the top 31 bits); keys that pass are finished and tested
		// in full.
		x := mixHead(v + off)
		if x > pre {
			continue
		}
		if key := x ^ x>>31; key <= lim {
			c.insertSlow(key)
			lim, pre = levelLimit(c.k), levelLimit(min(c.k, 31))
		}
	}
}

// addIntsCopied is AddArray's addInts for misaligned int64 or uint64 data
// (a dask worker's partitions sit at any offset of the message they came
// in): a chunk at a time, the values are copied to buf and counted from
// there, which keys them several times faster than elemKeys. A chunk of
// uint64s above MaxInt64 is keyed by elemKeys instead.
func (c *Counter) addIntsCopied(kind ElemKind, data []byte, buf *[arrayChunk]uint64) {
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), 8*len(buf))
	for len(data) > 0 {
		n := copy(bytes, data) / 8
		if kind == Uint64 && anyHighBit(buf[:n]) {
			elemKeys(c.seed, kind, data[:8*n], buf[:n])
			c.AddKeys(buf[:n])
		} else {
			c.addInts(buf[:n])
		}
		data = data[8*n:]
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

func checkArray(kind ElemKind, data []byte) int {
	size := kind.Size()
	if size == 0 {
		panic(fmt.Sprintf("cvm: AddArray: invalid %v", kind))
	}
	if len(data)%size != 0 {
		panic(fmt.Sprintf("cvm: AddArray: %d bytes is not a whole number of %v elements", len(data), kind))
	}
	return size
}

// AddArrayParallel is AddArray on up to workers goroutines: each counts a
// part of data in a counter of its own, and c merges them. The result is the
// same as AddArray's. It returns ErrNoMemory instead of panicking.
func (c *Counter) AddArrayParallel(kind ElemKind, data []byte, workers int) (err error) {
	size := checkArray(kind, data)
	n := len(data) / size
	workers = max(1, min(workers, n/(1<<16)))
	defer func() {
		if r := recover(); r != nil {
			if r != ErrNoMemory {
				panic(r)
			}
			err = ErrNoMemory
		}
	}()
	if workers == 1 {
		c.AddArray(kind, data)
		return nil
	}
	// The pieces go to the workers in turn through the shared pool, so that
	// a worker slowed down (a busy machine) costs the others at most a
	// piece's time; worker w counts in parts[w].
	const piece = 1 << 16
	parts := make([]*Counter, workers)
	for w := range parts {
		p := New(c.threshold, c.seed)
		p.k = c.k // keys below c.k would be dropped by the merge anyway
		parts[w] = p
	}
	defer func() {
		for _, p := range parts {
			p.Reset()
		}
	}()
	// A panic (ErrNoMemory) is raised again here once every piece is done.
	pool.Run((n+piece-1)/piece, workers, func(w, i int) {
		lo, hi := i*piece, min((i+1)*piece, n)
		parts[w].AddArray(kind, data[lo*size:hi*size])
	})
	for _, p := range parts {
		if err := c.Merge(p); err != nil {
			return err
		}
	}
	return nil
}

// elemKeys stores in keys the keys of the len(keys) elements of kind in
// data. It is KeyInt64 and friends with the seed's offset computed once.
func elemKeys(seed uint64, kind ElemKind, data []byte, keys []uint64) {
	ne := binary.NativeEndian
	io := spread(seed, intDomain)
	switch kind {
	case Int8:
		for i := range keys {
			keys[i] = mix(uint64(int64(int8(data[i]))) + io)
		}
	case Uint8:
		for i := range keys {
			keys[i] = mix(uint64(data[i]) + io)
		}
	case Bool:
		for i := range keys {
			b := uint64(0)
			if data[i] != 0 {
				b = 1
			}
			keys[i] = mix(b + io)
		}
	case Int16:
		_ = data[2*len(keys)-1]
		for i := range keys {
			keys[i] = mix(uint64(int64(int16(ne.Uint16(data[2*i:])))) + io)
		}
	case Uint16:
		_ = data[2*len(keys)-1]
		for i := range keys {
			keys[i] = mix(uint64(ne.Uint16(data[2*i:])) + io)
		}
	case Int32:
		_ = data[4*len(keys)-1]
		for i := range keys {
			keys[i] = mix(uint64(int64(int32(ne.Uint32(data[4*i:])))) + io)
		}
	case Uint32:
		_ = data[4*len(keys)-1]
		for i := range keys {
			keys[i] = mix(uint64(ne.Uint32(data[4*i:])) + io)
		}
	case Int64:
		_ = data[8*len(keys)-1]
		for i := range keys {
			keys[i] = mix(ne.Uint64(data[8*i:]) + io)
		}
	case Uint64:
		_ = data[8*len(keys)-1]
		for i := range keys {
			v := ne.Uint64(data[8*i:])
			if v <= math.MaxInt64 {
				keys[i] = mix(v + io)
			} else {
				keys[i] = KeyUint64(seed, v)
			}
		}
	case Float32:
		for i := range keys {
			keys[i] = KeyFloat64(seed, float64(math.Float32frombits(ne.Uint32(data[4*i:]))))
		}
	case Float64:
		for i := range keys {
			keys[i] = KeyFloat64(seed, math.Float64frombits(ne.Uint64(data[8*i:])))
		}
	}
}
