package lzstring

import (
	"encoding/binary"
	"slices"
	"testing"
)

// The fuzz tests compare the fast code with the slow model of the reference
// in model_test.go, on every format. Seeds are small valid streams and
// garbage; `go test -fuzz FuzzDecompressBase64 -fuzztime 10s` and so on
// explore further.

func unitsOf(data []byte) []uint16 {
	u := make([]uint16, len(data)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(data[2*i:])
	}
	return u
}

func spell(values []int, chars string) []uint16 {
	u := make([]uint16, len(values))
	for i, v := range values {
		u[i] = uint16(chars[v])
	}
	return u
}

// modelFormats gives the reference's output in every format, from the model.
func modelFormats(in []uint16) (raw, utf, b64, uri []uint16, u8 []byte) {
	for _, v := range modelCompress(in, 16) {
		raw = append(raw, uint16(v))
		u8 = append(u8, byte(v>>8), byte(v))
	}
	for _, v := range modelCompress(in, 15) {
		utf = append(utf, uint16(v+32))
	}
	utf = append(utf, ' ')
	six := modelCompress(in, 6)
	b64 = spell(six, base64Alphabet)
	for len(b64)%4 != 0 {
		b64 = append(b64, '=')
	}
	uri = spell(six, uriAlphabet)
	return
}

func checkRoundTrip[T Unit](t *testing.T, in []T) {
	t.Helper()
	in16 := make([]uint16, len(in))
	for i, u := range in {
		in16[i] = uint16(u)
	}
	raw, utf, b64, uri, u8 := modelFormats(in16)
	check := func(what string, got, want []uint16) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Fatalf("%s(%s):\n got %s\nwant %s", what, show(in16), show(got), show(want))
		}
	}
	gotRaw := Compress(nil, in)
	check("Compress", gotRaw, raw)
	gotUTF := CompressUTF16(nil, in)
	check("CompressUTF16", gotUTF, utf)
	gotB64 := CompressBase64(nil, in)
	check("CompressBase64", asBytes(gotB64), b64)
	gotURI := CompressURI(nil, in)
	check("CompressURI", asBytes(gotURI), uri)
	gotU8 := CompressUint8Array(nil, in)
	check("CompressUint8Array", asBytes(gotU8), asBytes(u8))

	n := len(in)
	for what, f := range map[string]func() ([]uint16, error){
		"Decompress":           func() ([]uint16, error) { return Decompress(nil, gotRaw, n) },
		"DecompressUTF16":      func() ([]uint16, error) { return DecompressUTF16(nil, gotUTF, n) },
		"DecompressBase64":     func() ([]uint16, error) { return DecompressBase64(nil, gotB64, n) },
		"DecompressURI":        func() ([]uint16, error) { return DecompressURI(nil, gotURI, n) },
		"DecompressUint8Array": func() ([]uint16, error) { return DecompressUint8Array(nil, gotU8, n) },
	} {
		got, err := f()
		if err != nil {
			t.Fatalf("%s(compressed %s): %v", what, show(in16), err)
		}
		check(what, got, in16)
	}
}

func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "ab", "aaaaaaa", "__proto__", "hello, world", "\x00\xff\x01\x00"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Add([]byte("\xd8\x00\xdc\x00\xd8\x3d\xde\x00\x00a\x00b\x00a\x00b"), true)
	f.Fuzz(func(t *testing.T, data []byte, wide bool) {
		if len(data) > 1<<12 {
			data = data[:1<<12]
		}
		if wide {
			checkRoundTrip(t, unitsOf(data))
		} else {
			checkRoundTrip(t, data)
		}
	})
}

// fuzzMax bounds the fast decoder's output in the fuzz tests.
const fuzzMax = 1 << 12

// checkDecompress holds a decompressor's answer to the model's, with maxLength
// fuzzMax and unbounded.
func checkDecompress(t *testing.T, what string, src []uint16, want modelResult, run func(maxLength int) ([]uint16, error)) {
	t.Helper()
	for _, maxLength := range []int{fuzzMax, -1} {
		got, err := run(maxLength)
		switch {
		case want.bad || want.first3:
			if err != ErrCorrupt {
				t.Fatalf("%s(%s, %d) = %s, %v; want ErrCorrupt (model %+v)", what, show(src), maxLength, show(got), err, want)
			}
		case maxLength >= 0 && len(want.s) > maxLength:
			if err != ErrTooLong {
				t.Fatalf("%s(%s, %d) = %d units, %v; want ErrTooLong", what, show(src), maxLength, len(got), err)
			}
		case err != nil || !slices.Equal(got, want.s):
			t.Fatalf("%s(%s, %d) = %s, %v; want %s", what, show(src), maxLength, show(got), err, show(want.s))
		}
	}
}

