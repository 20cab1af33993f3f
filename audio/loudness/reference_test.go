package loudness

import (
	"math"

	"routinecast/internal/dsp"
)

// refTruePeakIn is a slow, near-ideal true peak, for checking the meter and
// ffmpeg: the peak of the band-limited signal through x (silence around
// it), 32x oversampled with a Kaiser-windowed sinc (β 12) reaching 64
// samples each way, between samples from and to only.
func refTruePeakIn(x []float64, from, to int) float64 {
	const L, half = 32, 64 // half: input samples each side
	beta := 12.0
	i0 := dsp.BesselI0(beta)
	peak := 0.0
	for j := from; j < to; j++ {
		for p := range L {
			t := float64(j) + float64(p)/L
			var v float64
			for k := j - half; k <= j+half; k++ {
				if k < 0 || k >= len(x) {
					continue
				}
				d := t - float64(k)
				s := 1.0
				if d != 0 {
					s = math.Sin(math.Pi*d) / (math.Pi * d)
				}
				r := d / (half + 1)
				w := dsp.BesselI0(beta*math.Sqrt(max(1-r*r, 0))) / i0
				v += x[k] * s * w
			}
			peak = math.Max(peak, math.Abs(v))
		}
	}
	return peak
}
