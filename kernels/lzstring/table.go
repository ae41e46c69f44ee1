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
// that ("wide"), slots hold only keys and the codes sit in a parallel array.
type phraseTable struct {
	slots   []uint64 // key | code<<40, or in wide mode key alone; 0 = empty
	codes   []uint32 // wide mode: the code of each slot
	mapped  tableMem // the memory of slots and codes, when outside the Go heap
	keyMask uint64   // the key bits of a slot
	wide    bool
	mask    uint64
	shift   uint8 // 64 - log2(len(slots)), for Fibonacci hashing
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
	bits := minTableBits
	for bits < 40 && 3<<bits < 4*n && (bits < 16 || 1<<(bits+1) <= cap(t.slots)) {
		bits++
	}
	t.wide = wide
	t.keyMask = narrowKeyMask
	if wide {
		t.keyMask = wideKeyMask
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
const mapMinSlots = 1 << 19 // 4 MiB

// hugePages asks for huge pages for mapped tables (a variable so that a
// benchmark can compare).
var hugePages = true

// tableMem is the mapped memory of one table's slots and codes.
type tableMem struct{ slots, codes []byte }

// alloc gives t zeroed arrays of 1<<bits slots (reusing its Go-heap arrays
// when reuse and they are big enough). It reports false if the system has
// no memory for a mapped table; t is unchanged then.
func (t *phraseTable) alloc(bits int, reuse bool) bool {
	size := 1 << bits
	if size < mapMinSlots {
		if reuse && t.mapped.slots != nil {
			t.release()
		}
		if reuse {
			t.slots = resized(t.slots, size)
		} else {
			t.slots = make([]uint64, size)
		}
		if t.wide {
			if reuse {
				t.codes = resized(t.codes, size)
			} else {
				t.codes = make([]uint32, size)
			}
		}
		t.mapped = tableMem{}
		return true
	}
	var m tableMem
	var ok bool
	if m.slots, ok = mapZeroed(8 * size); !ok {
		return false
	}
	if t.wide {
		if m.codes, ok = mapZeroed(4 * size); !ok {
			unmap(m.slots)
			return false
		}
	}
	if reuse {
		t.release()
	}
	t.mapped = m
	t.slots = unsafe.Slice((*uint64)(unsafe.Pointer(&m.slots[0])), size)
	t.codes = nil
	if t.wide {
		t.codes = unsafe.Slice((*uint32)(unsafe.Pointer(&m.codes[0])), size)
	}
	return true
}

// release gives a mapped table's memory back; the table is empty after.
func (t *phraseTable) release() {
	if t.mapped.slots == nil {
		return
	}
	unmap(t.mapped.slots)
	if t.mapped.codes != nil {
		unmap(t.mapped.codes)
	}
	t.mapped = tableMem{}
	t.slots, t.codes = nil, nil
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
	if t.n >= t.limit && !t.grow() {
		return false
	}
	t.n++
	i := t.hash(key)
	for t.slots[i] != 0 {
		i = (i + 1) & t.mask
	}
	if t.wide {
		t.slots[i] = key
		t.codes[i] = code
	} else {
		t.slots[i] = key | uint64(code)<<(narrowCodeBits+16)
	}
	return true
}

// grow doubles the table, into fresh arrays: the old ones are still read.
// It reports false, changing nothing, if there is no memory for that.
func (t *phraseTable) grow() bool {
	oldSlots, oldCodes, oldMapped := t.slots, t.codes, t.mapped
	bits := int(64-t.shift) + 1
	if !t.alloc(bits, false) {
		return false
	}
	n := t.n
	t.setSize(bits)
	t.n = n
	for j, s := range oldSlots {
		if s == 0 {
			continue
		}
		i := t.hash(s & t.keyMask)
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
		if t.wide {
			t.codes[i] = oldCodes[j]
		}
	}
	old := phraseTable{mapped: oldMapped}
	old.release()
	return true
}
