package lzstring

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
// n units make at most n entries, so a table of that size never grows; but
// a large table costs time to clear and misses the cache more, while real
// inputs make several times fewer entries. So the table starts no larger
// than 64K slots, or than what a previous, pooled use grew it to, and only
// the slots in use are cleared.
func (t *phraseTable) reset(n int, wide bool) {
	bits := minTableBits
	for bits < 40 && 3<<bits < 4*n && (bits < 16 || 1<<(bits+1) <= cap(t.slots)) {
		bits++
	}
	t.wide = wide
	t.keyMask = narrowKeyMask
	if wide {
		t.keyMask = wideKeyMask
	}
	t.slots = resized(t.slots, 1<<bits)
	if wide {
		t.codes = resized(t.codes, 1<<bits)
	}
	t.setSize(bits)
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

// insert adds key, known to be absent, with code.
func (t *phraseTable) insert(key uint64, code uint32) {
	if t.n >= t.limit {
		t.grow()
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
}

// grow doubles the table, into fresh arrays: the old ones are still read.
func (t *phraseTable) grow() {
	oldSlots, oldCodes := t.slots, t.codes
	bits := int(64-t.shift) + 1
	t.slots = make([]uint64, 1<<bits)
	if t.wide {
		t.codes = make([]uint32, 1<<bits)
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
}
