package text

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// cat joins strings and single code points (for lone surrogates, which a Go
// string cannot hold) into code points.
func cat(parts ...any) []rune {
	var r []rune
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			r = append(r, []rune(p)...)
		case rune:
			r = append(r, p)
		default:
			panic(fmt.Sprintf("cat: %T", p))
		}
	}
	return r
}

// shortLongCases were checked against CPython 3.9 to 3.13 running
//
//	words = [w for w in s.split() if w not in ("the", "a")]
//	(sum(len(w) > 8 for w in words), len(words))
var shortLongCases = []struct {
	name        string
	in          []rune
	long, total int
}{
	{"empty", cat(""), 0, 0},
	{"two words", cat("hello world"), 0, 2},
	{"skip the and a", cat("the cat sat on a mat"), 0, 4},
	{"leading and trailing", cat("  leading and trailing  "), 0, 3},
	{"lengths 8 and 9", cat("abcdefgh abcdefghi"), 1, 2},
	{"exact, case-sensitive", cat("the a The A an THE tHe"), 0, 5},
	{"only ignored words", cat(" the a  the\ta\n"), 0, 0},
	{"just a", cat("a"), 0, 0},
	{"just the", cat("the"), 0, 0},
	{"only whitespace", cat(" \t\n\r\v\f "), 0, 0},
	{"near misses", cat("there them ath thea at xthe aa ta he"), 0, 9},
	{"ascii controls", cat("one\ttwo\nthree\r\nfour\vfive\fsix"), 0, 6},
	{"file separators", cat("\x1cabc\x1ddef\x1eghi\x1fjkl\x1b\x7f"), 0, 4},
	{"nel and nbsp", cat("word\u0085wordwordword\u00a0the\u00a0a\u0085"), 1, 2},
	{"latin-1 letters", cat("caf\u00e9 na\u00efvet\u00e9s \u00fe\u00ff\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5\u00e6"), 1, 3},
	{"nul is a letter", cat("abc\x00def ghi \x00\x00\x00\x00\x00\x00\x00\x00\x00"), 1, 3},
	{"ideographic space", cat("日本語\u3000テキスト\u3000the\u3000internationalization\u3000a"), 1, 3},
	{"zero width is not space", cat("abcd\u200befgh \ufeffthe \u180ex"), 1, 3},
	{"wide spaces", cat("a\u1680b\u2000c\u2001d\u2005e\u200af\u2028g\u2029h\u202fi\u205fj\u3000k"), 0, 10},
	{"not wide spaces", cat("\u167f\u1681\u1fff\u200b\u2027\u202a\u202e\u2030\u205e\u2060\u2fff\u3001"), 1, 1},
	{"astral", cat("\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600 \U0001d565\U0001d559\U0001d556 the \U0010ffff"), 1, 3},
	{"lone surrogates", cat(rune(0xd800), rune(0xdc00), "abcdefg ", rune(0xdfff), " the ", rune(0xd800), "a", rune(0xdbff)), 1, 3},
	{"surrogate word of 8", cat("the ", rune(0xd800), rune(0xd800), rune(0xd800), rune(0xd800), rune(0xdfff), rune(0xdfff), rune(0xdfff), rune(0xdfff), " a"), 0, 1},
	// Words across the 64-unit block boundaries.
	{"the across block", cat(strings.Repeat(" ", 62), "the", strings.Repeat(" ", 63), "a b"), 0, 1},
	{"long across block", cat(strings.Repeat(" ", 60), "abcdefghi", strings.Repeat("x", 60), " the"), 1, 1},
	{"ends at 64", cat(strings.Repeat(" ", 61), "the"), 0, 0},
	{"ends at 128", cat(strings.Repeat("y", 128)), 1, 1},
	{"a at 64", cat(strings.Repeat(" ", 64), "a"), 0, 0},
	{"9 at 128", cat(strings.Repeat(" ", 119), "abcdefghi"), 1, 1},
	{"8 at 128", cat(strings.Repeat(" ", 120), "abcdefgh"), 0, 1},
	{"many words", cat(strings.Repeat("the quick brown fox jumps over a lazy dog, notwithstanding ", 7)), 7, 56},
}

// units converts code points to units of type T; ok is false when one does
// not fit.
func units[T Unit](r []rune) (u []T, ok bool) {
	if slices.Contains(r, 0xfffd) {
		panic("units: U+FFFD, probably from invalid UTF-8 in a literal")
	}
	u = make([]T, len(r))
	for i, c := range r {
		u[i] = T(c)
		if rune(u[i]) != c {
			return nil, false
		}
	}
	return u, true
}