// garbage limits a fuzz input, to keep the model fast: a few hundred codes
// can still ask for a long output, as chained back-references grow
// quadratically.
func garbage(data []byte) []byte {
	if len(data) > 512 {
		return data[:512]
	}
	return data
}

func addDecompressSeeds(f *testing.F, spellIt func(string) []byte) {
	for _, s := range []string{"", "a", "hello hello hello", "__proto__"} {
		f.Add(spellIt(s))
	}
	for _, s := range []string{"", "\x00", "\xff\xff", "\xc0\x00", "\x40\x00", "AAAA", "wVtugdk0s", "garbage!", "\x00\x00\x00\x00\x00\x00"} {
		f.Add([]byte(s))
	}
}

func FuzzDecompressRaw(f *testing.F) {
	addDecompressSeeds(f, func(s string) []byte { return CompressUint8Array(nil, []byte(s)) })
	for _, ending := range []int{bombEnd, bombTruncated, bombCorrupt} {
		src, _ := bomb(200, ending)
		f.Add(unitBytes(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := unitsOf(garbage(data))
		checkDecompress(t, "Decompress", src, modelDecompressRaw(src), func(m int) ([]uint16, error) { return Decompress(nil, src, m) })
	})
}

func FuzzDecompressUint8Array(f *testing.F) {
	addDecompressSeeds(f, func(s string) []byte { return CompressUint8Array(nil, []byte(s)) })
	f.Fuzz(func(t *testing.T, data []byte) {
		data = garbage(data)
		checkDecompress(t, "DecompressUint8Array", asBytes(data), modelDecompressUint8Array(data), func(m int) ([]uint16, error) { return DecompressUint8Array(nil, data, m) })
	})
}

func FuzzDecompressUTF16(f *testing.F) {
	addDecompressSeeds(f, func(s string) []byte { return unitBytes(CompressUTF16(nil, []byte(s))) })
	f.Fuzz(func(t *testing.T, data []byte) {
		src := unitsOf(garbage(data))
		checkDecompress(t, "DecompressUTF16", src, modelDecompressUTF16(src), func(m int) ([]uint16, error) { return DecompressUTF16(nil, src, m) })
		// Latin-1 input reads the same as its units.
		src8 := garbage(data)
		checkDecompress(t, "DecompressUTF16[byte]", asBytes(src8), modelDecompressUTF16(asBytes(src8)), func(m int) ([]uint16, error) { return DecompressUTF16(nil, src8, m) })
	})
}

func fuzz6(f *testing.F, name string, compress func([]byte, []byte) []byte, decompress8 func([]uint16, []byte, int) ([]uint16, error), decompress16 func([]uint16, []uint16, int) ([]uint16, error), alphabet string, uri bool) {
	addDecompressSeeds(f, func(s string) []byte { return compress(nil, []byte(s)) })
	f.Fuzz(func(t *testing.T, data []byte) {
		data = garbage(data)
		src := asBytes(data)
		want := modelDecompress6(src, alphabet, uri)
		checkDecompress(t, name, src, want, func(m int) ([]uint16, error) { return decompress8(nil, data, m) })
		checkDecompress(t, name+"[uint16]", src, want, func(m int) ([]uint16, error) { return decompress16(nil, src, m) })
		// Units outside Latin-1 are outside the alphabet too.
		wide := unitsOf(data)
		checkDecompress(t, name+"[wide]", wide, modelDecompress6(wide, alphabet, uri), func(m int) ([]uint16, error) { return decompress16(nil, wide, m) })
	})
}

func FuzzDecompressBase64(f *testing.F) {
	fuzz6(f, "DecompressBase64", CompressBase64[byte], DecompressBase64[byte], DecompressBase64[uint16], base64Alphabet, false)
}

func FuzzDecompressURI(f *testing.F) {
	fuzz6(f, "DecompressURI", CompressURI[byte], DecompressURI[byte], DecompressURI[uint16], uriAlphabet, true)
}
