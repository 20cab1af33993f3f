package loudness

import (
	"math"
	"testing"
)

// TestGatedPieces: a stream measured in pieces, each with its filter warmed
// up on the WarmupSamples before it, and its sub-block energies added, gives
// the meter's integrated loudness.
func TestGatedPieces(t *testing.T) {
	const rate = 44100
	for _, n := range []int{rate / 5, rate*2 + 17, rate * 20} {
		x := make([][2]float64, n)
		seed := uint32(1)
		for i := range x {
			seed = seed*1664525 + 1013904223
			noise := float64(int32(seed))/(1<<31) - 0
			env := 0.5 + 0.5*math.Sin(float64(i)/float64(rate)*2.1) // loud and quiet stretches
			v := env * env * (0.3*math.Sin(float64(i)*0.05) + 0.1*noise)
			x[i] = [2]float64{v, v}
		}
		m := NewMeter(rate, 1)
		m.Write(x)
		want := m.Integrated()

		sub := make([]float64, SubBlocks(int64(n), rate))
		e := make([]float64, n)
		warm := WarmupSamples(rate)
		for a := 0; a < n; a += 30011 { // pieces that do not fall on sub-blocks
			b := min(n, a+30011)
			lo := max(0, a-warm)
			f := NewKFilter(rate)
			f.Energy(x[lo:b], 0, e, false)
			for i := a; i < b; i++ {
				sub[SubBlockOf(int64(i), rate)] += e[i-lo]
			}
		}
		got := Gated(sub, rate, int64(n))
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%d samples: pieces give %.9f LUFS, the meter %.9f", n, got, want)
		}
	}
}
