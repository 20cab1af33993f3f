package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"routinecast/audio"
	"routinecast/audio/loudness"
	"routinecast/audio/mp3"
	"routinecast/internal/dsp"
	"routinecast/internal/ordered"
	"routinecast/job"
	"routinecast/mixer"
)

// The output is rendered (and an MP3 encoded) in segments on every core and
// written in order. A segment is segmentFrames MP3 frames long, in every
// format: fixed, so that the bytes do not depend on the number of cores.
const segmentFrames = 128

// Loudness tolerances: the output is rendered again (when the writer can be
// rewound) if its measured loudness misses the target by more than
// retryTolerance; it is an error past maxMiss (the promise: ±0.5 LU).
const (
	retryTolerance = 0.2
	maxMiss        = 0.5
)

// normalize measures the track once at unity gain and finds the gain that
// brings it to the target with the limiter at work.
func normalize(ctx context.Context, j *job.Job, clips mixer.Clips, progress func(done, total int64)) (mixer.Normalization, *mixer.Measurement, error) {
	tl := j.Timeline
	target := tl.Options.Loudness.Target
	n := mixer.Normalization{Ceiling: mixer.DefaultCeiling(tl)}
	hint := j.EstimatedGain()
	for {
		mo := mixer.MeasureOptions{Hint: hint, Ceiling: n.Ceiling}
		if progress != nil && n.Passes == 0 {
			length := int64(tl.Length)
			mo.Progress = func(done int64) { progress(done, 3*length) }
		}
		m, err := mixer.Measure(ctx, tl, clips, mo)
		if err != nil {
			return n, nil, err
		}
		n.Passes++
		n.Before, n.BeforePeak = m.Before(), m.Peak()
		gain, predicted, err := m.Solve(target)
		if errors.Is(err, mixer.ErrOutOfRange) && n.Passes < 2 {
			// The voice's loudness misled the hint (or the limiter works hard
			// at this target): measure again over the whole range of gains.
			hint = math.NaN()
			continue
		}
		if err != nil {
			return n, nil, err
		}
		if gain > 60 {
			return n, nil, fmt.Errorf("export: the track is at %.1f LUFS; reaching %.1f would take %.0f dB of gain: %w",
				n.Before, target, gain, mixer.ErrLoudness)
		}
		n.Gain, n.Integrated = gain, predicted
		return n, m, nil
	}
}

// piece is one rendered segment: its share of the output's loudness
// measurement, and its encoded frames or samples.
type piece struct {
	firstSub int64
	sub      []float64
	peak     float64
	frames   *mp3.Segment
	samples  [][2]float64
	end      int64 // the output sample after the segment's last
	metered  int   // sub-blocks whose energy was metered, not taken from the measurement
}

// output renders the normalised track into enc (or seg for MP3, which
// encodes in the workers) and measures what it wrote.
type output struct {
	tl       *mixer.Timeline
	clips    mixer.Clips
	ro       mixer.RenderOptions
	segs     *mp3.Segments // MP3
	enc      audio.Encoder // WAV, FLAC
	progress func(done, total int64)
	// measured is the measuring pass over the track, whose figures stand
	// for the output's where the limiter left the gain alone; nil meters
	// everything.
	measured *mixer.Measurement
	// peakFloor (linear) is a little under the true peak the output is
	// expected to have: the meter skips what cannot exceed it. If nothing
	// does, the peak is measured again without it.
	peakFloor float64
	bufs      sync.Pool // of *outBuf, dropped with the output
	// limitedSubBlocks counts the sub-blocks whose energy was metered
	// because the limiter touched them.
	limitedSubBlocks int
}

