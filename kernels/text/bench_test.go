package text

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

var benchSizes = []int{1 << 10, 1 << 16, 1 << 20}

// functionWords are frequent short English words, most frequent first;
// contentWords are a spread of longer ones.
var (
	functionWords = strings.Fields(`the of and to a in is that for it was on with
		he as be by at his this from I have or had not but what all were when we
		there can an your which their said if do will each about how up out them
		then she many some so these would other into has more her two like him`)
	contentWords = strings.Fields(`time people number water called through
		government different important information something development
		everything community particular political following experience university
		environment year world school state family student group country problem
		hand part place case week company system program question work night
		point home room mother area money story fact month lot right study book
		eye job word business issue side kind head house service friend father
		power hour game line end member law car city name president team minute
		idea kid body back parent face level office door health person art war
		history party result change morning reason research girl guy moment air
		teacher force education`)
)

// englishText returns n bytes of English-like text: as many function words
// (drawn with Zipf-like frequencies) as content words, which makes the mean
// word length about that of English prose (4.7 letters), single spaces, and
// now and then punctuation or a newline.
func englishText(n int) []byte {
	r := rng.New(42)
	s := make([]byte, 0, n+16)
	for len(s) < n {
		var w string
		if r.Below(2) == 0 {
			// The minimum of two uniform ranks favours the first words.
			f := uint64(len(functionWords))
			w = functionWords[min(r.Below(f), r.Below(f))]
		} else {
			w = contentWords[r.Below(uint64(len(contentWords)))]
		}
		s = append(s, w...)
		switch r.Below(20) {
		case 0:
			s = append(s, ", "...)
		case 1:
			s = append(s, ".\n"...)
		default:
			s = append(s, ' ')
		}
	}
	return s[:n]
}

func widen[T Unit](b []byte) []T {
	u := make([]T, len(b))
	for i, c := range b {
		u[i] = T(c)
	}
	return u
}

func benchShortLong[T Unit](b *testing.B, s []T) {
	var zero T
	b.SetBytes(int64(len(s)) * int64(sizeOf(zero)))
	for b.Loop() {
		ShortLong(s)
	}
}

func sizeOf[T Unit](T) int {
	switch any(T(0)).(type) {
	case uint16:
		return 2
	case uint32:
		return 4
	}
	return 1
}

// BenchmarkShortLong reports bytes of storage per second; for 2- and 4-byte
// units divide by 2 or 4 for code points per second.
func BenchmarkShortLong(b *testing.B) {
	for _, n := range benchSizes {
		text := englishText(n)
		b.Run(fmt.Sprintf("uint8/%d", n), func(b *testing.B) { benchShortLong(b, text) })
		b.Run(fmt.Sprintf("uint16/%d", n), func(b *testing.B) { benchShortLong(b, widen[uint16](text)) })
		b.Run(fmt.Sprintf("uint32/%d", n), func(b *testing.B) { benchShortLong(b, widen[uint32](text)) })
	}
	// Japanese-like 2-byte text: ideographs with an ideographic space
	// every few units.
	r := rng.New(3)
	cjk := make([]uint16, 1<<20)
	for i := range cjk {
		cjk[i] = 0x4e00 + uint16(r.Below(0x5000))
		if r.Below(6) == 0 {
			cjk[i] = 0x3000
		}
	}
	b.Run("uint16-cjk/1048576", func(b *testing.B) { benchShortLong(b, cjk) })
}

var letters52 = []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

func benchRandomString[T Unit](b *testing.B, n int, alphabet []T) {
	dst := make([]T, n)
	b.SetBytes(int64(n)) // units, so MB/s is millions of units per second
	for b.Loop() {
		RandomString(dst, alphabet, 1)
	}
}

// BenchmarkRandomString reports output units per second as bytes per second.
func BenchmarkRandomString(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("52/uint8/%d", n), func(b *testing.B) { benchRandomString(b, n, letters52) })
	}
	n := 1 << 20
	b.Run("52/uint16/1048576", func(b *testing.B) { benchRandomString(b, n, widen[uint16](letters52)) })
	b.Run("52/uint32/1048576", func(b *testing.B) { benchRandomString(b, n, widen[uint32](letters52)) })
	b.Run("64/uint8/1048576", func(b *testing.B) {
		benchRandomString(b, n, []byte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/"))
	})
	b.Run("10/uint8/1048576", func(b *testing.B) { benchRandomString(b, n, []byte("0123456789")) })
	b.Run("1000/uint16/1048576", func(b *testing.B) {
		a := make([]uint16, 1000)
		for i := range a {
			a[i] = 0x4e00 + uint16(i)
		}
		benchRandomString(b, n, a)
	})
}
