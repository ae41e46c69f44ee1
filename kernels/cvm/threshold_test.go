package cvm

import (
	"math"
	"strings"
	"testing"
)

func TestThreshold(t *testing.T) {
	// The wants were computed with python3:
	// t = math.ceil(12/e/e * math.log2(8*n/d)); t + t%2
	tests := []struct {
		eps, delta float64
		n          uint64
		want       int
	}{
		{0.5, 0.001, 10_000_000, 1740}, // the example usually quoted for CVM
		{0.5, 0.1, 0, 304},             // n = 0 counts as 1
		{0.5, 0.1, 1, 304},
		{0.1, 0.01, 1 << 20, 35574},
		{0.5, 0.001, DefaultStreamLength, 2544},
	}
	for _, tt := range tests {
		got, err := Threshold(tt.eps, tt.delta, tt.n)
		if err != nil || got != tt.want {
			t.Errorf("Threshold(%v, %v, %d) = %d, %v; want %d", tt.eps, tt.delta, tt.n, got, err, tt.want)
		}
	}
}

func TestThresholdErrors(t *testing.T) {
	tests := []struct {
		eps, delta float64
		name       string
	}{
		{0, 0.1, "epsilon"},
		{1, 0.1, "epsilon"},
		{-0.5, 0.1, "epsilon"},
		{math.NaN(), 0.1, "epsilon"},
		{0.5, 0, "delta"},
		{0.5, 1, "delta"},
		{0.5, math.Inf(1), "delta"},
		{1e-6, 0.1, "MaxThreshold"},
	}
	for _, tt := range tests {
		_, err := Threshold(tt.eps, tt.delta, 1000)
		if err == nil || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("Threshold(%v, %v, 1000) error = %v, want one naming %s", tt.eps, tt.delta, err, tt.name)
		}
	}
}
