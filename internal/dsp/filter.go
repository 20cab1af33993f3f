package dsp

import "math"

// Biquad is a second-order IIR section, a0 normalised to 1, with its memory:
// the one filter section of the program (the loudness meter runs the same
// coefficients in a loop of its own, fused for speed).
type Biquad struct {
	B0, B1, B2, A1, A2 float64
	x1, x2, y1, y2     float64
}

// Step filters one sample (direct form I).
func (f *Biquad) Step(x float64) float64 {
	y := f.B0*x + f.B1*f.x1 + f.B2*f.x2 - f.A1*f.y1 - f.A2*f.y2
	f.x2, f.x1, f.y2, f.y1 = f.x1, x, f.y1, y
	return y
}

// Butterworth is a second-order Butterworth high-pass (or low-pass) at fc
// hertz, for a sample rate of sr, by the bilinear transform with
// pre-warping.
func Butterworth(sr, fc float64, high bool) Biquad {
	k := math.Tan(math.Pi * fc / sr)
	q := math.Sqrt2 / 2
	norm := 1 / (1 + k/q + k*k)
	f := Biquad{A1: 2 * (k*k - 1) * norm, A2: (1 - k/q + k*k) * norm}
	if high {
		f.B0, f.B1, f.B2 = norm, -2*norm, norm
	} else {
		f.B0 = k * k * norm
		f.B1, f.B2 = 2*f.B0, f.B0
	}
	return f
}

// The core of the program's two peak limiters (the export's, streaming and
// seekable, and the one that levels each rendered clip): r(j), the gain each
// sample needs to stay under the ceiling; h, the least r over a window that
// reaches ahead of each sample, so the gain is down before a peak; and the
// gain, the mean of h over a window around each sample. Every value in that
// mean is at most what a peak needs, so the peak ends under the ceiling, and
// the gain moves in smooth ramps.

// MinOver sets dst[i] to the least of src[i+lo .. i+hi], both ends included
// and the window cut to src, for every i of dst; every window must hold a
// sample of src (lo <= hi, and i+lo < len(src) for the last i). dq is
// scratch of at least len(src) (nil: allocated).
func MinOver(dst, src []float64, lo, hi int, dq []int) {
	if len(dq) < len(src) {
		dq = make([]int, len(src))
	}
	// A monotonic queue of indices into src, dq[head:tail], whose values
	// increase: its head is the window's least.
	head, tail, next := 0, 0, 0
	for i := range dst {
		for ; next < len(src) && next <= i+hi; next++ {
			for tail > head && src[dq[tail-1]] >= src[next] {
				tail--
			}
			dq[tail] = next
			tail++
		}
		for dq[head] < i+lo {
			head++
		}
		dst[i] = src[dq[head]]
	}
}

// MeanOver sets dst[i] to the mean of src[i+lo .. i+hi], both ends included
// and the window cut to src, for every i of dst (each window holding a
// sample of src, as for MinOver): a running sum, which a
// window moving by one sample updates by the difference of what enters and
// what leaves.
func MeanOver(dst, src []float64, lo, hi int) {
	var sum float64
	a, b := 0, 0 // src[a:b] is summed
	for i := range dst {
		na, nb := max(0, min(len(src), i+lo)), max(0, min(len(src), i+hi+1))
		for ; b < nb && a < na; a, b = a+1, b+1 {
			sum += src[b] - src[a]
		}
		for ; b < nb; b++ {
			sum += src[b]
		}
		for ; a < na; a++ {
			sum -= src[a]
		}
		dst[i] = sum / float64(b-a)
	}
}
