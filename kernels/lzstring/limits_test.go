package lzstring

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// streamWriter builds raw streams by hand: values LSB first, units MSB first,
// with the reference's padding.
type streamWriter struct{ bits []uint8 }

func (w *streamWriter) put(v, n int) {
	for i := range n {
		w.bits = append(w.bits, uint8(v>>i&1))
	}
}

func (w *streamWriter) units() []uint16 {
	u := make([]uint16, len(w.bits)/16+1)
	for i, b := range w.bits {
		u[i/16] |= uint16(b) << (15 - i%16)
	}
	return u
}

// How a bomb ends: with the end code, with nothing (truncated), or with a
// reference past the dictionary.
const (
	bombEnd = iota
	bombTruncated
	bombCorrupt
)

// bomb returns a raw stream of about size bytes that is one literal and then,
// every time, the code of the entry being defined: each phrase is one unit
// longer than the last, so the output grows with the square of the stream,
// and the number of units it asks for.
func bomb(size int, ending int) (src []uint16, want int) {
	var w streamWriter
	w.put(0, 2)
	w.put('a', 8)
	dict, numBits, enlarge := 4, 3, 4
	want, phrase := 1, 1
	for len(w.bits)+2*numBits < 8*size {
		w.put(dict, numBits)
		phrase++
		want += phrase
		dict++
		if enlarge--; enlarge == 0 {
			enlarge = 1 << numBits
			numBits++
		}
	}
	switch ending {
	case bombEnd:
		w.put(2, numBits)
	case bombCorrupt:
		w.put(dict+1, numBits)
	}
	return w.units(), want
}

func TestBomb(t *testing.T) {
	src, want := bomb(56<<10, bombEnd)
	t.Logf("%d-byte stream of %d units asks for %d units", 2*len(src), len(src), want)
	if want < 400<<20 {
		t.Fatalf("the bomb is a dud: %d units", want)
	}
	const maxLength = 1 << 26
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	got, err := Decompress(nil, src, maxLength)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != ErrTooLong || len(got) != 0 {
		t.Fatalf("got %d units, %v; want ErrTooLong", len(got), err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("ErrTooLong after %v, %d MB allocated", elapsed, alloc>>20)
	// The output buffer may reach maxLength units, and no further.
	if alloc > 4*maxLength+(16<<20) {
		t.Errorf("allocated %d bytes for maxLength %d", alloc, maxLength)
	}
	if elapsed > 5*time.Second {
		t.Errorf("took %v", elapsed)
	}

	// Small bounds fail at once, and the answer does not depend on them.
	for _, m := range []int{0, 1, 1000, 1 << 20} {
		if _, err := Decompress(nil, src, m); err != ErrTooLong {
			t.Errorf("maxLength %d: %v, want ErrTooLong", m, err)
		}
	}
	// Without its end code the stream is truncated, and the reference
	// returns "", however long the output it would have built.
	src, _ = bomb(56<<10, bombTruncated)
	if got, err := Decompress(nil, src, 1<<20); err != nil || len(got) != 0 {
		t.Errorf("bomb without end code: %d units, %v; want \"\", nil", len(got), err)
	}
	// With a bad code at the end, the reference returns null.
	src, _ = bomb(56<<10, bombCorrupt)
	if got, err := Decompress(nil, src, 1<<20); err != ErrCorrupt {
		t.Errorf("bomb with a bad code: %d units, %v; want ErrCorrupt", len(got), err)
	}
	// A small one decodes to what the model says.
	src, want = bomb(300, bombEnd)
	got, err = Decompress(nil, src, -1)
	if m := modelDecompressRaw(src); err != nil || !slices.Equal(got, m.s) || len(got) != want {
		t.Errorf("small bomb: %d units, %v; want %d", len(got), err, want)
	}
}

// TestLongRun compresses seventeen million equal units: the phrases form a
// single chain, and a compressor with quadratic work would not finish. It is
// long enough to need the wide table.
func TestLongRun(t *testing.T) {
	n := 17_000_000
	if testing.Short() {
		n = 1_000_000
	}
	in := make([]byte, n)
	for i := range in {
		in[i] = 'a'
	}
	start := time.Now()
	out := CompressBase64(nil, in)
	t.Logf("%d units to %d characters in %v", n, len(out), time.Since(start))
	got, err := DecompressBase64(nil, out, n)
	if err != nil || len(got) != n || slices.IndexFunc(got, func(u uint16) bool { return u != 'a' }) >= 0 {
		t.Fatalf("round trip: %d units, %v", len(got), err)
	}
}

// TestWideTable checks the table layout for long inputs, on every golden
// input, and that the narrow layout is only used where codes fit.
func TestWideTable(t *testing.T) {
	n := 1<<narrowCodeBits - 1<<17 - 1 // the longest narrow input
	if wideInput(n) || !wideInput(n+1) {
		t.Fatalf("wideInput boundary moved")
	}
	// Codes: 3 reserved, one per distinct unit, one per phrase written.
	if maxCode := 3 + 1<<16 + n; maxCode >= 1<<narrowCodeBits {
		t.Fatalf("narrow input of %d units may need code %d", n, maxCode)
	}
	var inputs [][]uint16
	for _, l := range readGolden(t, "compress.jsonl") {
		inputs = append(inputs, l.input(t))
	}
	want := make([][]uint16, len(inputs))
	for i, in := range inputs {
		want[i] = Compress(nil, in)
	}
	// And one long enough for the table to grow.
	inputs = append(inputs, asBytes(benchUpper(300_000)))
	want = append(want, Compress(nil, inputs[len(inputs)-1]))
	forceWide = true
	defer func() { forceWide = false }()
	for i, in := range inputs {
		if got := Compress(nil, in); !slices.Equal(got, want[i]) {
			t.Fatalf("wide table: Compress(%s) = %s, want %s", show(in), show(got), show(want[i]))
		}
	}
}
