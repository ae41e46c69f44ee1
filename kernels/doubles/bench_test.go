package doubles

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// letters is the articles' input: uniformly random ASCII letters.
func letters(n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}

var sizes = []int{16, 1 << 10, 1 << 16, 1 << 20, 1 << 24}

func benchWidth[T Unit](b *testing.B, f func([]T) int) {
	for _, n := range sizes {
		src := letters(n)
		s := make([]T, n)
		for i, c := range src {
			s[i] = T(c)
		}
		var zero T
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(n) * int64(sizeOf(zero)))
			for b.Loop() {
				f(s)
			}
		})
	}
}

func sizeOf[T Unit](T) int {
	var z T
	switch any(z).(type) {
	case uint8:
		return 1
	case uint16:
		return 2
	}
	return 4
}

func BenchmarkCount8(b *testing.B)  { benchWidth(b, Count[uint8]) }
func BenchmarkCount16(b *testing.B) { benchWidth(b, Count[uint16]) }
func BenchmarkCount32(b *testing.B) { benchWidth(b, Count[uint32]) }
func BenchmarkSWAR8(b *testing.B)   { benchWidth(b, count8SWAR) }
func BenchmarkScalar8(b *testing.B) { benchWidth(b, countScalar[uint8]) }
func BenchmarkParallel8(b *testing.B) {
	benchWidth(b, func(s []uint8) int { return CountParallel(s, 0) })
}

// BenchmarkCopy is the memory-speed baseline the issue compares against.
func BenchmarkCopy(b *testing.B) {
	for _, n := range sizes {
		src := letters(n)
		dst := make([]byte, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				copy(dst, src)
			}
		})
	}
}
