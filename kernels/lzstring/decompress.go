package lzstring

import (
	"encoding/binary"
	"sync"
	"unsafe"
)

// decompressor holds the buffers of one decompression, kept in a pool so that
// repeated calls reuse them.
type decompressor struct {
	bits []byte // the input as an LSB-first bit stream, then padBytes zeros
	dict []span
}

var decompressorPool = sync.Pool{New: func() any { return new(decompressor) }}

// padBytes of zeros follow the input stream: a code read may run past the end
// by one code and one literal (the reference reads zeros there), and reads
// load 8 bytes at a time.
const padBytes = 16

// span is a dictionary entry: n units of the output from off. Every entry is
// either a literal just written or the previous phrase's span extended by the
// unit written after it, so it is always a span of the output, and the
// dictionary costs 8 bytes per entry however long the phrases grow.
type span struct{ off, n uint32 }

// decode decompresses the first nbits bits of d.bits, appending to dst. It
// follows the reference's _decompress step by step; where the reference
// returns "" it returns dst unchanged, and where it returns null, throws or
// reads its undefined entry 3, ErrCorrupt.
//
// With opt's Alloc, every buffer it makes for the output comes from there,
// and any it drops goes back through Free. opt's Stop is polled every stopEvery
// codes, and every stopEvery units of output copied.
func (d *decompressor) decode(dst []uint16, nbits int, maxLength int, opt *Options) (out []uint16, err error) {
	if maxLength < 0 || maxLength > refMaxLength {
		maxLength = refMaxLength
	}
	r := bitReader{bs: d.bits}
	base := len(dst)
	var first uint32
	switch r.read(2) {
	case 0:
		first = r.read(8)
	case 1:
		first = r.read(16)
	case 2:
		return dst, nil
	default:
		return dst, ErrCorrupt
	}

	var (
		numBits uint   = 3
		enlarge uint32 = 4 // the reference's enlargeIn
		w              = span{0, 1}
	)
	dict := append(d.dict[:0], span{}, span{}, span{}, w)
	var mapped []byte // dict's array, once reserve moved it out of the Go heap
	defer func() {
		if mapped != nil {
			unmap(mapped)
			dict = nil
		}
		d.dict = dict[:0]
	}()
	if dict, err = reserve(dict, &mapped, &r, nbits, numBits, opt); err != nil {
		return dst, err
	}
	if maxLength < 1 {
		_, err := r.count(dict, w.n, nbits, numBits, enlarge, 1, maxLength, opt)
		return dst, err
	}

	// buf is the output buffer at full capacity, o the end of the output
	// in it. When it first runs out, the rest of the stream is parsed
	// without writing to learn the exact final length: one allocation of
	// the right size from then on, and a bomb is refused before it costs
	// any memory.
	limit := base + maxLength
	buf := dst[:cap(dst)]
	o := base
	sized := false
	// ours: buf came from o.alloc, so it goes back through o.free unless it
	// is returned.
	ours := false
	defer func() {
		if ours && (err != nil || len(out) == 0 || &out[:1][0] != &buf[:1][0]) {
			opt.free(buf, true)
		}
	}()
	if o >= len(buf) {
		nb := opt.alloc(min(limit, o+max(64, nbits/4)))
		if nb == nil {
			return dst[:base], ErrNoMemory
		}
		copy(nb, buf[:o])
		buf, ours = nb, true
	}
	buf[o] = uint16(first)
	o++
	work := 0 // codes read and units copied since Stop was last polled
	for {
		if work >= stopEvery {
			if opt.stopped() {
				return dst[:base], ErrStopped
			}
			work = 0
			if dict, err = reserve(dict, &mapped, &r, nbits, numBits, opt); err != nil {
				return dst[:base], err
			}
		}
		// The reference stops with "" once it has loaded past its last
		// input unit, even in the middle of the stream.
		if r.pos >= nbits {
			return dst[:base], nil
		}
		c := r.read(numBits)
		// The next phrase e is the literal lit, or e.n units from e.off.
		var e span
		lit := -1
		switch {
		case c < 2:
			lit = int(r.read(8 << c))
			e.n = 1
			dict = append(dict, span{uint32(o - base), 1})
			enlarge--
			if enlarge == 0 {
				enlarge = 1 << numBits
				numBits++
			}
		case c == 2:
			return buf[:o], nil
		case int(c) < len(dict):
			e = dict[c]
		case int(c) == len(dict):
			// The phrase being defined: w and w's first unit.
			e = span{w.off, w.n + 1}
		default:
			return dst[:base], ErrCorrupt
		}

		if int(e.n) > len(buf)-o || int(e.n) > limit-o {
			// Learn the rest of the stream's answer: finish this step
			// without writing (on copies, and on dict past its
			// length, which the steps that follow overwrite), then
			// count.
			r2, numBits2, enlarge2 := r, numBits, enlarge-1
			if enlarge2 == 0 {
				enlarge2 = 1 << numBits2
				numBits2++
			}
			total := o - base + int(e.n)
			n, err := r2.count(append(dict, span{0, w.n + 1}), e.n, nbits, numBits2, enlarge2, total, maxLength, opt)
			if err != nil || n == 0 {
				return dst[:base], err
			}
			if sized {
				panic("lzstring: decoder outgrew its exact size")
			}
			sized = true
			nb := opt.alloc(base + n)
			if nb == nil {
				return dst[:base], ErrNoMemory
			}
			if !copyStopping(nb, buf[:o], opt) {
				opt.free(nb, true)
				return dst[:base], ErrStopped
			}
			opt.free(buf, ours)
			buf, ours = nb, true
		}
		work += int(e.n) + 1

		if lit >= 0 {
			buf[o] = uint16(lit)
		} else if from := base + int(e.off); from+int(e.n) <= o {
			if e.n <= 4 {
				// Phrases of random text are this short: a loop beats
				// a call to memmove.
				dst, src := buf[o:o+int(e.n)], buf[from:from+int(e.n)]
				for i := range dst {
					dst[i] = src[i]
				}
			} else {
				copy(buf[o:o+int(e.n)], buf[from:])
			}
		} else {
			// The phrase being defined overlaps its source, which ends
			// where it starts.
			copy(buf[o:], buf[from:o])
			buf[o+int(e.n)-1] = buf[from]
		}
		// w was written just before e, so w+e[0] is a span too.
		dict = append(dict, span{w.off, w.n + 1})
		w = span{uint32(o - base), e.n}
		o += int(e.n)
		enlarge--
		if enlarge == 0 {
			enlarge = 1 << numBits
			numBits++
		}
	}
}

