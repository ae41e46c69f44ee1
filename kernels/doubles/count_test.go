package doubles

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// variants runs every implementation of Count over the same units, so one
// table checks them all.
func variants[T Unit](s []T) map[string]int {
	return map[string]int{
		"Count":           Count(s),
		"countScalar":     countScalar(s),
		"CountParallel/1": CountParallel(s, 1),
		"CountParallel/2": CountParallel(s, 2),
		"CountParallel/3": CountParallel(s, 3),
		"CountParallel/0": CountParallel(s, 0),
		"swar":            swar(s),
	}
}

func swar[T Unit](s []T) int {
	var zero T
	switch any(zero).(type) {
	case uint8:
		return count8SWAR(any(s).([]uint8))
	case uint16:
		return count16SWAR(any(s).([]uint16))
	default:
		return count32SWAR(any(s).([]uint32))
	}
}

func checkAll[T Unit](t *testing.T, name string, s []T) {
	t.Helper()
	want := naive(s)
	for impl, got := range variants(s) {
		if got != want {
			t.Errorf("%s: %s = %d, want %d", name, impl, got, want)
		}
	}
}

// naive is the definition, written independently of countScalar.
func naive[T Unit](s []T) int {
	n := 0
	for i := range s {
		if i+1 < len(s) && s[i] == s[i+1] {
			n++
		}
	}
	return n
}

func widen[T Unit](s []uint32) []T {
	out := make([]T, len(s))
	for i, c := range s {
		out[i] = T(c)
	}
	return out
}

func TestTable(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{"", 0}, {"a", 0}, {"aa", 1}, {"aaa", 2}, {"abab", 0}, {"aabb", 2},
		{"\x00\x00", 1}, {"\x00\x01\x00", 0}, {"ééé", 2}, {"€€x€", 1},
		{"😀😀😀", 2}, {"mississippi", 3},
	}
	for _, c := range cases {
		rs := []rune(c.s)
		units := make([]uint32, len(rs))
		for i, r := range rs {
			units[i] = uint32(r)
		}
		if got := Count(units); got != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.s, got, c.want)
		}
		checkAll(t, c.s, units)
	}
}

// TestLengths crosses every block and word width and the parallel seams with
// runs placed at the edges, where off-by-one errors live.
func TestLengths(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 200; n++ {
		for _, alpha := range []uint32{1, 2, 3, 52} {
			s := make([]uint32, n)
			for i := range s {
				s[i] = r.Uint32N(alpha)
			}
			checkAll(t, fmt.Sprintf("n=%d/a=%d/8", n, alpha), widen[uint8](s))
			checkAll(t, fmt.Sprintf("n=%d/a=%d/16", n, alpha), widen[uint16](s))
			checkAll(t, fmt.Sprintf("n=%d/a=%d/32", n, alpha), widen[uint32](s))
		}
	}
}

// TestHighBits makes sure lanes compare whole values: units that differ only
// in their top bit or only in their low bit must not count.
func TestHighBits(t *testing.T) {
	s8 := []uint8{0x80, 0x00, 0x80, 0x80, 0x7f, 0xff, 0xff, 0x01, 0x81}
	s16 := []uint16{0x8000, 0x0000, 0x8000, 0x8000, 0x7fff, 0xffff, 0xffff, 0x0001, 0x8001}
	s32 := []uint32{0x10ffff, 0x00ffff, 0x10ffff, 0x10ffff, 0x7fffffff, 0xffffffff, 0xffffffff, 1, 0x80000001}
	for rep := 1; rep <= 20; rep++ {
		checkAll(t, "high8", repeat(s8, rep))
		checkAll(t, "high16", repeat(s16, rep))
		checkAll(t, "high32", repeat(s32, rep))
	}
}

func repeat[T any](s []T, n int) []T {
	var out []T
	for i := 0; i < n; i++ {
		out = append(out, s...)
	}
	return out
}

func TestLargeParallelSeams(t *testing.T) {
	n := 3*MinParallelBytes/2 + 7
	s := make([]uint16, n)
	for i := range s {
		s[i] = uint16(i / 3) // runs of three straddle every seam sooner or later
	}
	checkAll(t, "runs", s)
	for w := 1; w <= 9; w++ {
		if got, want := CountParallel(s, w), naive(s); got != want {
			t.Errorf("CountParallel(workers=%d) = %d, want %d", w, got, want)
		}
	}
}

func TestCountUTF8(t *testing.T) {
	for _, s := range []string{"", "aa", "aéé", "€€", "\u0800\u0800", "\U0010FFFF", "\U00011111",
		"\u2222", "𐀀𐀀", "x\u07ffx", strings.Repeat("ab\u00e9\u20ac\U0001F600", 40)} {
		units := make([]uint32, 0, len(s))
		for _, r := range s {
			units = append(units, uint32(r))
		}
		got, err := CountUTF8(units)
		if err != nil {
			t.Fatal(err)
		}
		if want := naive([]byte(s)); got != want {
			t.Errorf("CountUTF8(%q) = %d, want %d", s, got, want)
		}
	}
	if _, err := CountUTF8([]uint16{'a', 0xD800}); err != ErrSurrogate {
		t.Errorf("lone surrogate: err = %v, want ErrSurrogate", err)
	}
}

// FuzzVariants checks that every variant agrees with the definition on
// arbitrary data read as 8-, 16- and 32-bit units, and CountUTF8 with the
// encoded bytes.
func FuzzVariants(f *testing.F) {
	f.Add([]byte("aabbccdd"))
	f.Add([]byte{0, 0, 0, 0, 0x80, 0x80, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAll(t, "8", data)
		u16 := make([]uint16, len(data)/2)
		for i := range u16 {
			u16[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		checkAll(t, "16", u16)
		u32 := make([]uint32, len(data)/4)
		for i := range u32 {
			u32[i] = uint32(data[4*i]) | uint32(data[4*i+1])<<8 | uint32(data[4*i+2])<<16 | uint32(data[4*i+3])<<24
		}
		checkAll(t, "32", u32)
		rs := []rune(string(data)) // invalid bytes become U+FFFD: a valid code point
		cps := make([]uint32, len(rs))
		for i, r := range rs {
			cps[i] = uint32(r)
		}
		got, err := CountUTF8(cps)
		if err != nil {
			t.Fatal(err)
		}
		enc := []byte(string(rs))
		if !utf8.Valid(enc) || got != naive(enc) {
			t.Errorf("CountUTF8 = %d, want %d", got, naive(enc))
		}
	})
}

// TestParallelWithoutSpareThreads: with one P the helpers cannot start
// before the caller has claimed every piece; the caller must not wait for
// them (it would deadlock) and must count everything itself.
func TestParallelWithoutSpareThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := letters(3*MinParallelBytes + 5)
	want := naive(s)
	for w := 2; w <= 8; w++ {
		if got := CountParallel(s, w); got != want {
			t.Errorf("GOMAXPROCS=1, workers=%d: %d, want %d", w, got, want)
		}
	}
}
