package cvm

import (
	"math"
	"slices"
	"testing"

	"github.com/gokernels/gokernels/kernels/internal/rng"
)

// shuffledStream returns each of distinct keys repeat times, shuffled.
func shuffledStream(seed uint64, distinct, repeat int) []uint64 {
	keys := make([]uint64, 0, distinct*repeat)
	for range repeat {
		for i := range distinct {
			keys = append(keys, uint64(i))
		}
	}
	r := rng.New(seed)
	for i := len(keys) - 1; i > 0; i-- {
		j := r.Below(uint64(i + 1))
		keys[i], keys[j] = keys[j], keys[i]
	}
	return keys
}

// relErrors returns the relative errors of the estimates of counters with
// the given threshold and seeds 1..seeds, and the fraction within epsilon.
func relErrors(keys []uint64, distinct, threshold, seeds int, epsilon float64) (errs []float64, within float64) {
	c := New(threshold, 0)
	in := 0
	for seed := 1; seed <= seeds; seed++ {
		c.seed = uint64(seed)
		c.Reset()
		for chunk := range slices.Chunk(keys, 16384) {
			c.Add(chunk)
		}
		e := c.Estimate()/float64(distinct) - 1
		errs = append(errs, e)
		if math.Abs(e) <= epsilon {
			in++
		}
	}
	return errs, float64(in) / float64(seeds)
}

// meanSE returns the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(ss / float64(len(xs)-1))
	return mean, sd / math.Sqrt(float64(len(xs)))
}

// With the threshold from Threshold(epsilon, delta, n), at least 1-delta of
// the estimates lie within epsilon of the truth, and their mean is the truth
// within a few standard errors.
func TestAccuracy(t *testing.T) {
	const distinct, repeat, seeds = 100_000, 3, 200
	keys := shuffledStream(42, distinct, repeat)
	for _, tt := range []struct{ epsilon, delta float64 }{{0.5, 0.1}, {0.2, 0.1}} {
		threshold, err := Threshold(tt.epsilon, tt.delta, uint64(len(keys)))
		if err != nil {
			t.Fatal(err)
		}
		errs, within := relErrors(keys, distinct, threshold, seeds, tt.epsilon)
		mean, se := meanSE(errs)
		t.Logf("epsilon %v, delta %v, threshold %d: %.1f%% within epsilon, mean relative error %+.4f (SE %.4f), max |error| %.4f",
			tt.epsilon, tt.delta, threshold, 100*within, mean, se, maxAbs(errs))
		if within < 1-tt.delta {
			t.Errorf("epsilon %v: only %.1f%% of estimates within epsilon, want %.0f%%", tt.epsilon, 100*within, 100*(1-tt.delta))
		}
		if math.Abs(mean) > 4*se {
			t.Errorf("epsilon %v: mean relative error %+.4f is more than 4 standard errors (%.4f) from 0", tt.epsilon, mean, se)
		}
	}
}

// A small threshold gives large errors and halves p many times, which makes
// any bias of the subsampling visible: the estimator must stay unbiased.
func TestUnbiasedSmallThreshold(t *testing.T) {
	const distinct, seeds = 5000, 4000
	keys := shuffledStream(7, distinct, 1)
	for _, threshold := range []int{4, 16} {
		errs, _ := relErrors(keys, distinct, threshold, seeds, 0)
		mean, se := meanSE(errs)
		t.Logf("threshold %d: mean relative error %+.4f (SE %.4f)", threshold, mean, se)
		if math.Abs(mean) > 4*se {
			t.Errorf("threshold %d: mean relative error %+.4f is more than 4 standard errors (%.4f) from 0", threshold, mean, se)
		}
	}
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, math.Abs(x))
	}
	return m
}
