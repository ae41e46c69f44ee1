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
	// Values, not keys: relErrors keys them with each counter's seed.
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
	return relErrorsMerged(keys, distinct, threshold, seeds, epsilon, 1)
}

// relErrorsMerged is relErrors for counters built from parts of the stream
// (parts counters, each fed every parts-th chunk) merged into one.
func relErrorsMerged(vals []uint64, distinct, threshold, seeds int, epsilon float64, parts int) (errs []float64, within float64) {
	in := 0
	keys := make([]uint64, len(vals))
	for seed := 1; seed <= seeds; seed++ {
		for i, v := range vals {
			keys[i] = KeyInt64(uint64(seed), int64(v))
		}
		cs := make([]*Counter, parts)
		for i := range cs {
			cs[i] = New(threshold, uint64(seed))
		}
		i := 0
		for chunk := range slices.Chunk(keys, 16384) {
			cs[i%parts].AddKeys(chunk)
			i++
		}
		c := cs[0]
		for _, o := range cs[1:] {
			if err := c.Merge(o); err != nil {
				panic(err)
			}
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

// Merged counters are as accurate and as unbiased.
func TestAccuracyMerged(t *testing.T) {
	const distinct, repeat, seeds = 100_000, 2, 200
	keys := shuffledStream(43, distinct, repeat)
	threshold, err := Threshold(0.2, 0.1, uint64(len(keys)))
	if err != nil {
		t.Fatal(err)
	}
	errs, within := relErrorsMerged(keys, distinct, threshold, seeds, 0.2, 4)
	mean, se := meanSE(errs)
	t.Logf("merged from 4 parts: %.1f%% within epsilon, mean relative error %+.4f (SE %.4f)", 100*within, mean, se)
	if within < 0.9 {
		t.Errorf("only %.1f%% of merged estimates within epsilon, want 90%%", 100*within)
	}
	if math.Abs(mean) > 4*se {
		t.Errorf("merged: mean relative error %+.4f is more than 4 standard errors (%.4f) from 0", mean, se)
	}
}

// A small threshold gives large errors and halves p many times, which makes
// any bias of the subsampling visible: the estimator must stay unbiased.
func TestUnbiasedSmallThreshold(t *testing.T) {
	const distinct, seeds = 5000, 4000
	keys := shuffledStream(7, distinct, 1)
	for _, tt := range []struct{ threshold, parts int }{{4, 1}, {16, 1}, {16, 3}} {
		threshold := tt.threshold
		errs, _ := relErrorsMerged(keys, distinct, threshold, seeds, 0, tt.parts)
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