func (o *output) run(ctx context.Context) (integrated, truePeak float64, err error) {
	length := int64(o.tl.Length)
	spf := int64(mp3FrameSamples(int(o.tl.SampleRate)))
	if o.segs != nil {
		spf = int64(o.segs.FrameSamples())
	}
	step := spf * segmentFrames
	n := int((length + step - 1) / step)
	if o.segs != nil {
		n = int((o.segs.Frames() + segmentFrames - 1) / segmentFrames)
	}
	rate := int(o.tl.SampleRate)
	sub := make([]float64, loudness.SubBlocks(length, rate))
	peak := 0.0
	err = ordered.Run(ctx, n, 0, func(i int) (*piece, error) {
		return o.segment(int64(i), step)
	}, func(i int, p *piece) error {
		if o.segs != nil {
			if err := o.segs.Append(p.frames); err != nil {
				return fmt.Errorf("export: %w", err)
			}
		} else if err := o.enc.Write(p.samples); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for k, e := range p.sub {
			sub[p.firstSub+int64(k)] += e
		}
		peak = max(peak, p.peak)
		o.limitedSubBlocks += p.metered
		if o.progress != nil {
			o.progress(p.end, length)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if o.segs != nil {
		err = o.segs.Close()
	} else {
		err = o.enc.Close()
	}
	if err != nil {
		return 0, 0, fmt.Errorf("export: %w", err)
	}
	if peak <= o.peakFloor && o.peakFloor > 0 {
		// Lower than expected: measure the peak in full.
		o.peakFloor = 0
		if peak, err = o.truePeak(ctx); err != nil {
			return 0, 0, err
		}
	}
	return loudness.Gated(sub, rate, length), dsp.Decibels(peak), nil
}

// truePeak renders the output again and measures its true peak alone.
func (o *output) truePeak(ctx context.Context) (float64, error) {
	r, err := mixer.Render(o.tl, o.clips, o.ro)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var pm [2]loudness.PeakMeter
	buf := make([][2]float64, 8192)
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n, ok := r.Stream(buf)
		for c := range o.tl.Channels {
			pm[c].Write(buf[:n], c)
		}
		if !ok {
			break
		}
	}
	if err := r.Err(); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return max(pm[0].Peak(true), pm[1].Peak(true)), nil
}

// segment renders segment i: output samples [i·step, (i+1)·step), with the
// input before them that the encoder and the meter need, and measures the
// sub-blocks that start in it. Where the limiter left the gain alone, the
// output is the measured mix times the gain, so the measuring pass's energy
// and peak of a sub-block, scaled, are the output's: only what the limiter
// touched (and the K-weighting's memory of it) is metered again.
func (o *output) segment(i, step int64) (*piece, error) {
	length := int64(o.tl.Length)
	rate := int(o.tl.SampleRate)
	own0, own1 := min(length, i*step), min(length, (i+1)*step)
	from, to := own0, own1
	var first, count int64
	if o.segs != nil {
		first = i * segmentFrames
		count = min(segmentFrames, o.segs.Frames()-first)
		from, to = o.segs.Input(first, count)
	}
	warm := int64(loudness.WarmupSamples(rate))
	sb0, sb1 := measuredSubBlocks(own0, own1, length, rate)
	mEnd := min(length, loudness.SubBlockStart(sb1, rate))
	start := max(0, min(from, own0-warm))
	stop := min(length, max(to, own1, mEnd+loudness.PeakHistory))
	n := int(stop - start)
	var x [][2]float64
	var e []float64
	if o.segs != nil {
		// Nothing of the buffers outlives the segment: reuse them.
		buf, _ := o.bufs.Get().(*outBuf)
		if buf == nil {
			buf = new(outBuf)
		}
		defer o.bufs.Put(buf)
		x, e = dsp.Grow(&buf.x, n), dsp.Grow(&buf.e, n)
	} else {
		x, e = make([][2]float64, n), make([]float64, n)
	}
	r, err := render(o.tl, o.clips, o.ro, start, x)
	if err != nil {
		return nil, err
	}
	p := &piece{end: own1, firstSub: sb0, sub: make([]float64, max(0, sb1-sb0))}
	subStart := func(k int64) int64 { return min(length, loudness.SubBlockStart(k, rate)) }
	touched := func(from, to int64) bool {
		return o.measured == nil || r.LimitedIn(int(max(0, from)), int(min(length, to)))
	}
	g := dsp.Gain(o.ro.Gain)
	// Energy: a run of sub-blocks the limiter touched, or whose K-weighting
	// remembers it, is K-weighted from a warm-up before it.
	subRuns(sb0, sb1, func(k int64) bool { return touched(subStart(k)-warm, subStart(k+1)) }, func(k0, k1 int64, metered bool) {
		if !metered {
			for k := k0; k < k1; k++ {
				energy, _ := o.measured.SubBlock(k)
				p.sub[k-sb0] = g * g * energy
			}
			return
		}
		a, b := subStart(k0), subStart(k1)
		w := max(start, a-warm)
		for c := range o.tl.Channels {
			loudness.NewKFilter(rate).Energy(x[w-start:b-start], c, e[w-start:], c > 0)
		}
		p.metered += int(k1 - k0)
		for k := k0; k < k1; k++ {
			for _, v := range e[subStart(k)-start : subStart(k+1)-start] {
				p.sub[k-sb0] += v
			}
		}
	})
	// True peak: every sample of the sub-blocks and the points after each.
	reach := int64(loudness.PeakHistory)
	subRuns(sb0, sb1, func(k int64) bool { return touched(subStart(k)-reach, subStart(k+1)+reach) }, func(k0, k1 int64, metered bool) {
		if !metered {
			for k := k0; k < k1; k++ {
				_, pk := o.measured.SubBlock(k)
				p.peak = max(p.peak, g*pk)
			}
			return
		}
		// Points between two samples are found once both are in: the
		// meter reads on past the run by the taps' reach.
		a, b := subStart(k0), min(length, subStart(k1)+reach)
		for c := range o.tl.Channels {
			var pm loudness.PeakMeter
			pm.Prime(x[max(0, a-start-reach):a-start], c)
			pm.Floor(o.peakFloor)
			pm.Write(x[a-start:b-start], c)
			p.peak = max(p.peak, pm.Peak(b == length))
		}
	})
	if o.segs == nil {
		p.samples = x[own0-start : own1-start]
	}
	if o.segs != nil {
		if p.frames, err = o.segs.EncodeSegment(first, count, x[from-start:to-start]); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	return p, nil
}

// subRuns splits sub-blocks [sb0, sb1) into maximal runs that are all
// metered or all not, and calls each with its run in order.
func subRuns(sb0, sb1 int64, metered func(k int64) bool, each func(k0, k1 int64, metered bool)) {
	for k0 := sb0; k0 < sb1; {
		m := metered(k0)
		k1 := k0 + 1
		for k1 < sb1 && metered(k1) == m {
			k1++
		}
		each(k0, k1, m)
		k0 = k1
	}
}

// measuredSubBlocks are the sub-blocks [sb0, sb1) that the segment owning
// output samples [own0, own1) measures: from the one own0 falls in to the
// one before own1's, and the rest of the track for the last segment, so
// that the segments' shares tile the track. A segment past the track's end
// (an MP3's last frames hold only the encoder's delay) measures none.
func measuredSubBlocks(own0, own1, length int64, rate int) (sb0, sb1 int64) {
	if own0 >= own1 {
		return 0, 0
	}
	sb0, sb1 = loudness.SubBlockOf(own0, rate), loudness.SubBlockOf(own1, rate)
	if own1 == length {
		sb1 = loudness.SubBlocks(length, rate)
	}
	return sb0, sb1
}

// outBuf holds a segment's working buffers.
type outBuf struct {
	x [][2]float64
	e []float64
}

// render renders the track's samples [from, from+len(x)) into x, and
// returns the closed renderer, to ask where it limited.
func render(tl *mixer.Timeline, clips mixer.Clips, ro mixer.RenderOptions, from int64, x [][2]float64) (*mixer.Renderer, error) {
	r, err := mixer.Render(tl, clips, ro)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if len(x) == 0 {
		return r, nil
	}
	if err := r.Seek(int(from)); err != nil {
		return nil, err
	}
	for got := 0; got < len(x); {
		n, ok := r.Stream(x[got:])
		got += n
		if !ok && got < len(x) {
			if err := r.Err(); err != nil {
				return nil, fmt.Errorf("export: %w", err)
			}
			return nil, fmt.Errorf("export: the track ended at sample %d of %d", int(from)+got, tl.Length)
		}
	}
	return r, r.Err()
}

// mp3FrameSamples is the samples in an MP3 frame at a rate, which sets the
// segment length of every format alike.
func mp3FrameSamples(rate int) int {
	if rate < 32000 {
		return 576
	}
	return 1152
}

// rewindable is an output that can be written again from the start: a file.
type rewindable interface {
	io.WriteSeeker
	Truncate(size int64) error
}
