package lzstring

import "github.com/gokernels/gokernels/kernels/internal/pool"

// Text as code points and as UTF-16 units. A caller that holds text as code
// points (a Python str of 4-byte kind) converts it to the UTF-16 units the
// codec works in, and turns the codec's UTF-16 output back into code points
// of the narrowest width that holds them (what a canonical Python str
// stores: 1 byte when every code point is below 256, 2 when none is beyond
// the BMP, else 4).

// AppendUTF16 appends the UTF-16 units of the code points cps to dst[:0],
// splitting each code point beyond the BMP into a surrogate pair. A lone
// surrogate code point stays one unit, as JavaScript holds it.
func AppendUTF16(dst []uint16, cps []uint32) []uint16 {
	dst = dst[:0]
	for _, c := range cps {
		if c >= 0x10000 {
			c -= 0x10000
			dst = append(dst, uint16(0xD800+c>>10), uint16(0xDC00+c&0x3FF))
		} else {
			dst = append(dst, uint16(c))
		}
	}
	return dst
}

// Narrow reports how units read as code points, each valid surrogate pair
// joined (a lone surrogate stays a code point, as Python's 'surrogatepass'
// keeps it): the narrowest width that holds them (1, 2 or 4 bytes), how
// many code points there are, and for widths 1 and 2 the largest (for
// width 4 JoinPairs returns it, having joined the pairs).
func Narrow(units []uint16) (width, n int, maxchar uint32) {
	pairs, top := 0, uint16(0)
	// A low surrogate never starts a pair, so no unit is skipped.
	for i, u := range units {
		top = max(top, u)
		if u&0xFC00 == 0xD800 && i+1 < len(units) && units[i+1]&0xFC00 == 0xDC00 {
			pairs++
		}
	}
	if pairs > 0 {
		return 4, len(units) - pairs, 0
	}
	if top < 0x100 {
		return 1, len(units), uint32(top)
	}
	return 2, len(units), uint32(top)
}

// NarrowTo1 stores units, all below 256 (Narrow gave width 1), as bytes in
// dst[:len(units)]. dst may be the units' own memory: byte i lies at or
// before unit i, so the copy runs front to back in place.
func NarrowTo1(dst []uint8, units []uint16) {
	dst = dst[:len(units)]
	for i, u := range units {
		dst[i] = uint8(u)
	}
}

// JoinPairs stores the code points of units in dst (its length the n of
// Narrow), joining each valid surrogate pair, and returns the largest.
func JoinPairs(dst []uint32, units []uint16) (maxchar uint32) {
	j := 0
	for i := 0; i < len(units); i++ {
		c := uint32(units[i])
		if c&0xFC00 == 0xD800 && i+1 < len(units) && units[i+1]&0xFC00 == 0xDC00 {
			c = 0x10000 + (c-0xD800)<<10 + uint32(units[i+1]-0xDC00)
			i++
		}
		dst[j] = c
		maxchar = max(maxchar, c)
		j++
	}
	return maxchar
}

// ForEach calls f(w, i) once for every item i in [0, n) of a batch, on the
// calling goroutine and up to workers-1 helpers (workers <= 0: GOMAXPROCS),
// w in [0, workers) naming the goroutine, so f can keep scratch buffers per
// goroutine; it returns when every call has returned. It is the worker pool
// every parallel kernel shares (internal/pool).
func ForEach(n, workers int, f func(w, i int)) { pool.Run(n, workers, f) }
