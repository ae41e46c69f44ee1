package arrow

import (
	"encoding/binary"
	"testing"
)

var fuzzFormats = []string{"n", "b", "c", "C", "s", "S", "i", "I", "l", "L", "e", "f", "g", "u", "U", "vu", "z", "Z", "vz", "+s", "x"}

// fuzzNode builds a node of arbitrary structure from raw: every length,
// offset, buffer and child comes from the fuzzer, and Import plus a Scan must
// return an error or keys, never panic.
func fuzzNode(raw []byte, depth int) (*node, []byte) {
	take := func(n int) []byte {
		n = min(n, len(raw))
		b := raw[:n]
		raw = raw[n:]
		return b
	}
	hdr := take(6)
	for len(hdr) < 6 {
		hdr = append(hdr, 0)
	}
	n := &node{
		format: fuzzFormats[int(hdr[0])%len(fuzzFormats)],
		length: int64(hdr[1] % 40),
		offset: int64(hdr[2] % 8),
		nulls:  int64(int8(hdr[3])) % 8,
	}
	nbuf := int(hdr[4] % 6)
	for range nbuf {
		size := 0 // one length byte, then that many bytes
		if l := take(1); len(l) == 1 {
			size = int(l[0])
		}
		b := take(size)
		if size == 255 {
			b = nil // a null pointer
		}
		n.bufs = append(n.bufs, b)
	}
	if depth < 3 && hdr[5]&1 != 0 {
		var c *node
		c, raw = fuzzNode(raw, depth+1)
		n.children = append(n.children, c)
	}
	if depth < 3 && hdr[5]&2 != 0 {
		n.dict, raw = fuzzNode(raw, depth+1)
	}
	return n, raw
}

func FuzzImport(f *testing.F) {
	le := func(xs ...uint32) []byte {
		b := make([]byte, 4*len(xs))
		for i, x := range xs {
			binary.LittleEndian.PutUint32(b[4*i:], x)
		}
		return b
	}
	// "u", 2 elements, buffers: null validity, offsets 0,1,3, data "abc".
	seed := []byte{13, 2, 0, 0, 3, 0, 255, 12}
	seed = append(seed, le(0, 1, 3)...)
	seed = append(seed, 3, 'a', 'b', 'c')
	f.Add(seed, uint8(1))
	f.Add([]byte{8, 3, 1, 0, 2, 0, 255, 32}, uint8(2))
	f.Add([]byte{19, 1, 0, 0, 1, 1, 255, 13, 2, 0, 0, 3, 0, 255, 12, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 3, 'a', 'b', 'c'}, uint8(1))
	f.Fuzz(func(t *testing.T, raw []byte, workers uint8) {
		n, _ := fuzzNode(raw, 0)
		keys, err := tryCount(n, 3, 1+int(workers%3), 1+n.length/3)
		if err == nil && int64(len(keys)) > n.length && n.dict == nil {
			t.Fatalf("%d keys from %d elements", len(keys), n.length)
		}
	})
}
