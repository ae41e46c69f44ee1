package text

import (
	"math/bits"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// RandomString fills dst with code points drawn uniformly and independently
// from alphabet, distributed as "".join(random.choice(alphabet) for _ in dst)
// (the values differ: the generator is not Python's). Each position of
// alphabet is equally likely, so a repeated code point is drawn
// proportionally more often. The same seed gives the same output, and the
// output for a shorter dst is a prefix of that for a longer one.
//
// The output has alphabet's storage kind, but may be narrowable (a caller
// building a Python str lets PyUnicode_FromKindAndData narrow it). RandomString panics if dst is not empty and alphabet is.
func RandomString[T Unit](dst, alphabet []T, seed uint64) {
	RandomStringStop(dst, alphabet, seed, nil)
}

// stopEvery is how many units RandomStringStop fills between polls of stop:
// well under a millisecond of work.
const stopEvery = 1 << 16

// RandomStringStop is RandomString for long calls that may be abandoned:
// unless stop is nil, it polls stop every 64K units, and once that returns
// true it returns false, leaving the rest of dst unspecified. The units it
// fills are those RandomString fills.
func RandomStringStop[T Unit](dst, alphabet []T, seed uint64, stop func() bool) bool {
	if len(dst) == 0 {
		return true
	}
	if len(alphabet) == 0 {
		panic("text: RandomString from an empty alphabet")
	}
	r := rng.New(seed)
	n := uint64(len(alphabet))
	var fill func(dst []T)
	// A chunk is a whole number of the generator's draws (a draw fills up
	// to 64 units), so chunking does not change the output.
	chunk := stopEvery
	switch {
	case n == 1:
		fill = func(dst []T) {
			for i := range dst {
				dst[i] = alphabet[0]
			}
		}
	case n&(n-1) == 0:
		per := 64 / bits.TrailingZeros64(n)
		chunk -= chunk % per
		fill = func(dst []T) { randomPow2(dst, alphabet, &r) }
	default:
		k, _ := batchSize(n)
		chunk -= chunk % k
		fill = func(dst []T) { randomBatched(dst, alphabet, &r) }
	}
	for len(dst) > 0 {
		if stop != nil && stop() {
			return false
		}
		m := min(chunk, len(dst))
		fill(dst[:m])
		dst = dst[m:]
	}
	return true
}

// randomPow2 serves an alphabet of 2^k letters by cutting each random word
// into 64/k fields of k bits, which are exactly uniform.
func randomPow2[T Unit](dst, alphabet []T, rp *rng.Rand) {
	r := *rp // a local generator stays in registers
	defer func() { *rp = r }()
	// k < 64 is known, but k&63 tells the compiler too.
	k := uint(bits.TrailingZeros64(uint64(len(alphabet)))) & 63
	mask := uint64(len(alphabet) - 1)
	per := int(64 / k)
	for len(dst) > 0 {
		x := r.Uint64()
		m := min(per, len(dst))
		for i := range dst[:m] {
			dst[i] = alphabet[x&mask]
			x >>= k
		}
		dst = dst[m:]
	}
}

// randomBatched serves any alphabet size n by drawing k indices from each
// random word, with Lemire's multiply-and-reject method applied to the bound
// P = n^k (Brackett-Rozinsky and Lemire, "Batched Ranged Random Integer
// Generation", 2024). Multiplying the word by n k times, keeping each high
// half as an index and going on with the low half, computes the k base-n
// digits of floor(x*P / 2^64); the final low half is x*P mod 2^64, and
// rejecting it below 2^64 mod P makes the digits exactly uniform and
// independent, as in Lemire's single draw.
func randomBatched[T Unit](dst, alphabet []T, rp *rng.Rand) {
	r := *rp
	defer func() { *rp = r }()
	n := uint64(len(alphabet))
	k, reject := batchSize(n)
	for len(dst) > 0 {
		m := min(k, len(dst))
		x := r.Uint64()
		var hi uint64
		for i := range dst[:m] {
			hi, x = bits.Mul64(x, n)
			dst[i] = alphabet[hi]
		}
		// Digits past the end of dst still decide the rejection.
		for range k - m {
			_, x = bits.Mul64(x, n)
		}
		if x < reject {
			continue // redraw the whole batch
		}
		dst = dst[m:]
	}
}

// batchSize returns the number k of indices below n to draw from one random
// word, and the rejection threshold 2^64 mod n^k. A larger k makes fewer
// calls to the generator but, as n^k nears 2^64, rejects more words, so k
// maximizes the expected number of indices kept per word.
func batchSize(n uint64) (k int, reject uint64) {
	best := 0.0
	for p, j := n, 1; ; j++ {
		t := -p % p // 2^64 mod p
		if kept := float64(j) * (1 - float64(t)/(1<<64)); kept > best {
			best, k, reject = kept, j, t
		}
		hi, lo := bits.Mul64(p, n)
		if hi != 0 {
			return k, reject
		}
		p = lo
	}
}
