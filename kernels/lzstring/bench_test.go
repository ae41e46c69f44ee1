package lzstring

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// Benchmark inputs: English-like text (common words, Zipf-ish, with
// punctuation and line breaks) and random uppercase letters and digits. Both
// are ASCII, as []byte, the way a Latin-1 string arrives.

var vocabulary = strings.Fields(`the of and to a in is it that was for on are with as
he be at by this had not but from or have an they which one you were all her she
there would their we him been has when who will no more if out so up said what its
about than into them can only other time new some could these two may first then do
any like my now over such our man me even most made after also did many before must
through back years where much your way well down should because each just those
people how too little state good very make world still see own men work long here
get both between life being under never day same another know while last might us
great old year off come since go against came right used take three house small
water words number found place again where home read hand large spell add land must
big high such follow act why ask change went light kind need picture try animal
point mother near build self earth father head stand page country answer school grow
study learn plant cover food sun four thought let keep eye never city tree cross
farm hard start story saw far sea draw left late run while press close night real`)

func benchText(n int) []byte {
	r := rng.New(1)
	var b []byte
	for sentence := 0; len(b) < n; sentence++ {
		words := 5 + int(r.Below(15))
		for i := range words {
			// Squaring a uniform variate favours the first words.
			x := r.Below(1 << 16)
			w := vocabulary[x*x*uint64(len(vocabulary))>>32]
			if i == 0 {
				b = append(b, w[0]-'a'+'A')
				b = append(b, w[1:]...)
			} else {
				b = append(b, ' ')
				b = append(b, w...)
			}
			if i < words-1 && r.Below(10) == 0 {
				b = append(b, ',')
			}
		}
		b = append(b, '.')
		if r.Below(6) == 0 {
			b = append(b, '\n')
		} else {
			b = append(b, ' ')
		}
	}
	return b[:n]
}

func benchUpper(n int) []byte {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	r := rng.New(2)
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Below(uint64(len(chars)))]
	}
	return b
}

var benchInputs = []struct {
	name string
	make func(int) []byte
}{{"text", benchText}, {"upper", benchUpper}}

var benchSizes = []struct {
	name string
	n    int
}{{"1K", 1 << 10}, {"64K", 64 << 10}, {"1M", 1 << 20}}

func forEachInput(b *testing.B, f func(b *testing.B, in []byte)) {
	for _, kind := range benchInputs {
		for _, size := range benchSizes {
			in := kind.make(size.n)
			b.Run(kind.name+"-"+size.name, func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				f(b, in)
			})
		}
	}
}

func BenchmarkCompress(b *testing.B) {
	forEachInput(b, func(b *testing.B, in []byte) {
		var dst []uint16
		for b.Loop() {
			dst = Compress(dst[:0], in)
		}
	})
}

func BenchmarkCompressBase64(b *testing.B) {
	forEachInput(b, func(b *testing.B, in []byte) {
		var dst []byte
		for b.Loop() {
			dst = CompressBase64(dst[:0], in)
		}
	})
}

// BenchmarkCompressBase64Wide is CompressBase64 on UTF-16 units.
func BenchmarkCompressBase64Wide(b *testing.B) {
	in := asBytes(benchText(1 << 20))
	b.SetBytes(int64(len(in)))
	var dst []byte
	for b.Loop() {
		dst = CompressBase64(dst[:0], in)
	}
}

