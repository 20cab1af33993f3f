package mixer

import (
	"math"
	"testing"
)

// A swell's interpolated envelope stays with the exact one, and a read that
// starts anywhere gives the same values.
func TestEnvelopeRun(t *testing.T) {
	for _, e := range []Event{
		{Kind: BreatheIn, Start: 1000, End: 1000 + 4*44100, From: 0, To: 1, FadeIn: 441, FadeOut: 300},
		{Kind: BreatheOut, Start: 7, End: 7 + 3*44100 + 17, From: 1, To: 0, FadeIn: 200, FadeOut: 441},
		{Kind: BreatheIn, Start: 0, End: 90, From: 0.2, To: 0.9, FadeIn: 40, FadeOut: 40},
	} {
		n := e.Len()
		whole := make([]float64, n)
		envelopeRun(&e, 0, whole)
		worst := 0.0
		for k, v := range whole {
			worst = max(worst, math.Abs(v-envelope(&e, k)))
		}
		if worst > 1e-6 {
			t.Errorf("%v over %d samples: the interpolated envelope is up to %.2g off the exact one", e.Kind, n, worst)
		}
		for _, k0 := range []int{1, 31, 33, 1000, n - 500, n - 1} {
			if k0 < 0 || k0 >= n {
				continue
			}
			part := make([]float64, min(777, n-k0))
			envelopeRun(&e, k0, part)
			for j, v := range part {
				if v != whole[k0+j] {
					t.Fatalf("%v: sample %d read from %d is %v, read from 0 %v", e.Kind, k0+j, k0, v, whole[k0+j])
				}
			}
		}
	}
}
