package arrow

import (
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gokernels/gokernels/kernels/cvm"
)

// countWith counts src into counters (or, with keyByKey, into counters seen
// only as Sinks, so that the scan keys value by value as before the column
// loops) and returns the merged counter.
func countWith(src Source, seed uint64, threshold, workers int, step int64, keyByKey bool) (*cvm.Counter, error) {
	a, err := Import(src)
	if err != nil {
		return nil, err
	}
	cs := make([]*cvm.Counter, workers)
	sinks := make([]Sink, workers)
	for i := range cs {
		cs[i] = cvm.New(threshold, seed)
		sinks[i] = cs[i]
		if keyByKey {
			sinks[i] = keysOnly{cs[i]}
		}
	}
	s := NewScan(a, seed, workers)
	for lo := int64(0); lo < a.Length; lo += step {
		if err := s.Run(a, lo, min(lo+step, a.Length), sinks); err != nil {
			return nil, err
		}
	}
	if err := s.Finish(a, sinks[0]); err != nil {
		return nil, err
	}
	for _, c := range cs[1:] {
		if err := cs[0].Merge(c); err != nil {
			return nil, err
		}
	}
	return cs[0], nil
}

func sameCounter(a, b *cvm.Counter) bool {
	return a.Exponent() == b.Exponent() && a.Len() == b.Len() && digest(a) == digest(b)
}

// The column loops count every string and binary layout as keying value by
// value does: sliced (offset), with nulls in runs and alone, offsets or views
// at an odd address, on several workers, at thresholds that make the exponent
// rise within a range.
func TestColumnMatchesKeyByKey(t *testing.T) {
	vals := goldenColumn(20000)
	pads := []string{"pad", "", "a pad longer than sixteen bytes"}
	nullPatterns := map[string]func(int) bool{
		"none":    nil,
		"third":   func(i int) bool { return i%3 != 1 },
		"runs":    func(i int) bool { return (i/37)%2 == 0 },
		"bytes":   func(i int) bool { return (i/8)%3 != 0 },
		"sparse":  func(i int) bool { return i%1000 != 999 },
		"allnull": func(int) bool { return false },
	}
	for _, f := range []string{"u", "U", "vu", "z", "Z", "vz"} {
		build := varlen
		if f[0] == 'v' {
			build = views
		}
		for name, pat := range nullPatterns {
			var valid []bool
			if pat != nil {
				valid = make([]bool, len(pads)+len(vals))
				for i := range valid {
					valid[i] = pat(i)
				}
			}
			for _, threshold := range []int{2, 64, 5000} {
				for _, workers := range []int{1, 2} {
					n := build(f, append(append([]string(nil), pads...), vals...), valid)
					n.offset, n.length = int64(len(pads)), int64(len(vals))
					if valid != nil {
						n.nulls = -1
					}
					if threshold == 64 {
						misalign(n)
					}
					fast, err := countWith(n, 11, threshold, workers, 4099, false)
					if err != nil {
						t.Fatal(err)
					}
					slow, err := countWith(n, 11, threshold, workers, 4099, true)
					if err != nil {
						t.Fatal(err)
					}
					if !sameCounter(fast, slow) {
						t.Errorf("%s nulls %s threshold %d, %d workers: k %d, %d keys; key by key k %d, %d keys",
							f, name, threshold, workers, fast.Exponent(), fast.Len(), slow.Exponent(), slow.Len())
					}
				}
			}
		}
	}
}

