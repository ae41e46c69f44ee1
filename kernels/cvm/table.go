package cvm

import "math/bits"

// A table is the buffer X: a set of keys kept both in a dense array, in an
// order that depends only on the seed and the stream's equality pattern, and
// in an open-addressing hash table (linear probing, backward-shift deletion,
// no tombstones) that maps each key to its position in the dense array.
//
// The random choices of the algorithm look only at dense positions; the hash
// table only answers membership. That is why the result does not depend on the
// key values.
//
// Most lookups are for absent keys, so the probe sequence must usually end
// at once, in a predictable branch: the hash table is kept at most 1/8 full,
// and its probe array holds only 16-bit fingerprints, small enough to stay in
// the first-level cache for the usual thresholds. A fingerprint match is
// confirmed against the full key in the dense array.
type table struct {
	dense []uint64 // keys; len is |X|, cap is the threshold
	fps   []uint16 // fingerprints, 0 = empty; len is a power of two
	pos   []uint32 // pos[i] is the dense position of the key in slot i
}

// loadFactor is the inverse of the maximum fraction of slots in use.
const loadFactor = 8

// hash spreads the keys over the table. Python int keys are the ints
// themselves, so without mixing, runs of consecutive ints would fill runs of
// consecutive slots. It is the folded multiply of wyhash (the high and low
// halves of a 128-bit product, XORed): one multiplication, and it mixes keys
// that differ only in their high bits as well as in their low bits. It need
// not be a bijection, since the table compares whole keys.
func hash(key uint64) uint64 {
	hi, lo := bits.Mul64(key^0x2d358dccaa6c78a5, 0x8bb84b93962eacc9)
	return hi ^ lo
}

// fingerprint returns the fingerprint of a key with hash h: the top 16 bits
// of h, independent of the low bits that choose its home slot, with the low
// bit set so that it is never 0.
func fingerprint(h uint64) uint16 { return uint16(h>>48) | 1 }

// init prepares t for a buffer of fewer than threshold keys.
func (t *table) init(threshold int) {
	size := 1 << bits.Len(uint(loadFactor*threshold-1))
	t.dense = make([]uint64, 0, threshold)
	t.fps = make([]uint16, size)
	t.pos = make([]uint32, size)
}

// clear empties t.
func (t *table) clear() {
	t.dense = t.dense[:0]
	clear(t.fps)
}

// find returns the slot holding key, or the empty slot where it would be
// inserted and false.
func (t *table) find(key uint64) (int, bool) {
	mask := uint64(len(t.fps) - 1)
	h := hash(key)
	fp := fingerprint(h)
	for i := h & mask; ; i = (i + 1) & mask {
		switch t.fps[i] {
		case 0:
			return int(i), false
		case fp:
			if t.dense[t.pos[i]] == key {
				return int(i), true
			}
		}
	}
}

// insertAt appends key, whose hash is h, to the dense array and records it
// in the empty slot i returned by find.
func (t *table) insertAt(i int, key, h uint64) {
	t.fps[i] = fingerprint(h)
	t.pos[i] = uint32(len(t.dense))
	t.dense = append(t.dense, key)
}

// removeAt removes the key in slot i. The last dense key moves into the
// freed dense position, and its slot is updated to match.
func (t *table) removeAt(i int) {
	p := t.pos[i]
	t.deleteSlot(i)
	last := len(t.dense) - 1
	if int(p) != last {
		key := t.dense[last]
		j, _ := t.find(key)
		t.pos[j] = p
		t.dense[p] = key
	}
	t.dense = t.dense[:last]
}

// deleteSlot empties slot i by backward-shift deletion: later keys of the same
// probe run move back into the hole when their home slot allows it, so that
// every key stays reachable from its home slot without tombstones.
func (t *table) deleteSlot(i int) {
	mask := len(t.fps) - 1
	hole := i
	for j := (i + 1) & mask; t.fps[j] != 0; j = (j + 1) & mask {
		// The key at j may fill the hole if the hole lies on its probe path,
		// that is, if its home is no further from j than the hole is.
		home := int(hash(t.dense[t.pos[j]])) & mask
		if (j-home)&mask >= (j-hole)&mask {
			t.fps[hole] = t.fps[j]
			t.pos[hole] = t.pos[j]
			hole = j
		}
	}
	t.fps[hole] = 0
}

// rebuild refills the hash table from the dense array.
func (t *table) rebuild() {
	clear(t.fps)
	mask := uint64(len(t.fps) - 1)
	for p, key := range t.dense {
		h := hash(key)
		i := h & mask
		for t.fps[i] != 0 {
			i = (i + 1) & mask
		}
		t.fps[i] = fingerprint(h)
		t.pos[i] = uint32(p)
	}
}
