package cvm

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// hashSeeds are seeds whose halves exercise the seed's byte swap and the
// additions and subtractions (carries, wrap-around) of the short classes.
var hashSeeds = []uint64{0, 1, 2, 0xff, 1 << 31, 1 << 32, 1<<32 - 1, 1 << 63, 1<<64 - 1, 0x8000_0000_7fff_ffff,
	DefaultSeed, testSeed, DefaultSeed ^ strDomain, DefaultSeed ^ bytesDomain, testSeed ^ strDomain}

// TestHashSeedMatchesXXH3: every length 0..256 (each class and both sides of
// every boundary), at every offset in a buffer (unaligned reads), under
// fixed and random seeds, with random and extreme bytes.
func TestHashSeedMatchesXXH3(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 256+8)
	seeds := append([]uint64(nil), hashSeeds...)
	for range 64 {
		seeds = append(seeds, r.Uint64())
	}
	for _, fill := range []func(int) byte{
		func(int) byte { return byte(r.Uint32()) },
		func(int) byte { return 0 },
		func(int) byte { return 0xff },
		func(i int) byte { return byte(i) },
	} {
		for i := range buf {
			buf[i] = fill(i)
		}
		for n := 0; n <= 256; n++ {
			for off := range 8 {
				b := buf[off : off+n]
				for _, s := range seeds {
					if got, want := hashSeed(b, s), xxh3.HashSeed(b, s); got != want {
						t.Fatalf("hashSeed(%d bytes at offset %d, seed %#x) = %#x, xxh3.HashSeed %#x", n, off, s, got, want)
					}
				}
			}
		}
	}
}

// TestHashShortAllSmall: every input of 0 to 2 bytes, and every 3-byte
// input with a random seed each.
func TestHashShortAllSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var b [3]byte
	for v := range 1 << 24 {
		b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
		s := r.Uint64()
		n := 3
		if v < 1<<16 {
			n = v & 3 % 3 // 0, 1 and 2 bytes too
		}
		if got, want := hashSeed(b[:n], s), xxh3.HashSeed(b[:n], s); got != want {
			t.Fatalf("hashSeed(%x, seed %#x) = %#x, xxh3.HashSeed %#x", b[:n], s, got, want)
		}
	}
}

// The loads read little-endian whatever the machine, like zeebo/xxh3.
func TestLoadsLittleEndian(t *testing.T) {
	b := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}
	p := unsafe.Pointer(&b[0])
	if load32(p, 1) != binary.LittleEndian.Uint32(b[1:]) || load64(p, 1) != binary.LittleEndian.Uint64(b[1:]) ||
		load8(p, 8) != 9 {
		t.Error("loads disagree with encoding/binary")
	}
}

func FuzzHashSeed(f *testing.F) {
	for _, n := range []int{0, 1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241} {
		f.Add(make([]byte, n), uint64(n))
	}
	f.Add([]byte("w123456"), uint64(DefaultSeed^strDomain))
	f.Fuzz(func(t *testing.T, b []byte, seed uint64) {
		if len(b) > 256 {
			b = b[:256]
		}
		if got, want := hashSeed(b, seed), xxh3.HashSeed(b, seed); got != want {
			t.Fatalf("hashSeed(%x, %#x) = %#x, xxh3.HashSeed %#x", b, seed, got, want)
		}
		if got, want := KeyString(seed, b), xxh3.HashSeed(b, seed^strDomain)&^1; got != want {
			t.Fatalf("KeyString(%#x, %x) = %#x, want %#x", seed, b, got, want)
		}
		if got, want := KeyBytes(seed, b), xxh3.HashSeed(b, seed^bytesDomain)|1; got != want {
			t.Fatalf("KeyBytes(%#x, %x) = %#x, want %#x", seed, b, got, want)
		}
	})
}
