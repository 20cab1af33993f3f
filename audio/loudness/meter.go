package loudness

import (
	"fmt"
	"math"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

// Gates of BS.1770-4.
const (
	absoluteGate = -70.0 // LUFS
	relativeGate = -10.0 // LU below the absolute-gated loudness
)

// Meter measures loudness and peaks of a stream fed to it in pieces.
type Meter struct {
	rate     int
	channels int
	k        [2]*KFilter
	peaks    [2]peakDetector
	noPeaks  bool // Integrated's meter: loudness only

	pos    int64      // samples written
	subEnd int64      // position where the current 100 ms sub-block ends
	nSub   int64      // complete sub-blocks
	acc    float64    // weighted energy of the current sub-block
	sub    [4]float64 // energy of the last four sub-blocks
	subLen [4]int64   // and their lengths
	blocks []float64  // mean square of every 400 ms block

	scratch [1024]float64 // per-sample energy of the chunk in hand
}

// NewMeter returns a meter for a stream of the given sample rate and
// channels (1 or 2; beep's second channel is ignored for mono).
func NewMeter(sampleRate, channels int) *Meter {
	if sampleRate < 1000 || channels < 1 || channels > 2 {
		panic(fmt.Sprintf("loudness: NewMeter(%d Hz, %d channels)", sampleRate, channels))
	}
	m := &Meter{rate: sampleRate, channels: channels}
	m.k = [2]*KFilter{NewKFilter(sampleRate), NewKFilter(sampleRate)}
	m.subEnd = m.subBlockEnd(0)
	return m
}

// subBlockEnd is where sub-block i ends: 100 ms steps, rounded down, so that
// rates not divisible by 10 still add up exactly.
func (m *Meter) subBlockEnd(i int64) int64 { return (i + 1) * int64(m.rate) / 10 }

// Write feeds samples (beep's layout) to the meter.
func (m *Meter) Write(samples [][2]float64) {
	for len(samples) > 0 {
		n := min(len(samples), len(m.scratch))
		m.write(samples[:n])
		samples = samples[n:]
	}
}

// write handles a chunk of at most len(m.scratch) samples: each channel is
// filtered in turn, its squares summed into scratch, then the sums are
// split into sub-blocks.
func (m *Meter) write(chunk [][2]float64) {
	e := m.scratch[:len(chunk)]
	for c := range m.channels {
		if !m.noPeaks {
			m.peaks[c].write(chunk, c)
		}
		m.k[c].Energy(chunk, c, e, c > 0) // channel weight 1.0 for L, R and mono
	}
	for _, v := range e {
		m.acc += v
		m.pos++
		if m.pos == m.subEnd {
			m.endSubBlock()
		}
	}
}

func (m *Meter) endSubBlock() {
	i := m.nSub % 4
	m.sub[i] = m.acc
	m.subLen[i] = m.subEnd - m.subBlockEndBefore()
	m.acc = 0
	m.nSub++
	m.subEnd = m.subBlockEnd(m.nSub)
	if m.nSub >= 4 {
		var e float64
		var n int64
		for k := range 4 {
			e += m.sub[k]
			n += m.subLen[k]
		}
		m.blocks = append(m.blocks, e/float64(n))
	}
}

// subBlockEndBefore is where the sub-block just completed began.
func (m *Meter) subBlockEndBefore() int64 {
	if m.nSub == 0 {
		return 0
	}
	return m.subBlockEnd(m.nSub - 1)
}

// Integrated returns the integrated loudness of everything written so far,
// in LUFS, or -Inf when every block falls below the gates (silence).
//
// BS.1770 needs at least one whole 400 ms block. Narration has shorter clips
// (a counted "one"), so a stream shorter than 400 ms is measured as a single
// block of its whole length, through the same gates.
func (m *Meter) Integrated() float64 {
	blocks := m.blocks
	if len(blocks) == 0 {
		var e float64
		for k := range int(min(m.nSub, 4)) {
			e += m.sub[k]
		}
		if m.pos == 0 {
			return math.Inf(-1)
		}
		blocks = []float64{(e + m.acc) / float64(m.pos)}
	}
	return gate(blocks)
}

// Integrated returns the integrated loudness of samples in LUFS, as a Meter
// fed them would, without the cost of measuring their peaks (four times
// oversampled, the larger part of a meter's work).
func Integrated(samples [][2]float64, sampleRate, channels int) float64 {
	m := NewMeter(sampleRate, channels)
	m.noPeaks = true
	m.Write(samples)
	return m.Integrated()
}

// loudness converts a weighted mean square to LUFS.
func loudness(z float64) float64 { return -0.691 + 10*math.Log10(z) }

// energy is the inverse of loudness.
func energy(lufs float64) float64 { return math.Pow(10, (lufs+0.691)/10) }

// TruePeak returns the largest true peak of any channel so far, in dBTP.
func (m *Meter) TruePeak() float64 {
	var p float64
	for c := range m.channels {
		p = max(p, m.peaks[c].truePeak())
	}
	return dsp.Decibels(p)
}

// SamplePeak returns the largest sample magnitude so far, in dBFS.
func (m *Meter) SamplePeak() float64 {
	var p float64
	for c := range m.channels {
		p = max(p, m.peaks[c].sample)
	}
	return dsp.Decibels(p)
}

// Result is a complete measurement.
type Result struct {
	Integrated float64 // integrated loudness, LUFS (-Inf for silence)
	TruePeak   float64 // dBTP
	SamplePeak float64 // dBFS
	Samples    int64   // samples measured
}

// Result returns the measurement of everything written so far.
func (m *Meter) Result() Result {
	return Result{Integrated: m.Integrated(), TruePeak: m.TruePeak(), SamplePeak: m.SamplePeak(), Samples: m.pos}
}

// Measure streams s to its end through a Meter. It returns s's error, if
// any, with the measurement of what came before it.
func Measure(s beep.Streamer, sampleRate, channels int) (Result, error) {
	if sampleRate < 1000 || channels < 1 || channels > 2 {
		return Result{}, fmt.Errorf("loudness: cannot measure %d channels at %d Hz", channels, sampleRate)
	}
	m := NewMeter(sampleRate, channels)
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		m.Write(buf[:n])
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return m.Result(), fmt.Errorf("loudness: %w", err)
	}
	return m.Result(), nil
}
