package cvm

import (
	"errors"
)

// ErrNoMemory is the panic value of AddKeys and Merge (and the error of
// the functions that return one) when the operating system refuses memory
// for a larger table. The counter is left unchanged by the key that needed
// the memory.
var ErrNoMemory = errors.New("cvm: out of memory")

// A table is the buffer: a set of keys in an open-addressing hash table
// with linear probing. Keys are already uniform hashes, so the home slot of
// a key is its low bits. Slot value 0 means empty; the key 0 is kept in a
// flag of its own.
//
// The table grows with the set (it starts with minSlots slots and doubles
// when more than maxLoad of it is used), so a counter that sees few
// distinct keys takes little memory whatever its threshold, and a full one
// takes 8 bytes per slot, 10.7 to 21.3 bytes per key. Large tables are
// mapped from the operating system directly (see alloc), so that their
// memory returns when they are replaced, and a failed allocation is an
// error rather than a crash.
type table struct {
	slots []uint64
	n     int  // keys in slots
	zero  bool // the key 0 is in the set
}

const minSlots = 16

// maxLoad: a table holds at most 3/4 as many keys as slots.
func maxKeys(slots int) int { return slots / 4 * 3 }

// slotsFor returns the number of slots for n keys.
func slotsFor(n int) int {
	s := minSlots
	for maxKeys(s) < n {
		s *= 2
	}
	return s
}

func (t *table) len() int {
	if t.zero {
		return t.n + 1
	}
	return t.n
}

// reset empties t and returns its memory.
func (t *table) reset() {
	free(t.slots)
	*t = table{}
}

// insert adds key to t. It reports whether key was absent.
func (t *table) insert(key uint64) bool {
	if key == 0 {
		added := !t.zero
		t.zero = true
		return added
	}
	if t.n >= maxKeys(len(t.slots)) {
		t.resize(slotsFor(t.n + 1))
	}
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case 0:
			t.slots[i] = key
			t.n++
			return true
		case key:
			return false
		}
	}
}

// resize moves the keys of t into a table of size slots (a power of two
// that holds them). It panics with ErrNoMemory, leaving t unchanged, if the
// memory is refused.
func (t *table) resize(size int) {
	t.filter(size, 0)
}

// filter keeps only the keys of level at least k, in a table of size slots.
func (t *table) filter(size int, k int) {
	ns, err := alloc(size)
	if err != nil {
		panic(ErrNoMemory)
	}
	mask := uint64(size - 1)
	n := 0
	lim := levelLimit(k)
	for _, key := range t.slots {
		if !keptAt(key, lim) {
			continue
		}
		i := key & mask
		for ns[i] != 0 {
			i = (i + 1) & mask
		}
		ns[i] = key
		n++
	}
	free(t.slots)
	t.slots, t.n = ns, n
}

// keptAt reports whether a slot holds a key (not 0) of level at least k,
// lim being levelLimit(k): one comparison, as key-1 wraps around for 0.
func keptAt(slot, lim uint64) bool { return slot-1 < lim }

// atLeast returns the number of keys of t of level at least k (k <= 64).
func (t *table) atLeast(k int) int {
	lim := levelLimit(k)
	n := 0
	if t.zero {
		n = 1 // the key 0 is of level 64
	}
	for _, key := range t.slots {
		if keptAt(key, lim) {
			n++
		}
	}
	return n
}

// appendKeys appends the keys of t to dst, in slot order.
func (t *table) appendKeys(dst []uint64) []uint64 {
	if t.zero {
		dst = append(dst, 0)
	}
	for _, key := range t.slots {
		if key != 0 {
			dst = append(dst, key)
		}
	}
	return dst
}
