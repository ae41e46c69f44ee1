package cvm

import (
	"math/bits"
	"unsafe"

	"github.com/zeebo/xxh3"
)

// XXH3-64 of inputs of at most 16 bytes, written out from the XXH3
// specification so that column loops can key short strings without a call
// per value: the short classes are a handful of instructions, cheaper than
// the call into xxh3.HashSeed and its dispatch. It must agree bit for bit
// with github.com/zeebo/xxh3 (keys are part of the serialized format):
// xxh3_test.go compares the two on every length up to 256 under many seeds,
// and fuzzes them.

// The words of the XXH3 default secret that the short classes read,
// combined as the specification combines them: secret32(0) ^ secret32(4),
// secret64(8) ^ secret64(16), and so on (little-endian reads at those byte
// offsets).
const (
	secret0to3   = 0x396cfeb8 ^ 0xbe4ba423
	secret4to8   = 0x1cad21f72c81017c ^ 0xdb979083e96dd4de
	secret9to16a = 0x1f67b3b7a4a44072 ^ 0x78e5c0cc4ee679cb
	secret9to16b = 0x2172ffcc7dd05a82 ^ 0x8e2443f7744608b8
	secretEmpty  = 0x4c263a81e69035e0 ^ 0xcb00c391bb52283c
)

const (
	xxPrime64_2  = 0xc2b2ae3d27d4eb4f
	xxPrime64_3  = 0x165667b19e3779f9
	xxRrmxmxMul  = 0x9fb21c651e98df25
	xxAvalanche3 = 0x165667919e3779f9
)

// xxhAvalanche is XXH64's final mix, which XXH3 applies to inputs of 0 to 3
// bytes.
func xxhAvalanche(h uint64) uint64 {
	h = (h ^ h>>33) * xxPrime64_2
	h = (h ^ h>>29) * xxPrime64_3
	return h ^ h>>32
}

// hashSeed returns XXH3-64 of b with the given seed: xxh3.HashSeed(b, seed).
func hashSeed(b []byte, seed uint64) uint64 {
	p, n := unsafe.Pointer(unsafe.SliceData(b)), uint64(len(b))
	switch {
	case n > 16:
		return xxh3.HashSeed(b, seed)
	case n > 8:
		return avalanche9to16(load64(p, 0)^(secret9to16a+seed), load64(p, n-8)^(secret9to16b-seed), n)
	case n >= 4:
		s := seed ^ uint64(bits.ReverseBytes32(uint32(seed)))<<32
		return rrmxmx((uint64(load32(p, n-4))|uint64(load32(p, 0))<<32)^(secret4to8-s), n)
	case n > 0:
		return xxhAvalanche(bytes1to3(p, n) ^ (secret0to3 + seed))
	}
	return xxhAvalanche(seed ^ secretEmpty)
}

// bytes1to3 combines an input of n (1 to 3) bytes at p: its first, middle
// (at n/2) and last bytes and its length.
func bytes1to3(p unsafe.Pointer, n uint64) uint64 {
	return uint64(load8(p, 0))<<16 | uint64(load8(p, n>>1))<<24 | uint64(load8(p, n-1)) | n<<8
}

// rrmxmx is the final mix of XXH3's 4- to 8-byte class, of the keyed input
// h of n bytes.
func rrmxmx(h, n uint64) uint64 {
	h ^= bits.RotateLeft64(h, 49) ^ bits.RotateLeft64(h, 24)
	h *= xxRrmxmxMul
	h ^= h>>35 + n
	h *= xxRrmxmxMul
	return h ^ h>>28
}

// avalanche9to16 is XXH3's 9- to 16-byte class from the keyed first and
// last eight bytes lo and hi of an input of n bytes.
func avalanche9to16(lo, hi, n uint64) uint64 {
	mh, ml := bits.Mul64(lo, hi)
	h := n + bits.ReverseBytes64(lo) + hi + (mh ^ ml)
	h = (h ^ h>>37) * xxAvalanche3
	return h ^ h>>32
}

// Little-endian loads at byte offset off from p (unaligned, no bounds
// check: callers have checked the input's length).

func load8(p unsafe.Pointer, off uint64) byte { return *(*byte)(unsafe.Add(p, off)) }

func load32(p unsafe.Pointer, off uint64) uint32 {
	b := (*[4]byte)(unsafe.Add(p, off))
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func load64(p unsafe.Pointer, off uint64) uint64 {
	b := (*[8]byte)(unsafe.Add(p, off))
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
