package loudness

import (
	"math"

	"routinecast/internal/dsp"
)

// KFilter is the K-weighting filter of one channel, for measuring a stream
// in pieces: a piece that starts with the filter run over the WarmupSamples
// before it gives the energies a meter of the whole stream gives, to within
// rounding (the filter's memory decays by many orders of magnitude in that
// time).
type KFilter struct {
	shelf, hp dsp.Biquad
	z         [4]float64
}

// NewKFilter returns the K-weighting filter at a sample rate.
func NewKFilter(rate int) *KFilter {
	f := &KFilter{}
	f.shelf, f.hp = kWeighting(float64(rate))
	return f
}

// WarmupSamples is how much input before a piece a KFilter needs: 0.2 s,
// in which the high-pass stage's memory (the slower one, a double pole
// near 38 Hz) decays by more than 40 orders of magnitude in energy.
func WarmupSamples(rate int) int { return rate / 5 }

// Energy filters channel c of x and stores the squared output of each
// sample in e (len(e) >= len(x)), or adds it when add is set.
func (f *KFilter) Energy(x [][2]float64, c int, e []float64, add bool) {
	for len(x) > 0 {
		if f.z == [4]float64{} {
			// At rest and fed zeros (the pauses of a guided routine are
			// digital silence), the filter gives zeros and stays at rest.
			k := 0
			for k < len(x) && x[k][c] == 0 {
				k++
			}
			if !add {
				clear(e[:k])
			}
			x, e = x[k:], e[k:]
		}
		n := min(len(x), energyChunk)
		f.energy(x[:n], c, e[:n], add)
		x, e = x[n:], e[n:]
	}
}

// energyChunk is how often the filter's memory is checked for decay below
// any audible consequence (and then set to rest).
const energyChunk = 256

func (f *KFilter) energy(x [][2]float64, c int, e []float64, add bool) {
	s, h, z := f.shelf, f.hp, f.z
	for i, v := range x {
		in := v[c]
		// Two biquads in transposed direct form II.
		y := s.B0*in + z[0]
		z[0] = s.B1*in - s.A1*y + z[1]
		z[1] = s.B2*in - s.A2*y
		u := h.B0*y + z[2]
		z[2] = h.B1*y - h.A1*u + z[3]
		z[3] = h.B2*y - h.A2*u
		if add {
			e[i] += u * u
		} else {
			e[i] = u * u
		}
	}
	// Keep the state out of the denormal range after silence, where
	// arithmetic slows down a hundredfold, and let silence find the filter
	// at rest: a memory under 1e-20 adds under 1e-40 of energy per sample,
	// 400 dB below anything that counts.
	for i, v := range z {
		if math.Abs(v) < 1e-20 {
			z[i] = 0
		}
	}
	f.z = z
}

// SubBlockStart is the first sample of 100 ms sub-block i at a rate, as
// Meter counts them (rounded down, so that every rate adds up exactly).
func SubBlockStart(i int64, rate int) int64 { return i * int64(rate) / 10 }

// SubBlocks is the number of sub-blocks a stream of length samples touches
// (the last may be partial).
func SubBlocks(length int64, rate int) int64 {
	n := length * 10 / int64(rate)
	if SubBlockStart(n, rate) < length {
		n++
	}
	return n
}

// Gated returns the integrated loudness (LUFS) of a stream of length
// samples from the K-weighted energy of each of its sub-blocks (the sum over
// their samples of every channel's squared K-weighted value; sub[i] covers
// [SubBlockStart(i), SubBlockStart(i+1)), the last one possibly partial):
// what Meter.Integrated gives for the same stream, but from sums that
// pieces of the stream measured apart add up to.
func Gated(sub []float64, rate int, length int64) float64 {
	complete := int64(len(sub))
	if complete > 0 && SubBlockStart(complete, rate) > length {
		complete-- // the last one is partial
	}
	if complete < 4 {
		if length == 0 {
			return math.Inf(-1)
		}
		var e float64
		for _, v := range sub {
			e += v
		}
		return gate([]float64{e / float64(length)})
	}
	blocks := make([]float64, 0, complete-3)
	for i := int64(3); i < complete; i++ {
		e := sub[i-3] + sub[i-2] + sub[i-1] + sub[i]
		n := SubBlockStart(i+1, rate) - SubBlockStart(i-3, rate)
		blocks = append(blocks, e/float64(n))
	}
	return gate(blocks)
}

// gate applies BS.1770's absolute and relative gates to block mean squares
// and returns the loudness of the blocks that pass.
func gate(blocks []float64) float64 {
	absZ := energy(absoluteGate)
	var sum float64
	var n int
	for _, z := range blocks {
		if z > absZ {
			sum += z
			n++
		}
	}
	if n == 0 {
		return math.Inf(-1)
	}
	relZ := energy(loudness(sum/float64(n)) + relativeGate)
	sum, n = 0, 0
	for _, z := range blocks {
		if z > absZ && z > relZ {
			sum += z
			n++
		}
	}
	if n == 0 {
		return math.Inf(-1)
	}
	return loudness(sum / float64(n))
}

// SubBlockOf is the sub-block sample s falls in.
func SubBlockOf(s int64, rate int) int64 { return (10*s + 9) / int64(rate) }

// PeakMeter is the true-peak meter of one channel, for measuring a stream in
// pieces: primed with the last samples before its piece, it finds exactly
// the interpolated points that a meter of the whole stream finds there.
type PeakMeter struct{ d peakDetector }

// PeakHistory is how many samples before a piece Prime needs.
const PeakHistory = phaseTaps

// Prime feeds channel c of the samples before the piece, without measuring
// them.
func (p *PeakMeter) Prime(x [][2]float64, c int) {
	p.d.write(x, c)
	p.d.sample, p.d.truePk = 0, 0
}

// Floor makes the meter skip what cannot rise above f (linear): Peak then
// returns f unless some point exceeds it. When the peak is known to be near
// a level (a limited track's ceiling), a floor a little under it saves
// interpolating most of the stream.
func (p *PeakMeter) Floor(f float64) { p.d.truePk = max(p.d.truePk, f) }

// Write measures channel c of x.
func (p *PeakMeter) Write(x [][2]float64, c int) {
	// In short runs: a run too quiet to raise the peak is skipped whole.
	for len(x) > 0 {
		n := min(len(x), 64)
		p.d.write(x[:n], c)
		x = x[n:]
	}
}

// Peak returns the largest true peak so far (linear). With end, it counts
// the points after the last sample too, as if silence followed: for the
// last piece of a stream.
func (p *PeakMeter) Peak(end bool) float64 {
	if end {
		return p.d.truePeak()
	}
	return max(p.d.truePk, p.d.sample)
}
