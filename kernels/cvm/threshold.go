package cvm

import (
	"fmt"
	"math"
)

// DefaultStreamLength is the stream length to pass to Threshold when the
// length is not known in advance. The threshold grows only with the
// logarithm of the length, so a generous bound costs little: 2^40 (about a
// trillion items) gives less than twice the threshold for a million items.
const DefaultStreamLength = 1 << 40

// MaxThreshold is the largest buffer size New accepts, 2^30 (Threshold gives
// 636 million for epsilon = 0.001, delta = 0.001 and DefaultStreamLength).
// A Counter's memory grows with the keys it holds, 11 to 22 bytes each, not
// with its threshold, so a large threshold costs nothing until it is used.
const MaxThreshold = 1 << 30

// Threshold returns the buffer size that makes the estimate of a stream of
// at most streamLength items lie within a relative error epsilon of the
// distinct count with probability at least 1-delta: the bound
// ceil(12/epsilon^2 * log2(8*streamLength/delta)) of Chakraborty, Vinodchandran
// and Meel, rounded up to an even number so that exactly half the buffer can
// be kept. A streamLength of 0 is treated as 1.
//
// Both epsilon and delta must lie in (0, 1); the error names the argument
// that does not, or reports a threshold above MaxThreshold.
func Threshold(epsilon, delta float64, streamLength uint64) (int, error) {
	// The negated comparisons also reject NaN.
	if !(epsilon > 0 && epsilon < 1) {
		return 0, fmt.Errorf("cvm: epsilon = %v, want 0 < epsilon < 1", epsilon)
	}
	if !(delta > 0 && delta < 1) {
		return 0, fmt.Errorf("cvm: delta = %v, want 0 < delta < 1", delta)
	}
	n := float64(max(streamLength, 1))
	t := math.Ceil(12 / (epsilon * epsilon) * math.Log2(8*n/delta))
	if t > MaxThreshold {
		return 0, fmt.Errorf("cvm: threshold %.4g for epsilon = %v, delta = %v exceeds MaxThreshold", t, epsilon, delta)
	}
	s := int(t)
	return s + s&1, nil
}
