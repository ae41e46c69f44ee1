package lzstring

import "slices"

// A slow model of the reference, written from its source for the tests: one
// bit at a time, phrases as strings, the dictionary a map. The fuzz tests hold
// the fast code to it, so that the golden files are not the only judge.

// modelCompress is the reference's _compress, returning the output units'
// values (bpc bits each) before any alphabet is applied.
func modelCompress(src []uint16, bpc int) []int {
	dict := map[string]int{}
	toCreate := map[string]bool{}
	var out []int
	val, position := 0, 0
	putBit := func(b int) {
		val = val<<1 | b
		if position == bpc-1 {
			position = 0
			out = append(out, val)
			val = 0
		} else {
			position++
		}
	}
	put := func(v, n int) {
		for range n {
			putBit(v & 1)
			v >>= 1
		}
	}
	enlargeIn, dictSize, numBits := 2, 3, 2
	tick := func() {
		enlargeIn--
		if enlargeIn == 0 {
			enlargeIn = 1 << numBits
			numBits++
		}
	}
	emit := func(w string) {
		if toCreate[w] {
			u := utf16At(w, 0)
			if u < 256 {
				put(0, numBits)
				put(int(u), 8)
			} else {
				put(1, numBits)
				put(int(u), 16)
			}
			tick()
			delete(toCreate, w)
		} else {
			put(dict[w], numBits)
		}
		tick()
	}
	w := ""
	for _, u := range src {
		c := unitString(u)
		if _, ok := dict[c]; !ok {
			dict[c] = dictSize
			dictSize++
			toCreate[c] = true
		}
		wc := w + c
		if _, ok := dict[wc]; ok {
			w = wc
			continue
		}
		emit(w)
		// A JavaScript object ignores an assignment to "__proto__".
		if wc != "\x00_\x00_\x00p\x00r\x00o\x00t\x00o\x00_\x00_" {
			dict[wc] = dictSize
		}
		dictSize++
		w = c
	}
	if w != "" {
		emit(w)
	}
	put(2, numBits)
	for {
		val <<= 1
		if position == bpc-1 {
			out = append(out, val)
			break
		}
		position++
	}
	return out
}

// Phrases are kept as strings of big-endian unit pairs.
func unitString(u uint16) string { return string([]byte{byte(u >> 8), byte(u)}) }
func utf16At(s string, i int) uint16 {
	return uint16(s[2*i])<<8 | uint16(s[2*i+1])
}

// modelResult is what the reference answers: a string, null or an
// exception (bad), or a string it built after reading the undefined entry 3
// (first3).
type modelResult struct {
	s      []uint16
	bad    bool
	first3 bool
}

// modelDecompress is the reference's _decompress.
func modelDecompress(length, resetValue int, next func(i int) int) modelResult {
	dict := map[int][]uint16{}
	enlargeIn, dictSize, numBits := 4, 4, 3
	val, position, index := next(0), resetValue, 1
	readBits := func(n int) int {
		bits := 0
		for i := range n {
			resb := val & position
			position >>= 1
			if position == 0 {
				position = resetValue
				val = next(index)
				index++
			}
			if resb > 0 {
				bits |= 1 << i
			}
		}
		return bits
	}
	var c []uint16
	switch readBits(2) {
	case 0:
		c = []uint16{uint16(readBits(8))}
	case 1:
		c = []uint16{uint16(readBits(16))}
	case 2:
		return modelResult{s: []uint16{}}
	case 3:
		return modelResult{first3: true}
	}
	dict[3] = c
	w := c
	result := slices.Clone(c)
	for {
		if index > length {
			return modelResult{s: []uint16{}}
		}
		code := readBits(numBits)
		switch code {
		case 0, 1:
			dict[dictSize] = []uint16{uint16(readBits(8 << code))}
			dictSize++
			code = dictSize - 1
			enlargeIn--
		case 2:
			return modelResult{s: result}
		}
		if enlargeIn == 0 {
			enlargeIn = 1 << numBits
			numBits++
		}
		var entry []uint16
		if e, ok := dict[code]; ok {
			entry = e
		} else if code == dictSize {
			entry = append(slices.Clone(w), w[0])
		} else {
			return modelResult{bad: true}
		}
		result = append(result, entry...)
		dict[dictSize] = append(slices.Clone(w), entry[0])
		dictSize++
		enlargeIn--
		w = entry
		if enlargeIn == 0 {
			enlargeIn = 1 << numBits
			numBits++
		}
	}
}

// The reference's getNextValue for each format, over units (or bytes).
func modelDecompressRaw(src []uint16) modelResult {
	if len(src) == 0 {
		return modelResult{bad: true}
	}
	return modelDecompress(len(src), 1<<15, func(i int) int {
		if i >= len(src) {
			return 0 // NaN & x is 0
		}
		return int(src[i])
	})
}

func modelDecompressUTF16(src []uint16) modelResult {
	if len(src) == 0 {
		return modelResult{bad: true}
	}
	return modelDecompress(len(src), 1<<14, func(i int) int {
		if i >= len(src) {
			return 0
		}
		return int(src[i]) - 32 // negative below 32, as in JavaScript
	})
}

func modelDecompress6(src []uint16, alphabet string, uri bool) modelResult {
	if len(src) == 0 {
		return modelResult{bad: true}
	}
	return modelDecompress(len(src), 32, func(i int) int {
		if i >= len(src) {
			return 0 // undefined & x is 0
		}
		u := src[i]
		if uri && u == ' ' {
			u = '+'
		}
		for v := range len(alphabet) {
			if uint16(alphabet[v]) == u {
				return v
			}
		}
		return 0
	})
}

func modelDecompressUint8Array(src []byte) modelResult {
	if len(src)%2 != 0 {
		return modelResult{bad: true} // RangeError
	}
	u := make([]uint16, len(src)/2)
	for i := range u {
		u[i] = uint16(src[2*i])<<8 | uint16(src[2*i+1])
	}
	return modelDecompressRaw(u)
}