// Malformed offsets and views fail on the column path with the errors of the
// value-by-value path.
func TestColumnMalformed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func() *node
	}{
		{"offsets out of order", func() *node {
			n := varlen("u", []string{"ab", "cd", "ef"}, nil)
			n.bufs[1][4] = 5 // offsets 0, 5, 4, 6
			return n
		}},
		{"negative first offset", func() *node {
			n := varlen("Z", []string{"ab", "cd"}, nil)
			for i := range 8 {
				n.bufs[1][i] = 0xff
			}
			return n
		}},
		{"view buffer index", func() *node {
			n := views("vu", []string{"x", "a value longer than 12"}, nil)
			n.bufs[1][16+8] = 7
			return n
		}},
		{"view negative length", func() *node {
			n := views("vz", []string{"x", "y"}, nil)
			n.bufs[1][16+3] = 0x80
			return n
		}},
	} {
		_, fastErr := countWith(tc.build(), 1, 100, 1, 100, false)
		_, slowErr := countWith(tc.build(), 1, 100, 1, 100, true)
		if !isData(fastErr) || fmt.Sprint(fastErr) != fmt.Sprint(slowErr) {
			t.Errorf("%s: column path %v, key by key %v", tc.name, fastErr, slowErr)
		}
		odd := tc.build()
		misalign(odd)
		if _, err := countWith(odd, 1, 100, 1, 100, false); fmt.Sprint(err) != fmt.Sprint(slowErr) {
			t.Errorf("%s, misaligned: column path %v, key by key %v", tc.name, err, slowErr)
		}
	}
}

