package text

import (
	"math/bits"
	"unsafe"
)

// ShortLong counts the words of s the way this Python does:
//
//	words = [w for w in text.split() if w not in ("the", "a")]
//	return sum(len(w) > 8 for w in words) / len(words)
//
// A word is a maximal run of non-whitespace code points, whitespace being
// Python's (see space.go); "the" and "a" are skipped, compared exactly.
// ShortLong returns the number of remaining words longer than 8 code points
// and the number of remaining words. The caller divides, and raises
// ValueError (ZeroDivisionError in the Python) when total is 0.
//
// It makes one pass over s and does not allocate.
func ShortLong[T Unit](s []T) (long, total int) {
	var w wordScan
	ignored := 0
	// The unit size is a constant in each instantiation. Each size gets
	// code of its own, without the overhead of generic code.
	var unit T
	p := unsafe.Pointer(unsafe.SliceData(s))
	switch unsafe.Sizeof(unit) {
	case 1:
		// Latin-1 text is classified eight bytes per word.
		b := unsafe.Slice((*byte)(p), len(s))
		for base := 0; base+64 <= len(b); base += 64 {
			e1, e3 := w.block(byteSpaceMask((*[64]byte)(b[base:])))
			ignored += skipped(s, base, e1, e3)
		}
	case 2:
		u := unsafe.Slice((*uint16)(p), len(s))
		var prev uint64
		for base := 0; base+64 <= len(u); base += 64 {
			sp, ae := spaceMask16((*[64]uint16)(u[base:]))
			ignored += wideBlock(&w, s, base, sp, ae, &prev)
		}
	case 4:
		u := unsafe.Slice((*uint32)(p), len(s))
		var prev uint64
		for base := 0; base+64 <= len(u); base += 64 {
			sp, ae := spaceMask32((*[64]uint32)(u[base:]))
			ignored += wideBlock(&w, s, base, sp, ae, &prev)
		}
	}
	// Pretend that whitespace follows the end of s, so that the last word
	// ends inside a block: fill the tail block's missing units, or add a
	// block of pure whitespace.
	base := len(s) &^ 63
	sp := spaceMask(s[base:]) | ^uint64(0)<<uint(len(s)-base)
	e1, e3 := w.block(sp)
	ignored += skipped(s, base, e1, e3)
	return w.long, w.words - ignored
}

// wordScan counts words over a sequence of 64-unit blocks, each given as a
// whitespace bit mask (bit i for unit i). It carries the previous block's
// masks because runs and words cross block boundaries; a zero wordScan acts
// as if whitespace preceded the text.
type wordScan struct {
	prevN, prevR2, prevR4, prevR9 uint64
	words, long                   int
}

// block consumes the whitespace mask sp of the next block, counting words
// and words longer than 8 units. It returns the candidates for "a" and "the":
// end1 (end3) has bit i set when unit i is whitespace and ends a word of
// exactly 1 (3) units.
func (w *wordScan) block(sp uint64) (end1, end3 uint64) {
	n := ^sp
	// nk has bit i set when unit i-k is not whitespace.
	n1 := n<<1 | w.prevN>>63
	n2 := n<<2 | w.prevN>>62
	n3 := n<<3 | w.prevN>>61
	n4 := n<<4 | w.prevN>>60
	n8 := n<<8 | w.prevN>>56

	// rk has bit i set when units i-k+1..i are all non-whitespace: a run of
	// at least k ends at i. Doubling the run length costs one shift each.
	r2 := n & n1
	r4 := r2 & (r2<<2 | w.prevR2>>62)
	r8 := r4 & (r4<<4 | w.prevR4>>60)
	r9 := r8 & n8

	// A word starts where a non-whitespace unit follows whitespace, and is
	// long where its run reaches 9 units.
	w.words += bits.OnesCount64(n &^ n1)
	w.long += bits.OnesCount64(r9 &^ (r9<<1 | w.prevR9>>63))
	w.prevN, w.prevR2, w.prevR4, w.prevR9 = n, r2, r4, r9

	end1 = sp & n1 &^ n2
	end3 = sp & n1 & n2 & n3 &^ n4
	return end1, end3
}

// wideBlock runs w.block for a block of 2- or 4-byte units and counts the
// "a" and "the" among its words. Such text is often not English, so it first
// keeps only the candidates whose last unit is 'a' or 'e' (bit i of ae is set
// when s[base+i] is); prevAE carries ae's last bit to the next block.
func wideBlock[T Unit](w *wordScan, s []T, base int, sp, ae uint64, prevAE *uint64) int {
	e1, e3 := w.block(sp)
	last := ae<<1 | *prevAE>>63
	*prevAE = ae
	if e1, e3 = e1&last, e3&last; e1|e3 == 0 {
		return 0
	}
	return skipped(s, base, e1, e3)
}

// skipped counts the words "a" and "the" among the candidates that block
// returned for the block at s[base:]. Bit i of end1 or end3 means the word
// ends at s[base+i-1], which may lie in an earlier block.
func skipped[T Unit](s []T, base int, end1, end3 uint64) int {
	n := 0
	// Short words are a minority of English words, so looping over them
	// costs less than comparing every unit. (Gathering the candidates of
	// many blocks first, to loop over them with fewer mispredicted exits,
	// measured slower.)
	for ; end1 != 0; end1 &= end1 - 1 {
		i := base + bits.TrailingZeros64(end1)
		if s[i-1] == 'a' {
			n++
		}
	}
	for ; end3 != 0; end3 &= end3 - 1 {
		i := base + bits.TrailingZeros64(end3)
		// Which 3-unit words are "the" is unpredictable: compare
		// without a branch.
		w := s[i-3 : i : i]
		n += b2i((w[0]^'t')|(w[1]^'h')|(w[2]^'e') == 0)
	}
	return n
}

// b2i converts a bool to 0 or 1; the compiler makes it a SETcc, not a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
