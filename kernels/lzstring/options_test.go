package lzstring

import (
	"errors"
	"testing"
)

// counting is an Options allocator that tracks live buffers, to check that
// every call frees what it allocated except the buffer it returns.
type counting struct {
	live, made int
	fail       bool // Alloc refuses
}

func (c *counting) options(stop func() bool) *Options {
	return &Options{
		Stop: stop,
		Alloc: func(n int) []uint16 {
			if c.fail {
				return nil
			}
			c.live++
			c.made++
			return make([]uint16, n)
		},
		Free: func([]uint16) { c.live-- },
	}
}

// stopAfter returns a Stop that answers true from its k-th poll on.
func stopAfter(k int) (stop func() bool, polls *int) {
	n := 0
	return func() bool { n++; return n >= k }, &n
}

func TestCompressStops(t *testing.T) {
	in := benchLetters(1 << 20) // big enough for a mapped table
	for _, f := range []Format{Raw, UTF16} {
		stop, polls := stopAfter(3)
		if _, err := CompressWith(nil, in, f, &Options{Stop: stop}); !errors.Is(err, ErrStopped) {
			t.Fatalf("format %d: err %v, want ErrStopped", f, err)
		}
		if *polls != 3 {
			t.Fatalf("format %d: %d polls, want 3 (stop as soon as asked)", f, *polls)
		}
	}
	for _, f := range []Format{Base64, URI, Uint8Array} {
		stop, _ := stopAfter(2)
		if _, err := CompressBytesWith(nil, in, f, &Options{Stop: stop}); !errors.Is(err, ErrStopped) {
			t.Fatalf("format %d: err %v, want ErrStopped", f, err)
		}
	}
	// A stopped call leaves nothing behind that changes the next one.
	if got, want := Compress(nil, in[:5000]), Compress(nil, in[:5000]); string(u16bytes(got)) != string(u16bytes(want)) {
		t.Fatal("compress after a stopped call differs")
	}
}

func u16bytes(u []uint16) []byte {
	b := make([]byte, 0, 2*len(u))
	for _, x := range u {
		b = append(b, byte(x), byte(x>>8))
	}
	return b
}

func TestCompressPollsOften(t *testing.T) {
	in := benchLetters(10 * stopEvery)
	polls := 0
	out, err := CompressWith(nil, in, Raw, &Options{Stop: func() bool { polls++; return false }})
	if err != nil || len(out) == 0 {
		t.Fatal(err)
	}
	if polls < 10 {
		t.Fatalf("%d polls for %d units, want one per %d", polls, len(in), stopEvery)
	}
}

func TestMappedTableRoundTrip(t *testing.T) {
	// 1M random letters grow the table past mapMinSlots, on and off huge
	// pages: the output must not depend on where the table lives.
	in := benchLetters(1 << 20)
	want := string(u16bytes(Compress(nil, in)))
	defer func(h bool) { hugePages = h }(hugePages)
	hugePages = false
	if got := string(u16bytes(Compress(nil, in))); got != want {
		t.Fatal("output differs without huge pages")
	}
	out, err := Decompress(nil, Compress(nil, in), -1)
	if err != nil || len(out) != len(in) {
		t.Fatalf("round trip: %v, %d units", err, len(out))
	}
	for i := range in {
		if out[i] != uint16(in[i]) {
			t.Fatalf("round trip differs at %d", i)
		}
	}
}

func TestDecompressStopsAndFrees(t *testing.T) {
	in := benchLetters(1 << 20)
	src := Compress(nil, in)
	for _, k := range []int{1, 2, 5} {
		var c counting
		stop, _ := stopAfter(k)
		if _, err := DecompressWith(nil, src, Raw, -1, c.options(stop)); !errors.Is(err, ErrStopped) {
			t.Fatalf("stop after %d: err %v", k, err)
		}
		if c.live != 0 {
			t.Fatalf("stop after %d: %d buffers not freed", k, c.live)
		}
	}
	// A bomb stopped while it counts its length.
	bomb := Compress(nil, make([]uint8, 10_000_000))
	var c counting
	stop, _ := stopAfter(2)
	if _, err := DecompressWith(nil, bomb, Raw, -1, c.options(stop)); !errors.Is(err, ErrStopped) {
		t.Fatalf("bomb: err %v", err)
	}
	if c.live != 0 {
		t.Fatalf("bomb: %d buffers not freed", c.live)
	}
}

func TestDecompressAllocates(t *testing.T) {
	in := benchLetters(200_000)
	src := Compress(nil, in)
	var c counting
	out, err := DecompressWith(nil, src, Raw, -1, c.options(nil))
	if err != nil || len(out) != len(in) {
		t.Fatalf("%v, %d units", err, len(out))
	}
	if c.live != 1 || c.made > 2 {
		t.Fatalf("%d live buffers (want the result only), %d made (want at most 2)", c.live, c.made)
	}
	// Errors free everything: too long, corrupt, truncated ("").
	for _, tc := range []struct {
		src  []uint16
		max  int
		want error
	}{
		{src, len(in) - 1, ErrTooLong},
		{append(append([]uint16{}, src[:len(src)/2]...), 0xFFFF, 0xFFFF, 0xFFFF), -1, ErrCorrupt},
		{src[:len(src)/2], -1, nil},
	} {
		var c counting
		out, err := DecompressWith(nil, tc.src, Raw, tc.max, c.options(nil))
		if !errors.Is(err, tc.want) || (err == nil && len(out) != 0) {
			t.Fatalf("want %v: got %v, %d units", tc.want, err, len(out))
		}
		if c.live != 0 {
			t.Fatalf("want %v: %d buffers not freed", tc.want, c.live)
		}
	}
	// No memory: ErrNoMemory, not a crash.
	c = counting{fail: true}
	if _, err := DecompressWith(nil, src, Raw, -1, c.options(nil)); !errors.Is(err, ErrNoMemory) {
		t.Fatalf("Alloc refusing: err %v, want ErrNoMemory", err)
	}
}
