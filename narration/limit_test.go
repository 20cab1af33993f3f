package narration

import (
	"math"
	"math/rand/v2"
	"testing"

	"routinecast/audio"
)

// TestLimitClip gives a clip of steady noise one loud word-length burst, as
// a stressed short word is, and checks that limitClip leaves it at the
// target loudness with no sample over target + maxPLR, and that a clip whose
// peaks are already under that is only brought to its loudness.
func TestLimitClip(t *testing.T) {
	const sr = 24000
	r := rand.New(rand.NewPCG(3, 4))
	mk := func(burst float64) *audio.Clip {
		s := make([][2]float64, sr) // 1 s
		for i := range s {
			v := 0.05 * r.NormFloat64()
			if i >= sr/2 && i < sr/2+sr/10 {
				v *= burst
			}
			s[i] = [2]float64{v, v}
		}
		return &audio.Clip{Rate: sr, Channels: 1, Samples: s}
	}
	const target = -20.0
	for _, tc := range []struct {
		name  string
		burst float64
	}{{"peaky", 12}, {"even", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			c := mk(tc.burst)
			if err := normalize(c, target); err != nil {
				t.Fatal(err)
			}
			if err := limitClip(c, target); err != nil {
				t.Fatal(err)
			}
			var peak float64
			for _, v := range c.Samples {
				peak = max(peak, math.Abs(v[0]))
			}
			if db := 20 * math.Log10(peak); db > target+maxPLR+0.01 {
				t.Errorf("peak %.2f dBFS, want at most %.1f", db, target+maxPLR)
			}
			if l := loudnessOf(c); math.Abs(l-target) > 0.15 {
				t.Errorf("%.2f LUFS, want %.1f", l, target)
			}
		})
	}
}
