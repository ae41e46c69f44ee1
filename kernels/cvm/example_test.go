package cvm_test

import (
	"fmt"
	"math"

	"github.com/gokernels/gokernels/kernels/cvm"
)

func Example() {
	// A buffer for a 10% error with probability 99%, for up to 10M items.
	threshold, err := cvm.Threshold(0.1, 0.01, 10_000_000)
	if err != nil {
		panic(err)
	}
	c := cvm.New(threshold, 1)

	// 5M items, 200k of them distinct, in chunks.
	keys := make([]uint64, 10_000)
	for i := range 500 {
		for j := range keys {
			keys[j] = cvm.KeyInt64(c.Seed(), int64((i*len(keys)+j)%200_000))
		}
		c.AddKeys(keys)
	}
	est := c.Estimate()
	fmt.Println(threshold, c.Exponent() > 0, math.Abs(est/200_000-1) < 0.1)
	// Output: 39478 true true
}

func ExampleCounter_AddArray() {
	c := cvm.New(100, 1)
	c.AddArray(cvm.Int8, []byte{1, 2, 3, 2, 1})
	c.AddArray(cvm.Bool, []byte{1, 0}) // True == 1, False == 0
	fmt.Println(c.Estimate())
	// Output: 4
}

func ExampleCounter_Merge() {
	// Two workers count 600 ints and 600 strs; the merged counter is the
	// counter of the union, whatever the split.
	a, b := cvm.New(1000, cvm.DefaultSeed), cvm.New(1000, cvm.DefaultSeed)
	for i := range 600 {
		a.AddKeys([]uint64{cvm.KeyInt64(a.Seed(), int64(i))})
		b.AddKeys([]uint64{cvm.KeyString(b.Seed(), []byte(fmt.Sprint(i)))})
	}
	if err := a.Merge(b); err != nil {
		panic(err)
	}
	fmt.Println(a.Estimate(), a.Exponent())
	// Output: 1110 1
}
