package loudness

import (
	"math"

	"routinecast/internal/dsp"
)

// True peak: the signal is upsampled 4x with a polyphase FIR interpolator
// and the largest magnitude of the upsampled signal taken, as BS.1770-4
// Annex 2 describes. The interpolation filter here is our own: a 65-tap
// Kaiser-windowed sinc (β 7, cut-off at the original Nyquist frequency), so
// that one phase is the input itself and the other three have 16 taps each,
// each phase scaled to unity gain at DC. Against sines it is within 0.005 dB
// of the sine's peak on the 4x grid up to 0.4·fs (the standard's 12-tap
// phases, and ours at 12, were within 0.05 dB); the tests check this. Like
// every 4x meter it reads below the continuous peak for content near
// Nyquist (up to 0.44 dB for a sine at 0.4·fs, more for white noise).
const (
	oversample  = 4
	phaseTaps   = PhaseTaps
	kaiserBeta  = 7.0
	filterTaps  = oversample*phaseTaps + 1
	filterDelay = phaseTaps / 2 // input samples
)

// PhaseTaps is the length of each phase of the true-peak interpolator.
const PhaseTaps = 16

// Phases returns the true-peak interpolator: Phases()[p-1] applied to
// samples x[j-7] .. x[j+8] (oldest first) gives the point p/4 of the way from
// x[j] to x[j+1]. The mixer's limiter estimates peaks with it, so that what it
// holds under its ceiling is what this meter reads.
func Phases() [oversample - 1][PhaseTaps]float64 { return phases }

// PhaseGain bounds the interpolator: no interpolated point exceeds
// PhaseGain() times the largest |sample| among its taps.
func PhaseGain() float64 { return phaseGain }

// phases[p-1][i] multiplies the i-th oldest of the last phaseTaps samples
// to give the p-th interpolated point (p = 1..3) between two of them.
var phases = designPhases()

func designPhases() (ph [oversample - 1][phaseTaps]float64) {
	var h [filterTaps]float64
	c := float64(filterTaps-1) / 2
	i0b := dsp.BesselI0(kaiserBeta)
	for n := range h {
		x := (float64(n) - c) / oversample
		sinc := 1.0
		if x != 0 {
			sinc = math.Sin(math.Pi*x) / (math.Pi * x)
		}
		r := (float64(n) - c) / c
		h[n] = sinc * dsp.BesselI0(kaiserBeta*math.Sqrt(max(1-r*r, 0))) / i0b
	}
	for p := 1; p < oversample; p++ {
		var sum float64
		for m := range phaseTaps {
			// Output 4j+p = sum over m of h[p+4m]·x[j-m]; store oldest first.
			ph[p-1][phaseTaps-1-m] = h[p+oversample*m]
			sum += h[p+oversample*m]
		}
		for i := range ph[p-1] {
			ph[p-1][i] /= sum
		}
	}
	return ph
}

// peakDetector tracks sample and true peak of one channel.
type peakDetector struct {
	hist   [2 * phaseTaps]float64 // the last samples, twice: see push
	w      int
	sample float64 // largest |x|
	truePk float64 // largest |interpolated|
}

// phaseGain bounds every interpolated point by the largest |sample| among the
// taps it is made of: no phase sums more than phaseGain times that.
var phaseGain = func() float64 {
	var g float64
	for p := range phases {
		var sum float64
		for _, h := range phases[p] {
			sum += math.Abs(h)
		}
		g = max(g, sum)
	}
	return g
}()

// write pushes channel c of a chunk of samples. A chunk too quiet to raise
// the true peak found so far (silence, quiet passages: much of a guided
// routine) only updates the history, which is exact, since no interpolated
// point can exceed phaseGain times the loudest sample it is made of.
func (d *peakDetector) write(chunk [][2]float64, c int) {
	if len(chunk) > phaseTaps {
		var m float64
		for _, h := range d.hist[:phaseTaps] {
			m = max(m, math.Abs(h))
		}
		for _, x := range chunk {
			m = max(m, math.Abs(x[c]))
		}
		if m*phaseGain <= d.truePk {
			d.sample = max(d.sample, m)
			for _, x := range chunk[len(chunk)-phaseTaps:] {
				d.w++
				if d.w == phaseTaps {
					d.w = 0
				}
				d.hist[d.w] = x[c]
				d.hist[d.w+phaseTaps] = x[c]
			}
			return
		}
	}
	for _, x := range chunk {
		d.push(x[c])
	}
}

// push adds a sample. It is written at w and w+phaseTaps, so that
// hist[w+1 : w+1+phaseTaps] always holds the last phaseTaps samples in order.
func (d *peakDetector) push(x float64) {
	d.w++
	if d.w == phaseTaps {
		d.w = 0
	}
	d.hist[d.w] = x
	d.hist[d.w+phaseTaps] = x
	if a := math.Abs(x); a > d.sample {
		d.sample = a
	}
	win := (*[phaseTaps]float64)(d.hist[d.w+1 : d.w+1+phaseTaps])
	for p := range phases {
		ph := &phases[p]
		var v0, v1 float64 // two sums: shorter dependency chains
		for i := 0; i < phaseTaps; i += 2 {
			v0 += ph[i] * win[i]
			v1 += ph[i+1] * win[i+1]
		}
		if a := math.Abs(v0 + v1); a > d.truePk {
			d.truePk = a
		}
	}
}

// truePeak returns the true peak so far, including the interpolated points
// after the last sample, as if silence followed.
func (d *peakDetector) truePeak() float64 {
	tail := *d
	for range phaseTaps {
		tail.push(0)
	}
	return max(tail.truePk, d.sample)
}