// count goes on parsing the stream without writing, tracking only phrase
// lengths, from the top of the reference's loop with total units written
// and the last phrase wn units long. It returns the reference's answer: n > 0
// if it returns a string of n <= maxLength units, 0 if it returns "", or
// ErrTooLong if it returns a longer string, or ErrCorrupt if null or an
// exception. It runs in time linear in the rest of the input and allocates
// only dictionary entries, so a decompression bomb costs no more than its
// own size.
func (r *bitReader) count(dict []span, wn uint32, nbits int, numBits uint, enlarge uint32, total, maxLength int,
	opt *Options) (int, error) {
	// dict's array belongs to decode until reserve moves it here.
	var mapped []byte
	defer func() {
		if mapped != nil {
			unmap(mapped)
		}
	}()
	dict, err := reserve(dict, &mapped, r, nbits, numBits, opt)
	if err != nil {
		return 0, err
	}
	for work := 0; ; work++ {
		if work == stopEvery {
			if opt.stopped() {
				return 0, ErrStopped
			}
			work = 0
			if dict, err = reserve(dict, &mapped, r, nbits, numBits, opt); err != nil {
				return 0, err
			}
		}
		if r.pos >= nbits {
			return 0, nil
		}
		c := r.read(numBits)
		var n uint32
		switch {
		case c < 2:
			r.read(8 << c)
			n = 1
			dict = append(dict, span{0, 1})
			enlarge--
			if enlarge == 0 {
				enlarge = 1 << numBits
				numBits++
			}
		case c == 2:
			if total > maxLength {
				return 0, ErrTooLong
			}
			return total, nil
		case int(c) < len(dict):
			n = dict[c].n
		case int(c) == len(dict):
			n = wn + 1
		default:
			return 0, ErrCorrupt
		}
		if wn >= refMaxLength || numBits > 30 {
			// The reference would throw building w+e[0], a string too
			// long for V8, or loop forever reading codes wider than
			// its 32-bit arithmetic.
			return 0, ErrTooLong
		}
		if total <= maxLength {
			total += int(n)
		}
		dict = append(dict, span{0, wn + 1})
		wn = n
		enlarge--
		if enlarge == 0 {
			enlarge = 1 << numBits
			numBits++
		}
	}
}

// reserve returns dict with room for the entries that the codes before the
// next poll of Stop can add: two per code, for at most stopEvery codes, none
// of them narrower than numBits. So the appends between polls never move
// it; when it is moved, here, it goes to an array twice as big, copied in
// pieces between polls (append's own copy of a dictionary of hundreds of
// MiB ran a third of a second past a Ctrl-C). An array past maxPooledBytes
// is mapped outside the Go heap, as the compressor's big tables are: the
// collector then has nothing to do for it, nothing is zeroed before it is
// used, and it goes back to the system when the call ends. *mapped is the
// mapping dict's array is in, if the caller owns one; reserve unmaps it once
// it has moved on, and sets the new one. It fails with ErrStopped, or
// ErrNoMemory if the system refuses the mapping.
func reserve(dict []span, mapped *[]byte, r *bitReader, nbits int, numBits uint, opt *Options) ([]span, error) {
	room := 2*min(stopEvery, max(0, nbits-r.pos)/int(numBits)+1) + 2
	if cap(dict)-len(dict) >= room {
		return dict, nil
	}
	size := 2*cap(dict) + room
	var grown []span
	var m []byte
	if size*int(unsafe.Sizeof(span{})) > maxPooledBytes {
		var ok bool
		if m, ok = mapZeroed(size * int(unsafe.Sizeof(span{}))); !ok {
			return dict, ErrNoMemory
		}
		grown = unsafe.Slice((*span)(unsafe.Pointer(unsafe.SliceData(m))), size)[:len(dict)]
	} else {
		grown = make([]span, len(dict), size)
	}
	if !copyStopping(grown, dict, opt) {
		if m != nil {
			unmap(m)
		}
		return dict, ErrStopped
	}
	if *mapped != nil {
		unmap(*mapped)
	}
	*mapped = m
	return grown, nil
}

// bitReader reads the LSB-first stream that the formats build from their
// input. Past the end it reads zeros, as the reference does (NaN and
// undefined are 0 in its bit arithmetic).
type bitReader struct {
	bs  []byte
	pos int
}

// read returns the next n (<= 32) bits, the first one lowest, as the
// reference assembles them.
func (r *bitReader) read(n uint) uint32 {
	v := binary.LittleEndian.Uint64(r.bs[r.pos>>3:]) >> (r.pos & 7)
	r.pos += int(n)
	return uint32(v) & (1<<n - 1)
}
