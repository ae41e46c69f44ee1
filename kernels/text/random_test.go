package text

import (
	"math"
	"slices"
	"testing"
)

// alphabets of every unit type, with a repeat, a power-of-two size, sizes
// 1 and 2, and a lone surrogate.
var (
	alpha8  = []uint8("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
	alpha16 = []uint16{'a', 'b', 0x3000, 0xd800, 0xffff, 'b'}
	alpha32 = []uint32{0x10ffff, 0x1f600, 'x', 0xe9, 0x4e00, 0x10000, 0xdc00, '0'}
)

func TestRandomStringRepeatable(t *testing.T) {
	a := make([]uint8, 1000)
	b := make([]uint8, 1000)
	RandomString(a, alpha8, 7)
	RandomString(b, alpha8, 7)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different output")
	}
	RandomString(b, alpha8, 8)
	if slices.Equal(a, b) {
		t.Fatal("different seeds, same output")
	}
	// A shorter output is a prefix of a longer one, whatever the batch size.
	for _, n := range []int{0, 1, 9, 10, 11, 999} {
		c := make([]uint8, n)
		RandomString(c, alpha8, 7)
		if !slices.Equal(c, a[:n]) {
			t.Errorf("length %d is not a prefix of length 1000", n)
		}
	}
}

// checkUniform draws n units and checks that only alphabet units appear and
// that each position of alphabet is drawn about equally often: Pearson's
// chi-square statistic must stay below a bound that a correct generator
// exceeds with probability about 1e-6 (fixed seed, so the test is stable).
func checkUniform[T Unit](t *testing.T, alphabet []T, n int, seed uint64) {
	t.Helper()
	dst := make([]T, n)
	RandomString(dst, alphabet, seed)
	// Positions holding the same code point share its count.
	weight := map[T]int{}
	for _, c := range alphabet {
		weight[c]++
	}
	count := map[T]int{}
	for i, c := range dst {
		if weight[c] == 0 {
			t.Fatalf("dst[%d] = %#x is not in the alphabet", i, c)
		}
		count[c]++
	}
	var obs, want []float64
	for c, w := range weight {
		obs = append(obs, float64(count[c]))
		want = append(want, float64(n)*float64(w)/float64(len(alphabet)))
	}
	if chi2, bound := chiSquare(obs, want); chi2 > bound {
		t.Errorf("alphabet of %d: chi-square %.1f exceeds %.1f", len(alphabet), chi2, bound)
	}
}

// chiSquare returns Pearson's statistic for observed against expected counts,
// and a bound that it exceeds with probability below about 1e-6: for d
// degrees of freedom, d + 7*sqrt(2d) + 25 lies beyond that tail for the
// sizes used here.
func chiSquare(obs, want []float64) (chi2, bound float64) {
	for i := range obs {
		d := obs[i] - want[i]
		chi2 += d * d / want[i]
	}
	df := float64(len(obs) - 1)
	return chi2, df + 7*math.Sqrt(2*df) + 25
}

// TestRandomStringIndependent checks the joint distribution of neighbouring
// units, and of each unit's place within a batch, for alphabets drawn in
// batches of 38 (3 letters) and 10 (52 letters).
func TestRandomStringIndependent(t *testing.T) {
	for _, n := range []int{3, 52} {
		k, _ := batchSize(uint64(n))
		dst := make([]uint8, 1<<20)
		RandomString(dst, alpha8[:n], 11)
		var pos [256]int
		for i, c := range alpha8[:n] {
			pos[c] = i
		}
		pairs := make([]float64, n*n)
		lanes := make([]float64, k*n)
		for i := 0; i+1 < len(dst); i += 2 {
			pairs[pos[dst[i]]*n+pos[dst[i+1]]]++
		}
		for i, c := range dst {
			lanes[i%k*n+pos[c]]++
		}
		uniform := func(obs []float64, total int) []float64 {
			w := make([]float64, len(obs))
			for i := range w {
				w[i] = float64(total) / float64(len(obs))
			}
			return w
		}
		if chi2, bound := chiSquare(pairs, uniform(pairs, len(dst)/2)); chi2 > bound {
			t.Errorf("alphabet of %d, pairs: chi-square %.1f exceeds %.1f", n, chi2, bound)
		}
		// Lanes hold unequal totals when k does not divide len(dst).
		want := make([]float64, len(lanes))
		for i := range want {
			want[i] = float64((len(dst)-i/n+k-1)/k) / float64(n)
		}
		if chi2, bound := chiSquare(lanes, want); chi2 > bound {
			t.Errorf("alphabet of %d, lanes: chi-square %.1f exceeds %.1f", n, chi2, bound)
		}
	}
}

