package lzstring

import "unsafe"

// phraseTable is the compressor's dictionary trie: an open-addressing hash
// table, linear probing, from (prefix code, next unit) to the code of the
// extended phrase. The reference keys a JavaScript object by whole phrase
// strings; integer keys give the same dictionary in O(1) per input unit with
// no string building.
//
// A lookup is one random memory access per input unit, so the table's size
// sets the compressor's speed: a slot is 8 bytes, key and code packed
// together, while codes fit in 24 bits (inputs under about 16M units). Past
// that ("wide"), a slot is two words, the key and then its code, in the same
// cache line, so that a lookup still misses the cache once.
type phraseTable struct {
	slots   []uint64 // key | code<<40, or in wide mode key, code; 0 = empty
	mapped  []byte   // the memory of slots, when outside the Go heap
	keyMask uint64   // the key bits of a slot
	wide    bool
	stride  uint8 // log2 of the words per slot: 0, or 1 when wide
	mask    uint64
	shift   uint8 // 64 - log2(slot count), for Fibonacci hashing
	n       int   // occupied slots
	limit   int   // grow when n reaches this
}

// Keys are prefix<<16 | unit. Prefix codes start at 3, so a slot of 0 is
// empty.
const (
	narrowCodeBits = 24
	narrowKeyMask  = 1<<(narrowCodeBits+16) - 1
	wideKeyMask    = 1<<48 - 1
	minTableBits   = 8
)

// wideInput reports whether n input units may produce codes past 24 bits:
// each unit adds at most one phrase, and each distinct unit one more.
func wideInput(n int) bool { return n >= 1<<narrowCodeBits-1<<17 }

// reset empties the table for an input of n units, reusing the old arrays.
// It reports false if there is no memory for the table.
// n units make at most n entries, so a table of that size never grows; but
// a large table costs time to clear and misses the cache more, while real
// inputs make several times fewer entries. So the table starts no larger
// than 64K slots, or than what a previous, pooled use grew it to, and only
// the slots in use are cleared.
func (t *phraseTable) reset(n int, wide bool) bool {
	t.wide = wide
	t.keyMask = narrowKeyMask
	t.stride = 0
	if wide {
		t.keyMask = wideKeyMask
		t.stride = 1
	}
	bits := minTableBits
	for bits < 40 && 3<<bits < 4*n && (bits < 16 || 1<<(bits+1+int(t.stride)) <= cap(t.slots)) {
		bits++
	}
	if !t.alloc(bits, true) {
		return false
	}
	t.setSize(bits)
	return true
}

// Tables of at least mapMinSlots slots live outside the Go heap, on huge
// pages where the system gives them, and go back to the system when the
// call ends (release): a big input's table is the bulk of its memory, and
// keeping it in a pool would keep that much resident after the call.
const mapMinSlots = 1 << 19 // 4 MiB narrow

// hugePages asks for huge pages for mapped tables (a variable so that a
// benchmark can compare).
var hugePages = true

// alloc gives t zeroed slots for 1<<bits entries (reusing its Go-heap array
// when reuse and it is big enough). It reports false if the system has no
// memory for a mapped table; t is unchanged then.
func (t *phraseTable) alloc(bits int, reuse bool) bool {
	words := 1 << (bits + int(t.stride))
	if 1<<bits < mapMinSlots {
		if reuse && t.mapped != nil {
			t.release()
		}
		if reuse {
			t.slots = resized(t.slots, words)
		} else {
			t.slots = make([]uint64, words)
		}
		t.mapped = nil
		return true
	}
	m, ok := mapZeroed(8 * words)
	if !ok {
		return false
	}
	if reuse {
		t.release()
	}
	t.mapped = m
	t.slots = unsafe.Slice((*uint64)(unsafe.Pointer(&m[0])), words)
	return true
}

// release gives a mapped table's memory back; the table is empty after.
func (t *phraseTable) release() {
	if t.mapped == nil {
		return
	}
	unmap(t.mapped)
	t.mapped, t.slots = nil, nil
}

func resized[E any](s []E, size int) []E {
	if cap(s) >= size {
		s = s[:size]
		clear(s)
		return s
	}
	return make([]E, size)
}

func (t *phraseTable) setSize(bits int) {
	t.mask = 1<<bits - 1
	t.shift = uint8(64 - bits)
	t.n = 0
	// Load 3/4: linear probing stays short at that load (a miss probes
	// about eight slots, one or two cache lines), and a smaller table
	// misses the cache less.
	t.limit = 3 << bits / 4
}

// hash spreads a key over the table by Fibonacci hashing: one multiply, and
// the high bits are well mixed even for the sequential codes LZW produces.
func (t *phraseTable) hash(key uint64) uint64 {
	return (key * 0x9e3779b97f4a7c15) >> t.shift
}

// insert adds key, known to be absent, with code. It reports false if the
// table had to grow and there was no memory for that; key is not added then.
func (t *phraseTable) insert(key uint64, code uint32) bool {
	if t.n >= t.limit && t.grow(nil) != nil {
		return false
	}
	t.n++
	i := t.hash(key)
	for t.slots[i<<t.stride] != 0 {
		i = (i + 1) & t.mask
	}
	if t.wide {
		t.slots[2*i] = key
		t.slots[2*i+1] = uint64(code)
	} else {
		t.slots[i] = key | uint64(code)<<(narrowCodeBits+16)
	}
	return true
}

// grow doubles the table, into a fresh array: the old one is still read.
// The rehash polls o's Stop every rehashPiece old slots (one of tens of
// millions of entries, a random write each, ran most of a second). It fails,
// leaving the table as it was, with ErrNoMemory if there is no memory for
// the new array, or ErrStopped.
func (t *phraseTable) grow(o *Options) error {
	old, oldMapped, oldBits := t.slots, t.mapped, int(64-t.shift)
	t.mapped = nil // alloc must not release the old table yet
	if !t.alloc(oldBits+1, false) {
		t.mapped = oldMapped
		return ErrNoMemory
	}
	n := t.n
	t.setSize(oldBits + 1)
	t.n = n
	step := 1 << t.stride
	for lo := 0; lo < len(old); lo += rehashPiece {
		if o.stopped() {
			t.release()
			t.slots, t.mapped = old, oldMapped
			t.setSize(oldBits)
			t.n = n
			return ErrStopped
		}
		for j := lo; j < min(len(old), lo+rehashPiece); j += step {
			s := old[j]
			if s == 0 {
				continue
			}
			i := t.hash(s & t.keyMask)
			for t.slots[i<<t.stride] != 0 {
				i = (i + 1) & t.mask
			}
			t.slots[i<<t.stride] = s
			if t.wide {
				t.slots[2*i+1] = old[j+1]
			}
		}
	}
	if oldMapped != nil {
		unmap(oldMapped)
	}
	return nil
}

// rehashPiece is how many old slots grow moves between polls of Stop: a
// few milliseconds of cache misses.
const rehashPiece = 1 << 16
