// Package dsp holds the signal arithmetic shared across packages, so that
// each exists once: the filter design of the resamplers and the true-peak
// meter, the clipping of samples before the MP3 encoder and the player, the
// conversion between decibels and gain, the filter section, and the core of
// the peak limiters.
package dsp

import "math"

// Clip keeps a sample within [-1, 1]; NaN becomes silence.
func Clip(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x < -1:
		return -1
	case x == x:
		return x
	}
	return 0 // NaN
}

// BesselI0 is the modified Bessel function of the first kind, order zero,
// by its power series (it converges fast for the arguments window design
// uses).
func BesselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 100; k++ {
		term *= (x / 2) / float64(k)
		sum += term * term
		if term*term < sum*1e-17 {
			break
		}
	}
	return sum
}

// KaiserSinc builds an interpolation table of phases rows of 2·half taps:
// row p interpolates at fraction p/phases between two source samples, with
// taps for the offsets -half+1 .. half around the earlier one. fc is the
// cut-off relative to the source's Nyquist frequency and beta the Kaiser
// window's shape. Each row is scaled to unit gain at DC.
func KaiserSinc(phases, half int, fc, beta float64) []float64 {
	t := make([]float64, phases*2*half)
	i0b := BesselI0(beta)
	for p := 0; p < phases; p++ {
		frac := float64(p) / float64(phases)
		row := t[p*2*half : (p+1)*2*half]
		var sum float64
		for j := -half + 1; j <= half; j++ {
			x := float64(j) - frac
			v := fc
			if x != 0 {
				v = math.Sin(math.Pi*fc*x) / (math.Pi * x)
			}
			r := x / float64(half)
			w := 0.0
			if r*r < 1 {
				w = BesselI0(beta*math.Sqrt(1-r*r)) / i0b
			}
			row[j+half-1] = v * w
			sum += v * w
		}
		for k := range row {
			row[k] /= sum
		}
	}
	return t
}

// Gain is the amplitude factor of a level change of db decibels: 0 dB is 1,
// -6 dB about one half.
func Gain(db float64) float64 { return math.Pow(10, db/20) }

// Decibels is the level of amplitude factor g in decibels, the inverse of
// Gain; 0 is -Inf.
func Decibels(g float64) float64 { return 20 * math.Log10(g) }

// Grow returns (*b)[:n], reallocating when it is too short: the scratch
// buffers the renderers and meters reuse from chunk to chunk.
func Grow[T any](b *[]T, n int) []T {
	if cap(*b) < n {
		*b = make([]T, n)
	}
	*b = (*b)[:n]
	return *b
}
