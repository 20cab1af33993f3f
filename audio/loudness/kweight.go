package loudness

import (
	"math"

	"routinecast/internal/dsp"
)

// The K-weighting analogue prototype (BS.1770-4 Annex 1 gives the digital
// filters at 48 kHz only). A high shelf of +4 dB above about 1.7 kHz models
// the head, a second-order high-pass at 38 Hz (RLB weighting) the ear's low
// end. The constants reproduce the standard's 48 kHz coefficients to about
// 1e-15 through the bilinear transform with pre-warping.
const (
	shelfF0   = 1681.974450955533
	shelfGain = 3.999843853973347 // dB
	shelfQ    = 0.7071752369554196
	// shelfVbExp shapes the shelf's transition: the mid-band gain is
	// Vh^shelfVbExp (close to the geometric mean, Vh^0.5).
	shelfVbExp = 0.4996667741545416
	highpassF0 = 38.13547087602444
	highpassQ  = 0.5003270373238773
)

// kWeighting returns the two stages of the K-weighting filter for a sample
// rate.
func kWeighting(rate float64) (shelf, highpass dsp.Biquad) {
	k := math.Tan(math.Pi * shelfF0 / rate)
	vh := dsp.Gain(shelfGain)
	vb := math.Pow(vh, shelfVbExp)
	a0 := 1 + k/shelfQ + k*k
	shelf = dsp.Biquad{
		B0: (vh + vb*k/shelfQ + k*k) / a0,
		B1: 2 * (k*k - vh) / a0,
		B2: (vh - vb*k/shelfQ + k*k) / a0,
		A1: 2 * (k*k - 1) / a0,
		A2: (1 - k/shelfQ + k*k) / a0,
	}
	k = math.Tan(math.Pi * highpassF0 / rate)
	a0 = 1 + k/highpassQ + k*k
	highpass = dsp.Biquad{
		// The standard's numerator is 1, -2, 1, unnormalised: the
		// pass-band gain is then slightly above 1, and the -0.691 dB
		// in the loudness formula accounts for both stages at 1 kHz.
		B0: 1,
		B1: -2,
		B2: 1,
		A1: 2 * (k*k - 1) / a0,
		A2: (1 - k/highpassQ + k*k) / a0,
	}
	return shelf, highpass
}
