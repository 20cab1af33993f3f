package mixer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"routinecast/audio/loudness"
	"routinecast/internal/dsp"
	"routinecast/internal/ordered"
)

// One measuring pass instead of a render per guess: the track is rendered
// once at unity gain, and besides the K-weighted energy of every 100 ms
// sub-block it records how much of that energy sits under each level of the
// limiter's peak envelope. The limiter's gain at a sample is
// min(1, θ/M) for a unity-level ceiling θ (the ceiling over the gain) and M
// the largest true-peak estimate within its hold and look-ahead, so the
// energy the limiter leaves in a sub-block at any gain follows from that
// histogram (treating the limiter's short ramps as steps and its gain as
// applied after the K-weighting: both move the result by hundredths of an LU).
// Solve then finds the gain that meets the target without rendering again.

// measureSegment is the length of the pieces the measuring pass renders on
// every core. It is fixed, so that the result does not depend on how many
// cores there are.
const measureSegment = 1 << 17

// Gains (dB) at which the limited energy of loud sub-blocks is kept.
const (
	gridStep = 1.0
	gridSpan = 6.0 // on each side of the hint
)

// Bins of the peak envelope: binsPerOctave a factor of two above the lowest
// level that can reach the ceiling at the grid's highest gain.
const (
	binsPerOctave = 32
	envelopeBins  = 16 * binsPerOctave
)

// binLevel is the level each bin stands for, over the lowest level.
var binLevel = func() (l [envelopeBins]float64) {
	for b := range l {
		l[b] = math.Exp2((float64(b) + 0.5) / binsPerOctave)
	}
	return l
}()

// envChunk is the run of samples that share one envelope value.
const envChunk = 16

// MeasureOptions say how to measure.
type MeasureOptions struct {
	// Hint is the gain in dB the track is expected to need, within a few dB
	// (from the voice's clip loudness, say). Solve finds gains within 6 dB of
	// it; NaN means unknown (a wider range).
	Hint float64
	// Ceiling is the limiter's ceiling in dBTP; 0 means RenderOptions' default.
	Ceiling float64
	// Workers is how many segments are rendered at once; 0 means GOMAXPROCS.
	// The measurement is the same for any number.
	Workers int
	// Progress, if set, is told the samples measured so far, as segments
	// finish.
	Progress func(done int64)
}

// Measurement is what one pass over a timeline at unity gain found: enough
// to tell the integrated loudness at any gain, with the limiter at work.
type Measurement struct {
	rate    int
	length  int64
	ceiling float64 // dBTP
	lo      float64 // gain of grid point 0, dB
	step    float64
	points  int
	sub     []float64   // K-weighted energy at unity per sub-block
	limited [][]float32 // per sub-block, its energy at each grid gain (relative to the gain), or nil where the limiter cannot act
	peak    float64     // largest true-peak estimate at unity, linear
	subPeak []float32   // per sub-block, its largest true-peak estimate at unity (rounded up), or 0
	// floor is the unity level under which estimates were not made: every
	// sample not counted in subPeak has its estimate at or under it.
	floor float64
}

// ErrOutOfRange is returned by Solve when the gain lies outside the range
// the measurement covers: measure again with that gain as the hint.
var ErrOutOfRange = errors.New("mixer: the gain is outside the measured range")