func TestRandomStringUniform(t *testing.T) {
	checkUniform(t, alpha8, 1<<20, 1)
	checkUniform(t, alpha8[:2], 1<<16, 2)  // power of two, 1 bit per draw
	checkUniform(t, alpha8[:32], 1<<18, 3) // power of two
	checkUniform(t, alpha8[:3], 1<<16, 4)  // 3^k fills a 64-bit word poorly
	checkUniform(t, alpha16, 1<<18, 5)     // repeated 'b' is drawn twice as often
	checkUniform(t, alpha32, 1<<18, 6)
	all := make([]uint16, 1000) // large alphabet: few digits per word
	for i := range all {
		all[i] = uint16(i * 61)
	}
	checkUniform(t, all, 1<<20, 7)
}

func TestRandomStringEdges(t *testing.T) {
	one := make([]uint32, 5)
	RandomString(one, []uint32{0x1f600}, 1)
	if !slices.Equal(one, []uint32{0x1f600, 0x1f600, 0x1f600, 0x1f600, 0x1f600}) {
		t.Errorf("one-letter alphabet gave %x", one)
	}
	RandomString([]uint8{}, nil, 1) // nothing to draw: no panic
	defer func() {
		if recover() == nil {
			t.Error("empty alphabet did not panic")
		}
	}()
	RandomString(make([]uint8, 1), nil, 1)
}

// TestBatchSize checks the rejection threshold and that the chosen batch
// keeps most of each word.
func TestBatchSize(t *testing.T) {
	for _, tc := range []struct {
		n uint64
		k int
	}{{3, 38}, {52, 10}, {1000, 6}, {1 << 40, 1}, {1<<63 + 1, 1}} {
		k, reject := batchSize(tc.n)
		p := uint64(1)
		for range k {
			p *= tc.n
		}
		// 2^64 mod p, computed as (2^64 - p) mod p.
		if want := (-p) % p; k != tc.k || reject != want {
			t.Errorf("batchSize(%d) = %d, %d; want %d, %d", tc.n, k, reject, tc.k, want)
		}
	}
}

// TestRandomStringStopSameOutput checks that filling in chunks (to poll
// stop) gives RandomString's output, for sizes around the chunk boundaries
// and alphabets of every kind of draw.
func TestRandomStringStopSameOutput(t *testing.T) {
	alphabets := [][]uint8{[]uint8("x"), []uint8("ab"), []uint8("abcd0123"), []uint8("abc"), []uint8("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")}
	for _, a := range alphabets {
		for _, n := range []int{1, stopEvery - 1, stopEvery, stopEvery + 1, 3*stopEvery + 17} {
			want := make([]uint8, n)
			RandomString(want, a, 7)
			got := make([]uint8, n)
			polls := 0
			if !RandomStringStop(got, a, 7, func() bool { polls++; return false }) {
				t.Fatalf("alphabet %q n=%d: stopped without being asked", a, n)
			}
			if string(got) != string(want) {
				t.Fatalf("alphabet %q n=%d: chunked output differs", a, n)
			}
			if polls < n/stopEvery {
				t.Fatalf("alphabet %q n=%d: stop polled %d times", a, n, polls)
			}
		}
	}
}

func TestRandomStringStopStops(t *testing.T) {
	dst := make([]uint16, 10*stopEvery)
	polls := 0
	if RandomStringStop(dst, []uint16{'a', 'b', 'c'}, 1, func() bool { polls++; return polls == 3 }) {
		t.Fatal("RandomStringStop ran to the end although stop returned true")
	}
	if polls != 3 {
		t.Fatalf("stop polled %d times after returning true", polls)
	}
}
