package cvm

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf16"
)

func TestEncodeRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 500, 50000} {
		c := New(1000, testSeed)
		c.AddKeys(intKeys(testSeed, randomVals(uint64(n), n, n)))
		b := c.AppendBinary(nil, 0.5, 0.001)
		if len(b) != c.EncodedSize() || len(b) != 48+8*c.Len() {
			t.Fatalf("%d bytes for %d keys", len(b), c.Len())
		}
		d, eps, delta, err := Decode(b)
		if err != nil || eps != 0.5 || delta != 0.001 || !sameState(c, d) || d.Seed() != c.Seed() {
			t.Fatalf("round trip: %v", err)
		}
		if !bytes.Equal(d.AppendBinary(nil, eps, delta), b) {
			t.Fatal("re-encoding differs")
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	c := New(100, testSeed)
	c.AddKeys(intKeys(testSeed, randomVals(1, 1000, 1000)))
	b := c.AppendBinary(nil, 0.5, 0.001)
	for n := range len(b) {
		if _, _, _, err := Decode(b[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	for i := range b {
		bad := bytes.Clone(b)
		bad[i] ^= 0x10
		if _, _, _, err := Decode(bad); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
}

// FuzzDecode: no input makes Decode panic, and what it accepts it writes
// back byte for byte.
func FuzzDecode(f *testing.F) {
	c := New(10, 1)
	c.AddKeys(intKeys(1, randomVals(1, 100, 100)))
	f.Add(c.AppendBinary(nil, 0.5, 0.1))
	f.Add([]byte("GKCV"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, eps, delta, err := Decode(data)
		if err != nil {
			return
		}
		if !bytes.Equal(d.AppendBinary(nil, eps, delta), data) {
			t.Fatal("accepted bytes that do not re-encode to themselves")
		}
	})
}

func TestKeyStringUCS(t *testing.T) {
	var buf []byte
	for _, s := range []string{"", "abc", "caf\u00e9", "\u20ac\u4e2d", "\U0001f600x"} {
		r := []rune(s)
		want := KeyString(testSeed, []byte(s))
		u4 := make([]byte, 0)
		for _, c := range r {
			u4 = append(u4, byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
		}
		if got := KeyStringUCS(testSeed, 4, u4, &buf); got != want {
			t.Errorf("%q as UCS-4: %#x, want %#x", s, got, want)
		}
		hi := rune(0)
		for _, c := range r {
			hi = max2(hi, c)
		}
		if hi < 0x10000 {
			u2 := make([]byte, 0)
			for _, c := range utf16.Encode(r) {
				u2 = append(u2, byte(c), byte(c>>8))
			}
			if got := KeyStringUCS(testSeed, 2, u2, &buf); got != want {
				t.Errorf("%q as UCS-2: %#x, want %#x", s, got, want)
			}
		}
		if hi < 0x100 {
			u1 := make([]byte, 0)
			for _, c := range r {
				u1 = append(u1, byte(c))
			}
			if got := KeyStringUCS(testSeed, 1, u1, &buf); got != want {
				t.Errorf("%q as Latin-1: %#x, want %#x", s, got, want)
			}
		}
	}
	// A lone surrogate is encoded as its 3-byte sequence (surrogatepass).
	if got, want := KeyStringUCS(testSeed, 2, []byte{0x00, 0xd8}, &buf), KeyString(testSeed, []byte{0xed, 0xa0, 0x80}); got != want {
		t.Errorf("lone surrogate: %#x, want %#x", got, want)
	}
}

func max2(a, b rune) rune {
	if a > b {
		return a
	}
	return b
}