// Measure renders the timeline once at unity gain, on every core, and
// measures it. Cancelling ctx stops it.
func Measure(ctx context.Context, tl *Timeline, clips Clips, mo MeasureOptions) (*Measurement, error) {
	if tl == nil || tl.Length <= 0 || tl.SampleRate <= 0 {
		return nil, errors.New("mixer: no timeline to measure")
	}
	ceiling := mo.Ceiling
	if ceiling == 0 {
		ceiling = DefaultCeiling(tl)
	}
	m := &Measurement{rate: int(tl.SampleRate), length: int64(tl.Length), ceiling: ceiling, step: gridStep}
	if math.IsNaN(mo.Hint) || math.IsInf(mo.Hint, 0) {
		m.lo, m.points = -24, 61
	} else {
		m.lo, m.points = mo.Hint-gridSpan, int(2*gridSpan/gridStep)+1
	}
	n := int((m.length + measureSegment - 1) / measureSegment)
	m.sub = make([]float64, loudness.SubBlocks(m.length, m.rate))
	m.limited = make([][]float32, len(m.sub))
	m.subPeak = make([]float32, len(m.sub))
	m.floor = m.thetaAt(m.points - 1)
	// Buffers go from segment to segment, and are dropped with the pool
	// when the pass is over.
	bufs := &sync.Pool{New: func() any { return new(measureBuf) }}
	err := ordered.Run(ctx, n, mo.Workers, func(i int) (*segMeasure, error) {
		return m.measureSegment(tl, clips, int64(i)*measureSegment, bufs)
	}, func(i int, s *segMeasure) error {
		m.merge(s)
		if mo.Progress != nil {
			mo.Progress(min(m.length, int64(i+1)*measureSegment))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// segMeasure is one segment's share of a Measurement.
type segMeasure struct {
	first   int64 // its first sub-block
	sub     []float64
	limited [][]float32
	peak    float64
	subPeak []float32
}

func (m *Measurement) merge(s *segMeasure) {
	m.peak = max(m.peak, s.peak)
	for k, e := range s.sub {
		i := s.first + int64(k)
		m.subPeak[i] = max(m.subPeak[i], s.subPeak[k])
		row := s.limited[k]
		if row == nil && m.limited[i] != nil {
			row = flatRow(e, m.points)
		}
		if row != nil {
			if m.limited[i] == nil {
				m.limited[i] = flatRow(m.sub[i], m.points)
			}
			for p, v := range row {
				m.limited[i][p] += v
			}
		}
		m.sub[i] += e
	}
}

func flatRow(e float64, n int) []float32 {
	r := make([]float32, n)
	for i := range r {
		r[i] = float32(e)
	}
	return r
}

// thetaAt is the unity-level ceiling at grid point p: the level that the
// gain there brings to the ceiling.
func (m *Measurement) thetaAt(p int) float64 {
	return dsp.Gain(m.ceiling - (m.lo + float64(p)*m.step))
}

// measureSegment renders [a, a+measureSegment) with what the K-weighting and
// the limiter's envelope need around it, and measures it.
func (m *Measurement) measureSegment(tl *Timeline, clips Clips, a int64, bufs *sync.Pool) (*segMeasure, error) {
	b := min(m.length, a+measureSegment)
	lspan, rspan := limiterSpans(tl.SampleRate)
	pre := int64(max(loudness.WarmupSamples(m.rate), rspan+tpHalf))
	post := int64(lspan + tpHalf + 1)
	lo, hi := a-pre, b+post
	buf := bufs.Get().(*measureBuf)
	defer bufs.Put(buf)
	x := dsp.Grow(&buf.x, int(hi-lo))
	clear(x)
	if err := renderRange(tl, clips, RenderOptions{NoLimit: true}, max(0, lo), min(m.length, hi), x[max(0, -lo):]); err != nil {
		return nil, err
	}
	nch := tl.Channels

	// K-weighted energy per sample, then per sub-block of [a, b).
	e := dsp.Grow(&buf.e, len(x))
	for c := range nch {
		loudness.NewKFilter(m.rate).Energy(x, c, e, c > 0)
	}
	s := &segMeasure{first: loudness.SubBlockOf(a, m.rate)}
	last := loudness.SubBlockOf(b-1, m.rate)
	s.sub = make([]float64, last-s.first+1)
	s.limited = make([][]float32, len(s.sub))
	s.subPeak = make([]float32, len(s.sub))

	// The limiter's true-peak estimate, where it can reach the lowest
	// unity-level ceiling, for samples [a-R, b+L]: kept as the largest of
	// each run of envChunk samples (for the envelope below) and of each
	// sub-block of [a, b).
	floor := m.thetaAt(m.points - 1)
	quiet := floor / tpSumAbs
	base0 := a - int64(rspan) // the sample of estimate 0
	n := int((b + int64(lspan)) - base0 + 1)
	nc := (n + envChunk - 1) / envChunk
	tc := dsp.Grow(&buf.tc, nc)
	clear(tc)
	subPeak := make([]float64, len(s.sub))
	k, kStart, kEnd := 0, loudness.SubBlockStart(s.first, m.rate), loudness.SubBlockStart(s.first+1, m.rate)
	cm := chunkMaximaInto(dsp.Grow(&buf.cm, (len(x)+tpChunk-1)/tpChunk), x, nch)
	forLoud(cm, int(base0-lo), n, quiet, func(i, j int) {
		t := peakAt(x, j, nch)
		s.peak = max(s.peak, t)
		if c := i / envChunk; t > tc[c] {
			tc[c] = t
		}
		if at := base0 + int64(i); at >= a && at < b {
			for at >= kEnd {
				k++
				kStart, kEnd = kEnd, loudness.SubBlockStart(s.first+int64(k)+1, m.rate)
			}
			if at >= kStart && t > subPeak[k] {
				subPeak[k] = t
			}
		}
	})
	for k, v := range subPeak {
		s.subPeak[k] = roundUp32(v)
	}
	// Its envelope: the largest estimate over [n-R, n+L], taken for runs of
	// envChunk samples at once (over the union of their windows, a few
	// samples wider than each: a few hundredths of a dB in the prediction,
	// for a sixteenth of the work), through a monotonic queue of chunk
	// maxima.
	var hist [envelopeBins]float64
	lo0, hi0 := envelopeBins, -1 // bins used in this sub-block
	sb := s.first
	sbEnd := loudness.SubBlockStart(sb+1, m.rate)
	var below float64
	flush := func() {
		k := sb - s.first
		if hi0 < 0 {
			s.sub[k] = below
			return
		}
		row := make([]float32, m.points)
		total := 0.0
		for _, he := range hist[lo0 : hi0+1] {
			total += he
		}
		for p := range row {
			theta := m.thetaAt(p) / floor
			v := below
			for bin, he := range hist[lo0 : hi0+1] {
				if g := theta / binLevel[lo0+bin]; g < 1 {
					v += he * g * g
				} else {
					v += he
				}
			}
			row[p] = float32(v)
		}
		s.sub[k] = below + total
		s.limited[k] = row
		clear(hist[lo0 : hi0+1])
		lo0, hi0 = envelopeBins, -1
	}
	dq := make([]int, 0, 2*nc)
	head, next := 0, 0 // dq[head:] is the queue; next is the next chunk to enter it
	for n := a; n < b; {
		i := int(n - base0)
		c := i / envChunk
		// Chunks that hold the windows of samples [c·envChunk, (c+1)·envChunk).
		first, last := (c*envChunk-rspan)/envChunk, min(nc-1, ((c+1)*envChunk-1+lspan)/envChunk)
		for ; next <= last; next++ {
			for len(dq) > head && tc[dq[len(dq)-1]] <= tc[next] {
				dq = dq[:len(dq)-1]
			}
			dq = append(dq, next)
		}
		for dq[head] < first {
			head++
		}
		env := tc[dq[head]]
		end := min(b, base0+int64((c+1)*envChunk))
		bin := -1
		if env > floor {
			bin = min(envelopeBins-1, int(math.Log2(env/floor)*binsPerOctave))
			lo0, hi0 = min(lo0, bin), max(hi0, bin)
		}
		for n < end {
			if n == sbEnd {
				flush()
				below = 0
				sb++
				sbEnd = loudness.SubBlockStart(sb+1, m.rate)
				if bin >= 0 {
					lo0, hi0 = min(lo0, bin), max(hi0, bin)
				}
			}
			stop := min(end, sbEnd)
			var sum float64
			for _, v := range e[n-lo : stop-lo] {
				sum += v
			}
			if bin >= 0 {
				hist[bin] += sum
			} else {
				below += sum
			}
			n = stop
		}
	}
	flush()
	return s, nil
}

// roundUp32 is the float32 at or above v.
func roundUp32(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// PeakBound is a level (linear, at unity gain) that no true-peak estimate
// of the samples in [from, to) exceeds.
func (m *Measurement) PeakBound(from, to int64) float64 {
	from, to = max(0, from), min(m.length, to)
	if from >= to {
		return 0
	}
	v := m.floor
	for i := loudness.SubBlockOf(from, m.rate); i <= loudness.SubBlockOf(to-1, m.rate); i++ {
		v = max(v, float64(m.subPeak[i]))
	}
	return v
}

// SubBlock is sub-block i's K-weighted energy at unity gain and the largest
// true-peak estimate (linear) of its samples, or 0 where every estimate is
// at or under Floor.
func (m *Measurement) SubBlock(i int64) (energy, peak float64) {
	return m.sub[i], float64(m.subPeak[i])
}

// Floor is the unity level at or under which the measurement made no
// true-peak estimate: SubBlock's peak counts only estimates above it.
func (m *Measurement) Floor() float64 { return m.floor }

// Fits reports whether m measured the timeline tl.
func (m *Measurement) Fits(tl *Timeline) bool {
	return tl != nil && int64(tl.Length) == m.length && int(tl.SampleRate) == m.rate
}

// measureBuf holds a segment's working buffers, reused from segment to
// segment: megabytes each, they would otherwise keep the collector busy.
type measureBuf struct {
	x     [][2]float64
	e, tc []float64
	cm    []float64
}

// renderRange renders samples [from, to) of the timeline into dst.
func renderRange(tl *Timeline, clips Clips, ro RenderOptions, from, to int64, dst [][2]float64) error {
	if to <= from {
		return nil
	}
	r, err := Render(tl, clips, ro)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Seek(int(from)); err != nil {
		return err
	}
	want := int(to - from)
	if got := fill(r, dst[:want]); got < want {
		return streamErr(r, "the track", int(from)+got)
	}
	return r.Err()
}

// Before is the integrated loudness at unity gain, without the limiter.
func (m *Measurement) Before() float64 { return loudness.Gated(m.sub, m.rate, m.length) }

// Peak is the largest true-peak estimate at unity gain, in dBTP (the
// limiter's estimate, counted only where it could reach the ceiling).
func (m *Measurement) Peak() float64 { return dsp.Decibels(m.peak) }

// LoudnessAt is the integrated loudness the track has at a gain (dB) with
// the limiter at the measurement's ceiling.
func (m *Measurement) LoudnessAt(gain float64) (float64, error) {
	pos := (gain - m.lo) / m.step
	if pos < 0 || pos > float64(m.points-1) {
		return 0, fmt.Errorf("%w (%.1f dB; measured %.1f to %.1f)", ErrOutOfRange, gain, m.lo, m.lo+float64(m.points-1)*m.step)
	}
	p := min(int(pos), m.points-2)
	f := pos - float64(p)
	scale := math.Pow(10, gain/10)
	e := make([]float64, len(m.sub))
	for i, v := range m.sub {
		if row := m.limited[i]; row != nil {
			v = float64(row[p])*(1-f) + float64(row[p+1])*f
		}
		e[i] = v * scale
	}
	return loudness.Gated(e, m.rate, m.length), nil
}

// Solve returns the gain (dB) that brings the track to target LUFS with the
// limiter at work, and the loudness it predicts there.
func (m *Measurement) Solve(target float64) (gain, predicted float64, err error) {
	before := m.Before()
	if math.IsInf(before, -1) || math.IsNaN(before) {
		return 0, before, errors.New("mixer: the track is silent (below the -70 LUFS gate): nothing to normalise")
	}
	// The limiter only takes loudness away, so the gain is at least the
	// unlimited one; it starts there, or at the measured range's low end
	// when a hint placed the range above it.
	gain = max(target-before, m.lo)
	for range 30 {
		l, err := m.LoudnessAt(gain)
		if err != nil {
			return gain, l, err
		}
		predicted = l
		off := target - l
		if math.Abs(off) < 1e-4 {
			break
		}
		gain += off // the limiter makes loudness grow slower than the gain: this undershoots, never oscillates
	}
	return gain, predicted, nil
}

// Normalization is what a loudness pass found (package export runs the one
// loudness pipeline): the render options that bring the track to the
// loudness target, and the measurements behind them.
type Normalization struct {
	// Gain in dB and Ceiling in dBTP to render with (see RenderOptions).
	Gain, Ceiling float64
	// Integrated loudness (LUFS) and true peak (dBTP) of the track rendered
	// with Gain and Ceiling, as measured.
	Integrated, TruePeak float64
	// Before is the integrated loudness of the track at unity gain without the
	// limiter, and BeforePeak its largest true-peak estimate there (the
	// limiter's), from the measuring pass.
	Before, BeforePeak float64
	// Passes is how many times the track was rendered: the measuring pass,
	// then the renders that measured the result.
	Passes int
	// LimitedBlocks is how many 4096-sample blocks the limiter turned down in
	// the last render measured (0: the gain alone kept every peak under the
	// ceiling; an export does not count them).
	LimitedBlocks int
}

// RenderOptions returns the options to render the normalised track with.
func (n Normalization) RenderOptions() RenderOptions {
	return RenderOptions{Gain: n.Gain, Ceiling: n.Ceiling}
}

// ErrLoudness is wrapped by an export's error when the loudness target
// cannot be met.
var ErrLoudness = errors.New("loudness target not reached")
