package lzstring

import (
	"encoding/binary"
	"sync"
)

// compressor holds the state of one compression, kept in a pool so that
// repeated calls reuse their tables.
type compressor struct {
	table phraseTable
	// single maps a unit to its one-unit phrase's code, 0 while unseen. The
	// reference gives a unit its code when the unit is first read, not when
	// its phrase is first written, so these codes live apart from the trie.
	single []uint32
	seen   []uint16 // units set in single, to clear them cheaply
	bits   []byte   // the compressed bit stream, least significant bit first
}

var compressorPool = sync.Pool{New: func() any {
	return &compressor{single: make([]uint32, 1<<16)}
}}

// forceWide makes every table wide, so that tests cover the wide layout
// without 16M-unit inputs.
var forceWide = false

// proto is the one phrase the reference cannot store (see the package doc).
const proto = "__proto__"

// bitStream compresses src and returns the code stream, each value least
// significant bit first, packed from bit 0 of bits[0] on, with nbits bits. The
// returned slice is owned by c and is followed by at least 8 zero bytes.
// It fails with ErrStopped when o asks it to stop, or ErrNoMemory when the
// system refuses memory for the dictionary.
//
// Writing the stream LSB first, as DEFLATE does, lets a code be appended with
// one shift and one OR; the formats reverse the bits of each output unit
// afterwards, once per output unit rather than per bit.
func bitStream[T Unit](c *compressor, src []T, o *Options) (bits []byte, nbits int, err error) {
	if uint64(len(src)) >= 1<<31 {
		panic("lzstring: input too long")
	}
	for _, u := range c.seen {
		c.single[u] = 0
	}
	c.seen = c.seen[:0]
	t := &c.table
	if !t.reset(len(src), wideInput(len(src)) || forceWide) {
		return nil, 0, ErrNoMemory
	}
	defer t.release()
	cw := codeWriter{out: c.bits[:0], numBits: 2, enlarge: 2}

	var (
		dict uint32 = 3 // next code to hand out (the reference's dictSize)

		w        uint32 // code of the current phrase w
		wPending bool   // w is one unit whose literal has not been written yet
		wUnit    uint16 // that unit, when wPending

		// The deepest phrase of "__proto__"[:protoLen] stored so far has code
		// protoCode (0 when "_" is unseen).
		protoCode uint32
		protoLen  int
	)
	if len(src) == 0 {
		cw.put(2, cw.numBits) // end of stream
		c.bits, nbits = cw.finish()
		return c.bits, nbits, nil
	}
	// The first unit is a phrase of its own.
	w, wPending, wUnit = dict, true, uint16(src[0])
	c.single[wUnit] = dict
	c.seen = append(c.seen, wUnit)
	if wUnit == '_' {
		protoCode, protoLen = dict, 1
	}
	dict++

	slots, mask, shift, keyMask, wide, stride := t.slots, t.mask, t.shift, t.keyMask, t.wide, t.stride
	rest := src[1:]
	for len(rest) > 0 {
		chunk := rest[:min(len(rest), stopEvery)]
		rest = rest[len(chunk):]
		if o.stopped() {
			return nil, 0, ErrStopped
		}
		// Each unit adds at most one phrase: growing here, where the
		// rehash can be stopped, means insert never has to.
		for t.n+len(chunk) > t.limit {
			if err := t.grow(o); err != nil {
				return nil, 0, err
			}
			slots, mask, shift = t.slots, t.mask, t.shift
		}
		// And each unit writes at most one code and a literal's 16 bits,
		// 6 bytes, and the stream's end 28 more; making room here means
		// put never copies a stream of tens of MiB unpolled.
		if need := 6*len(chunk) + 28; cap(cw.out)-len(cw.out) < need {
			out := make([]byte, len(cw.out), 2*cap(cw.out)+need)
			if !copyStopping(out, cw.out, o) {
				return nil, 0, ErrStopped
			}
			cw.out = out
		}
		for _, ch := range chunk {
			u := uint16(ch)
			// The hot path: extend w by u if the phrase is known.
			key := uint64(w)<<16 | uint64(u)
			for i := (key * 0x9e3779b97f4a7c15) >> shift; ; i++ {
				j := (i & mask) << stride
				s := slots[j]
				if s&keyMask == key {
					if wide {
						w = uint32(slots[j+1])
					} else {
						w = uint32(s >> (narrowCodeBits + 16))
					}
					goto next
				}
				if s == 0 {
					break
				}
			}
			{
				// The reference gives u its code when first read, before
				// adding w+u.
				code := c.single[u]
				fresh := code == 0
				if fresh {
					code = dict
					dict++
					c.single[u] = code
					c.seen = append(c.seen, u)
					if u == '_' {
						protoCode, protoLen = code, 1
					}
				}
				cw.emit(w, wPending, wUnit)
				// Add w+u, except that "__proto__" is never stored.
				if w != protoCode || u != uint16(proto[protoLen]) {
					if !t.insert(key, dict) {
						return nil, 0, ErrNoMemory
					}
				} else if protoLen < len(proto)-1 {
					protoCode = dict
					protoLen++
					if !t.insert(key, dict) {
						return nil, 0, ErrNoMemory
					}
				}
				dict++
				slots, mask, shift = t.slots, t.mask, t.shift
				w, wPending, wUnit = code, fresh, u
			}
		next:
		}
	}
	cw.emit(w, wPending, wUnit)
	cw.put(2, cw.numBits) // end of stream
	c.bits, nbits = cw.finish()
	return c.bits, nbits, nil
}

// codeWriter writes codes at the reference's growing width.
type codeWriter struct {
	out     []byte
	acc     uint64 // pending bits, the oldest at bit 0
	nacc    uint   // number of pending bits, < 32 between writes
	numBits uint   // the current code width
	enlarge uint32 // the reference's enlargeIn: codes left at this width
}

// put appends the low n bits of v (n <= 32) to the stream.
func (cw *codeWriter) put(v uint32, n uint) {
	cw.acc |= uint64(v) << cw.nacc
	cw.nacc += n
	if cw.nacc >= 32 {
		cw.out = binary.LittleEndian.AppendUint32(cw.out, uint32(cw.acc))
		cw.acc >>= 32
		cw.nacc -= 32
	}
}

// tick counts one code at the current width, widening it after 2^numBits
// codes, exactly when the reference does.
func (cw *codeWriter) tick() {
	cw.enlarge--
	if cw.enlarge == 0 {
		cw.enlarge = 1 << cw.numBits
		cw.numBits++
	}
}

// emit writes the code for phrase w: a literal the first time a unit is
// written (pending), else its dictionary code.
func (cw *codeWriter) emit(w uint32, pending bool, unit uint16) {
	if pending {
		if unit < 256 {
			cw.put(0, cw.numBits)
			cw.put(uint32(unit), 8)
		} else {
			cw.put(1, cw.numBits)
			cw.put(uint32(unit), 16)
		}
		// A literal counts twice: once for the unit's own code.
		cw.tick()
	} else {
		cw.put(w, cw.numBits)
	}
	cw.tick()
}

// finish flushes the stream and pads it with zero bytes.
func (cw *codeWriter) finish() ([]byte, int) {
	nbits := len(cw.out)*8 + int(cw.nacc)
	out := binary.LittleEndian.AppendUint64(cw.out, cw.acc)
	out = binary.LittleEndian.AppendUint64(out, 0)
	return out, nbits
}

// unitCount is the number of output units of width bpc that the reference
// writes for nbits bits: it pads with zeros and always with at least one bit.
func unitCount(nbits, bpc int) int { return nbits/bpc + 1 }