// FuzzColumn: arrays of any structure count to the same state (or fail
// alike) on the column path and key by key.
func FuzzColumn(f *testing.F) {
	f.Add([]byte{13, 2, 0, 0, 3, 0, 255, 12, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 3, 'a', 'b', 'c'}, uint8(1))
	f.Add([]byte{15, 3, 1, 1, 5, 0, 1, 0xfd, 48, 3, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, uint8(0))
	f.Fuzz(func(t *testing.T, raw []byte, workers uint8) {
		n, _ := fuzzNode(raw, 0)
		w := 1 + int(workers%3)
		fast, fastErr := countWith(n, 3, 4, w, 1+n.length/3, false)
		slow, slowErr := countWith(n, 3, 4, w, 1+n.length/3, true)
		if (fastErr == nil) != (slowErr == nil) {
			t.Fatalf("column path error %v, key by key %v", fastErr, slowErr)
		}
		if fastErr == nil && !sameCounter(fast, slow) {
			t.Fatalf("column path k %d, %d keys; key by key k %d, %d keys", fast.Exponent(), fast.Len(), slow.Exponent(), slow.Len())
		}
	})
}

// The counters of package cvm take the column path.
var _ ColumnSink = (*cvm.Counter)(nil)

// misalign moves n's offsets or views buffer to an odd address, as
// distributed leaves buffers it rebuilds inside a message.
func misalign(n *node) {
	b := make([]byte, len(n.bufs[1])+8)
	n.bufs[1] = b[1 : 1+copy(b[1:], n.bufs[1])]
}

// columnCalls is a cvm.Counter that counts the rows it gets through the
// column loops.
type columnCalls struct {
	*cvm.Counter
	rows int
}

func (c *columnCalls) AddOffsets(offsets []byte, wide bool, data []byte, bytes bool, lo, hi int) int {
	c.rows += hi - lo
	return c.Counter.AddOffsets(offsets, wide, data, bytes, lo, hi)
}

func (c *columnCalls) AddViews(views []byte, bufs [][]byte, bytes bool, lo, hi int) int {
	c.rows += hi - lo
	return c.Counter.AddViews(views, bufs, bytes, lo, hi)
}

// Misaligned offsets and views are counted by the column loops (from aligned
// copies, a block at a time), not value by value, which took 1.4x as long.
func TestMisalignedTakesColumnPath(t *testing.T) {
	vals := goldenColumn(5000)
	for _, f := range []string{"u", "Z", "vu"} {
		build := varlen
		if f[0] == 'v' {
			build = views
		}
		n := build(f, vals, nil)
		misalign(n)
		a, err := Import(n)
		if err != nil {
			t.Fatal(err)
		}
		sink := &columnCalls{Counter: cvm.New(100, 1)}
		if err := NewScan(a, 1, 1).Run(a, 0, a.Length, []Sink{sink}); err != nil {
			t.Fatal(err)
		}
		if sink.rows != len(vals) {
			t.Errorf("%s: %d of %d rows through the column loops", f, sink.rows, len(vals))
		}
	}
}

// withPiece runs f with the workers taking pieces of p rows.
func withPiece(p int64, f func()) {
	old := piece
	piece = p
	defer func() { piece = old }()
	f()
}

// Workers taking many small pieces count what one worker counts, in every
// layout, and an array with bad values in several pieces fails with the
// error of the first, as a serial scan does, however the pieces fall.
func TestPiecesMatchSerial(t *testing.T) {
	vals := goldenColumn(30000)
	withPiece(100, func() {
		for _, f := range []string{"u", "vu", "Z"} {
			build := varlen
			if f[0] == 'v' {
				build = views
			}
			for _, valid := range [][]bool{nil, maskOf(len(vals))} {
				serial, err := countWith(build(f, vals, valid), 5, 300, 1, int64(len(vals)), false)
				if err != nil {
					t.Fatal(err)
				}
				for _, workers := range []int{2, 3} {
					for _, keyByKey := range []bool{false, true} {
						c, err := countWith(build(f, vals, valid), 5, 300, workers, 9000, keyByKey)
						if err != nil {
							t.Fatal(err)
						}
						if !sameCounter(c, serial) {
							t.Errorf("%s nulls %v, %d workers, key by key %v: differs from one worker", f, valid != nil, workers, keyByKey)
						}
					}
				}
			}
		}
		bad := varlen("u", vals, nil)
		for _, i := range []int{1234, 5678, 20001} { // offsets i+1 < offset i
			binary.LittleEndian.PutUint32(bad.bufs[1][4*(i+1):], 0)
		}
		_, want := countWith(bad, 5, 300, 1, int64(len(vals)), false)
		if !isData(want) {
			t.Fatalf("serial: %v", want)
		}
		for range 30 {
			if _, err := countWith(bad, 5, 300, 3, int64(len(vals)), false); fmt.Sprint(err) != fmt.Sprint(want) {
				t.Fatalf("3 workers: %v, serial: %v", err, want)
			}
		}
	})
}

// panicSink panics on the at-th AddKeys call made to any sink sharing
// calls, as a counter whose buffer cannot grow does; the other calls take
// 2 ms, far longer than the panic takes to stop the scan.
type panicSink struct {
	calls *atomic.Int64
	at    int64
}

func (s panicSink) AddKeys([]uint64) {
	if s.calls.Add(1) == s.at {
		panic("sink full")
	}
	time.Sleep(2 * time.Millisecond)
}

// A sink's panic in a parallel Run reaches the caller once every worker has
// stopped, and the pieces after the one that panicked are not scanned.
func TestRunRaisesSinkPanic(t *testing.T) {
	vals := make([]uint64, 50_000)
	for i := range vals {
		vals[i] = uint64(i)
	}
	a, err := Import(fixed("l", 8, vals, nil))
	if err != nil {
		t.Fatal(err)
	}
	withPiece(1000, func() { // 50 pieces of one AddKeys call each
		for range 10 {
			var calls atomic.Int64
			const workers = 3
			sinks := make([]Sink, workers)
			for w := range sinks {
				sinks[w] = panicSink{&calls, 10}
			}
			got := func() (p any) {
				defer func() { p = recover() }()
				_ = NewScan(a, 1, workers).Run(a, 0, a.Length, sinks)
				return nil
			}()
			if got != "sink full" {
				t.Fatalf("recovered %v, want the sink's panic", got)
			}
			n := calls.Load()
			time.Sleep(5 * time.Millisecond)
			if calls.Load() != n {
				t.Fatal("a worker still called its sink after Run returned")
			}
			if n >= 40 {
				t.Fatalf("%d of 50 pieces scanned: the pieces after the panic should be skipped", n)
			}
		}
	})
}