func TestShortLong(t *testing.T) {
	for _, tc := range shortLongCases {
		check := func(kind string, long, total int) {
			t.Helper()
			if long != tc.long || total != tc.total {
				t.Errorf("%s as %s: ShortLong = (%d, %d), want (%d, %d)", tc.name, kind, long, total, tc.long, tc.total)
			}
		}
		if u, ok := units[uint8](tc.in); ok {
			l, n := ShortLong(u)
			check("uint8", l, n)
		}
		if u, ok := units[uint16](tc.in); ok {
			l, n := ShortLong(u)
			check("uint16", l, n)
		}
		u, _ := units[uint32](tc.in)
		l, n := ShortLong(u)
		check("uint32", l, n)
	}
}

// latin1 is a named unit type, as the constraint's ~ allows.
type latin1 uint8

func TestShortLongNamedUnit(t *testing.T) {
	s := []latin1("the internationalization of a word\xa0list")
	if l, n := ShortLong(s); l != 1 || n != 4 {
		t.Errorf("ShortLong = (%d, %d), want (1, 4)", l, n)
	}
}

var refSpaces = pySpaceSet()

// refShortLong is the obviously correct version: split on the whitespace set
// copied from Python's output, then count.
func refShortLong[T Unit](s []T) (long, total int) {
	set := refSpaces
	var words [][]T
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || set[uint32(s[i])] {
			if start >= 0 {
				words = append(words, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	for _, w := range words {
		if slices.Equal(w, []T{'t', 'h', 'e'}) || slices.Equal(w, []T{'a'}) {
			continue
		}
		total++
		if len(w) > 8 {
			long++
		}
	}
	return long, total
}

func TestShortLongReference(t *testing.T) {
	for _, tc := range shortLongCases {
		u, _ := units[uint32](tc.in)
		if l, n := refShortLong(u); l != tc.long || n != tc.total {
			t.Errorf("%s: refShortLong = (%d, %d), want (%d, %d)", tc.name, l, n, tc.long, tc.total)
		}
	}
}

// randomText draws n code points from alphabet, weighting whitespace so that
// words of every length up to a dozen or so are common.
func randomText[T Unit](r *rng.Rand, n int, letters, spaces []T) []T {
	s := make([]T, n)
	for i := range s {
		if r.Below(5) == 0 {
			s[i] = spaces[r.Below(uint64(len(spaces)))]
		} else {
			s[i] = letters[r.Below(uint64(len(letters)))]
		}
	}
	return s
}

func differential[T Unit](t *testing.T, seed uint64, letters []T) {
	t.Helper()
	var spaces []T
	for _, c := range pySpaces {
		if u := T(c); uint32(u) == c {
			spaces = append(spaces, u)
		}
	}
	r := rng.New(seed)
	for i := range 2000 {
		s := randomText(&r, int(r.Below(300)), letters, spaces)
		l, n := ShortLong(s)
		rl, rn := refShortLong(s)
		if l != rl || n != rn {
			t.Fatalf("case %d: ShortLong(%v) = (%d, %d), reference (%d, %d)", i, s, l, n, rl, rn)
		}
	}
}

func TestShortLongDifferential(t *testing.T) {
	// Letters that make "the" and "a" frequent, plus neighbours of the
	// whitespace ranges that are not whitespace.
	base := []rune("ttthhheeeaaaab\x00\x08\x0e\x1b\x21\u0084\u0086\u009f\u00a1\u00ff")
	wide := []rune{0xd800, 0xdfff, 0x167f, 0x1681, 0x1fff, 0x200b, 0x2027, 0x202a, 0x2030, 0x205e, 0x2060, 0x2fff, 0x3001, 0xfeff}
	astral := []rune{0x10000, 0x1f600, 0x10ffff}
	b, _ := units[uint8](base)
	differential(t, 1, b)
	w, _ := units[uint16](append(base, wide...))
	differential(t, 2, w)
	a, _ := units[uint32](slices.Concat(base, wide, astral))
	differential(t, 3, a)
}

func FuzzShortLong(f *testing.F) {
	for _, tc := range shortLongCases {
		if u, ok := units[uint8](tc.in); ok {
			f.Add([]byte(u))
		}
	}
	f.Add([]byte("t\x00h\x00e\x00 \x00a\x00\x00\x30")) // "the a\u3000" as uint16
	f.Fuzz(func(t *testing.T, b []byte) {
		if l, n := ShortLong(b); true {
			if rl, rn := refShortLong(b); l != rl || n != rn {
				t.Fatalf("uint8 %q: ShortLong = (%d, %d), reference (%d, %d)", b, l, n, rl, rn)
			}
		}
		w := make([]uint16, len(b)/2)
		for i := range w {
			w[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		l, n := ShortLong(w)
		if rl, rn := refShortLong(w); l != rl || n != rn {
			t.Fatalf("uint16 %x: ShortLong = (%d, %d), reference (%d, %d)", w, l, n, rl, rn)
		}
	})
}

func TestShortLongNoAlloc(t *testing.T) {
	b := englishText(1000)
	w, d := widen[uint16](b), widen[uint32](b)
	if n := testing.AllocsPerRun(10, func() { ShortLong(b); ShortLong(w); ShortLong(d) }); n != 0 {
		t.Errorf("ShortLong allocates %v times", n)
	}
}