func BenchmarkDecompress(b *testing.B) {
	forEachInput(b, func(b *testing.B, in []byte) {
		src := Compress(nil, in)
		var dst []uint16
		for b.Loop() {
			var err error
			if dst, err = Decompress(dst[:0], src, len(in)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecompressBase64(b *testing.B) {
	forEachInput(b, func(b *testing.B, in []byte) {
		src := CompressBase64(nil, in)
		var dst []uint16
		for b.Loop() {
			var err error
			if dst, err = DecompressBase64(dst[:0], src, len(in)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecompressBase64Fresh allocates its output every time, as a
// caller without a buffer to reuse does.
func BenchmarkDecompressBase64Fresh(b *testing.B) {
	in := benchText(1 << 20)
	src := CompressBase64(nil, in)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := DecompressBase64(nil, src, -1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompressLongRun is ten million equal units: one long chain of
// phrases.
func BenchmarkCompressLongRun(b *testing.B) {
	in := []byte(strings.Repeat("a", 10_000_000))
	b.SetBytes(int64(len(in)))
	var dst []byte
	for b.Loop() {
		dst = CompressBase64(dst[:0], in)
	}
}

// TestWriteBenchInputs writes the 1M benchmark inputs to the directory named
// by $LZSTRING_BENCH_DIR, for tools/lzref/bench.js to time the reference on
// the same text.
func TestWriteBenchInputs(t *testing.T) {
	dir := os.Getenv("LZSTRING_BENCH_DIR")
	if dir == "" {
		t.Skip("LZSTRING_BENCH_DIR not set")
	}
	for _, kind := range benchInputs {
		name := filepath.Join(dir, fmt.Sprintf("%s-1M.txt", kind.name))
		if err := os.WriteFile(name, kind.make(1<<20), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("wrote", name)
	}
}

// benchLetters is n random ASCII letters, the input of issue 11's size sweep:
// nearly every unit extends a phrase seen once, so the dictionary grows with
// the input and each lookup misses the cache.
func benchLetters(n int) []byte {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	r := rng.New(3)
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Below(uint64(len(chars)))]
	}
	return b
}

// BenchmarkCompressSize sweeps the input size on random letters: the time
// per unit (ns/op divided by the size, or MB/s) should not grow much with
// the size. LZSTRING_BENCH_BIG=1 adds 64M units.
func BenchmarkCompressSize(b *testing.B) {
	sizes := []int{1 << 20, 16 << 20}
	if os.Getenv("LZSTRING_BENCH_BIG") != "" {
		sizes = append(sizes, 64<<20)
	}
	for _, n := range sizes {
		in := benchLetters(n)
		for _, huge := range []bool{true, false} {
			name := fmt.Sprintf("%dM", n>>20)
			if !huge {
				name += "-smallpages"
			}
			b.Run(name, func(b *testing.B) {
				defer func(h bool) { hugePages = h }(hugePages)
				hugePages = huge
				b.SetBytes(int64(n))
				var dst []uint16
				for b.Loop() {
					dst = Compress(dst[:0], in)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/unit")
			})
		}
	}
}

// BenchmarkMemoryLatency chases pointers through a random cycle over a table
// of the size CompressSize's dictionary reaches (8 bytes a slot, mapped as
// the compressor maps its tables): ns/op is one dependent random load, the
// floor under the compressor's time per unit, which makes one such lookup
// per unit. LZSTRING_BENCH_BIG=1 adds the 64M-unit table.
func BenchmarkMemoryLatency(b *testing.B) {
	sizes := []int{1 << 20, 8 << 20} // slots of the 1M and 16M tables
	if os.Getenv("LZSTRING_BENCH_BIG") != "" {
		sizes = append(sizes, 32<<20)
	}
	for _, slots := range sizes {
		for _, huge := range []bool{true, false} {
			name := fmt.Sprintf("%dMiB", slots*8>>20)
			if !huge {
				name += "-smallpages"
			}
			b.Run(name, func(b *testing.B) {
				defer func(h bool) { hugePages = h }(hugePages)
				hugePages = huge
				var t phraseTable
				if !t.alloc(bitsOf(slots), false) {
					b.Skip("no memory")
				}
				defer t.release()
				// A random cyclic permutation (Sattolo's algorithm).
				next := t.slots
				for i := range next {
					next[i] = uint64(i)
				}
				r := rng.New(9)
				for i := len(next) - 1; i > 0; i-- {
					j := r.Below(uint64(i))
					next[i], next[j] = next[j], next[i]
				}
				p := uint64(0)
				b.ResetTimer()
				for range b.N {
					p = next[p]
				}
				sink = p
			})
		}
	}
}

var sink uint64

func bitsOf(n int) int {
	b := 0
	for 1<<b < n {
		b++
	}
	return b
}

// BenchmarkCompressBase64Parallel is CompressBase64 of 1M text on every
// goroutine RunParallel starts: with -cpu 1,2 its ns/op halves when the
// kernel scales to two cores (issue 13's thread goal, without Python).
func BenchmarkCompressBase64Parallel(b *testing.B) {
	in := benchText(1 << 20)
	b.SetBytes(int64(len(in)))
	b.RunParallel(func(pb *testing.PB) {
		var dst []byte
		for pb.Next() {
			dst = CompressBase64(dst[:0], in)
		}
	})
}
