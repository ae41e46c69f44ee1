package lzstring

import (
	"errors"
	"fmt"
	"path"
	"runtime"
	"strings"
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

// TestStopAtEveryPollSite stops every format's compress and decompress at
// each place that polls Stop, on an input whose phrase table and dictionary
// grow past their mapped sizes (so the rehash, the stream's and the
// dictionary's moves and the format conversions all poll). A stopped call
// must answer ErrStopped at once, free every buffer it allocated and unmap
// every mapping, and leave nothing that changes the next call.
func TestStopAtEveryPollSite(t *testing.T) {
	in := benchLetters(1 << 21)
	type call func(o *Options) (int, error) // output length
	calls := map[string]call{}
	for _, f := range []Format{Raw, UTF16} {
		enc, err := CompressWith(nil, in, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		calls[fmt.Sprintf("compress/%d", f)] = func(o *Options) (int, error) {
			out, err := CompressWith(nil, in, f, o)
			return len(out), err
		}
		calls[fmt.Sprintf("decompress/%d", f)] = func(o *Options) (int, error) {
			out, err := DecompressWith(nil, enc, f, -1, o)
			return len(out), err
		}
	}
	for _, f := range []Format{Base64, URI, Uint8Array} {
		enc, err := CompressBytesWith(nil, in, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		calls[fmt.Sprintf("compress/%d", f)] = func(o *Options) (int, error) {
			out, err := CompressBytesWith(nil, in, f, o)
			return len(out), err
		}
		calls[fmt.Sprintf("decompress/%d", f)] = func(o *Options) (int, error) {
			out, err := DecompressWith(nil, enc, f, -1, o)
			return len(out), err
		}
	}
	for name, run := range calls {
		// A first run records where each poll comes from. Every run
		// starts with empty pools (two collections empty a sync.Pool),
		// so that each polls in the same places.
		var sites []string
		emptyPools()
		want, err := run(&Options{Stop: func() bool { sites = append(sites, pollSite()); return false }})
		if err != nil || want == 0 {
			t.Fatalf("%s: %v, %d units", name, err, want)
		}
		// Stop at the first and the last poll from each site: a pass's
		// first and last moves differ (the last are the mapped ones).
		// The formats share the LZ pass, so only Raw stops there; the
		// others stop in their own conversions.
		first, last := map[string]int{}, map[string]int{}
		for i, s := range sites {
			if name[len(name)-1] != '0' && !ownsPoll(s) {
				continue
			}
			if _, ok := first[s]; !ok {
				first[s] = i + 1
			}
			last[s] = i + 1
		}
		ks := map[int]bool{}
		for s := range first {
			ks[first[s]], ks[last[s]] = true, true
		}
		if len(ks) == 0 {
			t.Fatalf("%s: no poll of its own in %d polls", name, len(sites))
		}
		for k := range ks {
			var c counting
			stop, made := stopAfter(k)
			emptyPools()
			_, err := run(c.options(stop))
			where := fmt.Sprintf("%s: stop at poll %d of %d (%s)", name, k, len(sites), sites[k-1])
			if !errors.Is(err, ErrStopped) {
				t.Fatalf("%s: err %v, want ErrStopped", where, err)
			}
			if *made != k {
				t.Fatalf("%s: polled %d times, want no more after the stop", where, *made)
			}
			if c.live != 0 {
				t.Fatalf("%s: %d buffers not freed", where, c.live)
			}
			if m := liveMappings.Load(); m != 0 {
				t.Fatalf("%s: %d mappings left", where, m)
			}
		}
		if got, err := run(nil); err != nil || got != want {
			t.Fatalf("%s after stopped calls: %v, %d units, want %d", name, err, got, want)
		}
	}
	out, err := Decompress(nil, Compress(nil, in), -1)
	if err != nil || len(out) != len(in) {
		t.Fatalf("round trip after stopped calls: %v, %d units", err, len(out))
	}
	for i := range in {
		if out[i] != uint16(in[i]) {
			t.Fatalf("round trip after stopped calls differs at %d", i)
		}
	}
}

// ownsPoll reports whether a poll site is in a format's own code, not the
// LZ passes that every format shares.
func ownsPoll(site string) bool {
	owner := strings.Split(site, " < ")[0]
	for _, f := range []string{"CompressWith", "CompressBytesWith", "compress6", "DecompressWith", "bits6"} {
		if strings.HasPrefix(owner, "lzstring."+f) {
			return true
		}
	}
	return false
}

func emptyPools() { runtime.GC(); runtime.GC() }

// pollSite names the code that polled Stop and its caller, past the polling
// helpers (a pass in pieces polls for the code that started it).
func pollSite() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	var site []string
	for len(site) < 2 {
		f, more := frames.Next()
		switch name := path.Base(f.Function); {
		case strings.HasPrefix(name, "lzstring.(*Options).stopped"), strings.HasPrefix(name, "lzstring.inPieces"),
			strings.HasPrefix(name, "lzstring.copyStopping"):
		default:
			site = append(site, fmt.Sprintf("%s:%d", name, f.Line))
		}
		if !more {
			break
		}
	}
	return strings.Join(site, " < ")
}
