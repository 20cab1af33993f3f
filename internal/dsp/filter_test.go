package dsp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWindowsAgainstTheirDefinition: MinOver and MeanOver give, for every
// sample, the least and the mean of its window as written out, for windows
// behind, around and ahead of the sample, cut at the ends.
func TestWindowsAgainstTheirDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]float64, 300)
	for i := range src {
		src[i] = rng.Float64()
	}
	for _, w := range [][2]int{{0, 0}, {0, 7}, {-5, 5}, {-12, 3}, {-40, 40}, {2, 9}} {
		lo, hi := w[0], w[1]
		for _, n := range []int{len(src) - max(0, lo), len(src) - max(0, hi)} {
			gotMin, gotMean := make([]float64, n), make([]float64, n)
			MinOver(gotMin, src, lo, hi, nil)
			MeanOver(gotMean, src, lo, hi)
			for i := range n {
				least, sum, k := math.Inf(1), 0.0, 0
				for j := max(0, i+lo); j <= min(len(src)-1, i+hi); j++ {
					least = min(least, src[j])
					sum += src[j]
					k++
				}
				if gotMin[i] != least {
					t.Fatalf("window [%d,%d], %d samples: least at %d is %v, want %v", lo, hi, n, i, gotMin[i], least)
				}
				if math.Abs(gotMean[i]-sum/float64(k)) > 1e-12 {
					t.Fatalf("window [%d,%d], %d samples: mean at %d is %v, want %v", lo, hi, n, i, gotMean[i], sum/float64(k))
				}
			}
		}
	}
}

// TestButterworth: the high-pass passes what is far above its corner and
// stops DC; the low-pass the reverse; both are 3 dB down at the corner.
func TestButterworth(t *testing.T) {
	const sr = 48000.0
	gainAt := func(f Biquad, hz float64) float64 {
		var peak float64
		for i := range 48000 {
			y := f.Step(math.Sin(2 * math.Pi * hz * float64(i) / sr))
			if i > 24000 {
				peak = max(peak, math.Abs(y))
			}
		}
		return Decibels(peak)
	}
	for _, tc := range []struct {
		high         bool
		hz, min, max float64
	}{
		{true, 1000, -3.2, -2.8}, {true, 10000, -0.5, 0.5}, {true, 50, -99, -45},
		{false, 1000, -3.2, -2.8}, {false, 50, -0.5, 0.5}, {false, 10000, -99, -35},
	} {
		got := gainAt(Butterworth(sr, 1000, tc.high), tc.hz)
		if got < tc.min || got > tc.max {
			t.Errorf("high=%v at %v Hz: %.2f dB, want %.1f to %.1f", tc.high, tc.hz, got, tc.min, tc.max)
		}
	}
}
