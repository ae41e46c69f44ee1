package rng

import "testing"

func TestRepeatable(t *testing.T) {
	a, b := New(42), New(42)
	for i := 0; i < 1000; i++ {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("step %d: %d != %d", i, x, y)
		}
	}
	c := New(43)
	a = New(42)
	if a.Uint64() == c.Uint64() {
		t.Fatal("different seeds gave the same first output")
	}
}

func TestBelowUniform(t *testing.T) {
	r := New(1)
	const n, draws = 7, 70000
	var counts [n]int
	for i := 0; i < draws; i++ {
		v := r.Below(n)
		if v >= n {
			t.Fatalf("Below(%d) = %d", n, v)
		}
		counts[v]++
	}
	// Each bucket expects 10000; 5 standard deviations is about 450.
	for v, c := range counts {
		if c < 9550 || c > 10450 {
			t.Errorf("value %d drawn %d times of %d", v, c, draws)
		}
	}
}

func BenchmarkUint64(b *testing.B) {
	r := New(1)
	var s uint64
	for i := 0; i < b.N; i++ {
		s += r.Uint64()
	}
	_ = s
}
