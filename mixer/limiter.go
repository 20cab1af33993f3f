package mixer

import (
	"fmt"
	"math"
	"time"

	"routinecast/audio/loudness"
	"routinecast/internal/dsp"

	"github.com/gopxl/beep/v2"
)

// limiter applies a gain and holds the estimated true peak of the result under
// a ceiling, with look-ahead, and stays seekable to the sample: it works in
// fixed blocks on an absolute grid, and each block is computed afresh from the
// input around it (a window of limPre samples before and limPost after), so a
// block's samples do not depend on what was read before.
//
// For each sample j, r(j) = min(1, ceiling/truePeak(j)) is the gain the sample
// needs. h(m) is the minimum of r over [m-R, m+L] and the output gain g(n) the
// mean of h over [n-L, n+L]; every h in that mean is at most r(n), so g(n) <=
// r(n): the ceiling holds, with smooth 2L-long ramps that start L before a peak
// and a hold of R after it.
type limiter struct {
	in     beep.StreamSeeker
	nch    int     // channels to look at: 1 when both are equal
	gain   float64 // linear, applied before limiting
	ceil   float64 // linear ceiling; 0 turns limiting off
	length int
	pos    int
	err    error

	l, r        int // look-ahead and hold, samples
	pre, post   int // input needed before and after a block
	block       [][2]float64
	blockIdx    int // index of the block in block, or -1
	store       [][2]float64
	win         [][2]float64 // gained input at [winStart, winStart+len(win))
	winStart    int
	readPos     int // next position to read from in (when it matches)
	rs, hs, gs  []float64
	chunkMax    []float64
	dq          []int
	limitedRuns int      // blocks in which the limiter lowered the gain
	lowered     []uint64 // a bit per block: the limiter lowered the gain there
	// bound, when set, is a level at unity gain that no true-peak estimate
	// of samples [from, to) exceeds (from a measuring pass): blocks it shows
	// to be clear of the ceiling are passed through without a look.
	bound func(from, to int64) float64
}

const limBlock = 4096

// True-peak estimation: the BS.1770 meter's own 4x interpolator, whose
// phases take tpHalf samples on each side of the interpolated point.
const tpHalf = loudness.PhaseTaps / 2

// tpChunk is the size of the chunks whose maxima let the limiter skip quiet
// stretches; at least 2*tpHalf, so that a taps' window spans two chunks at most.
const tpChunk = 16

var (
	tpTaps   = loudness.Phases()
	tpSumAbs = loudness.PhaseGain()
)

// limiterSpans are the limiter's look-ahead (and ramp) and its hold, in
// samples.
func limiterSpans(sr beep.SampleRate) (look, hold int) {
	look = max(1, sr.N(4*time.Millisecond))
	return look, max(look, sr.N(40*time.Millisecond))
}

// newLimiter limits in, whose channels are equal when nch is 1.
func newLimiter(in beep.StreamSeeker, sr beep.SampleRate, gain, ceil float64, nch int) *limiter {
	l := &limiter{in: in, nch: nch, gain: gain, ceil: ceil, length: in.Len(), blockIdx: -1}
	if ceil <= 0 {
		return l
	}
	l.l, l.r = limiterSpans(sr)
	l.pre = l.l + l.r + tpHalf
	l.post = 2*l.l + tpHalf
	l.block = make([][2]float64, limBlock)
	l.store = make([][2]float64, l.pre+limBlock+l.post)
	l.rs = make([]float64, l.l+l.r+limBlock+2*l.l)
	l.hs = make([]float64, limBlock+2*l.l)
	l.gs = make([]float64, limBlock)
	l.dq = make([]int, len(l.rs))
	l.chunkMax = make([]float64, (len(l.store)+tpChunk-1)/tpChunk)
	l.readPos = -1
	return l
}

func (l *limiter) Len() int      { return l.length }
func (l *limiter) Position() int { return l.pos }
func (l *limiter) Err() error {
	if l.err != nil {
		return l.err
	}
	return l.in.Err()
}

func (l *limiter) Seek(p int) error {
	if p < 0 || p > l.length {
		return fmt.Errorf("mixer: seek to %d outside [0, %d]", p, l.length)
	}
	l.pos = p
	if l.ceil <= 0 {
		return l.in.Seek(p)
	}
	return nil
}

func (l *limiter) Stream(dst [][2]float64) (int, bool) {
	if l.err != nil {
		return 0, false
	}
	n := min(len(dst), l.length-l.pos)
	if n <= 0 {
		return 0, false
	}
	dst = dst[:n]
	if l.ceil <= 0 {
		got := fill(l.in, dst)
		for j := range dst[:got] {
			dst[j][0] *= l.gain
			dst[j][1] *= l.gain
		}
		l.pos += got
		if got < n {
			l.err = streamErr(l.in, "the mix", l.pos)
			return got, got > 0
		}
		return n, true
	}
	for done := 0; done < n; {
		k := l.pos / limBlock
		if k != l.blockIdx {
			if err := l.compute(k); err != nil {
				l.err = err
				return done, done > 0
			}
		}
		off := l.pos - k*limBlock
		m := copy(dst[done:], l.block[off:])
		done += m
		l.pos += m
	}
	return n, true
}

// fill reads from s until dst is full or s ends, and returns how much it read.
func fill(s beep.Streamer, dst [][2]float64) int {
	got := 0
	for got < len(dst) {
		m, ok := s.Stream(dst[got:])
		got += m
		if !ok || m == 0 {
			break
		}
	}
	return got
}

func streamErr(s beep.Streamer, what string, at int) error {
	if err := s.Err(); err != nil {
		return err
	}
	return fmt.Errorf("mixer: %s ended early, at sample %d", what, at)
}

// window loads the gained input at [lo, hi) into win, reusing what it holds.
func (l *limiter) window(lo, hi int) error {
	end := l.winStart + len(l.win)
	if l.win != nil && lo >= l.winStart && lo <= end {
		k := copy(l.store, l.win[lo-l.winStart:])
		l.win = l.store[:k]
	} else {
		l.win = l.store[:0]
	}
	l.winStart = lo
	for u := l.winStart + len(l.win); u < hi; {
		k := len(l.win)
		l.win = l.store[:k+hi-u]
		part := l.win[k:]
		if u < 0 || u >= l.length {
			// Outside the track: silence, one run at a time.
			m := len(part)
			if u < 0 {
				m = min(m, -u)
			}
			clear(part[:m])
			l.win = l.store[:k+m]
			u += m
			continue
		}
		part = part[:min(len(part), l.length-u)]
		l.win = l.store[:k+len(part)]
		if l.readPos != u {
			if err := l.in.Seek(u); err != nil {
				return err
			}
		}
		got := fill(l.in, part)
		if got < len(part) {
			return streamErr(l.in, "the mix", u+got)
		}
		for j := range part {
			part[j][0] *= l.gain
			part[j][1] *= l.gain
		}
		u += got
		l.readPos = u
	}
	return nil
}

// compute renders block k into l.block.
func (l *limiter) compute(k int) error {
	b0 := k * limBlock
	if err := l.window(b0-l.pre, b0+limBlock+l.post); err != nil {
		return err
	}
	l.blockIdx = k
	x := l.win // x[i] is input sample winStart+i = b0-pre+i
	copy(l.block, x[l.pre:l.pre+limBlock])
	if l.bound != nil {
		// The samples whose r the block's gains depend on, as below. The
		// slack keeps the skip to blocks where computing r would give 1
		// everywhere, rounding included: the output is the same either way.
		from, to := int64(b0-l.l-l.r), int64(b0+limBlock+2*l.l)
		if l.gain*l.bound(from, to) <= l.ceil*(1-1e-9) {
			return nil
		}
	}

	// Chunk maxima of |x| over tpChunk samples: their largest says whether the
	// block needs limiting at all, and they bound the taps' window below.
	cm := chunkMaximaInto(l.chunkMax, x, l.nch)
	peak := 0.0
	for _, m := range cm {
		if m > peak {
			peak = m
		}
	}
	quiet := l.ceil / tpSumAbs
	if peak <= quiet {
		return nil // no sample or interpolated point can reach the ceiling
	}

	// r over input [b0-L-R, b0+B+2L): index i of rs is sample b0-L-R+i, which
	// is x[i+tpHalf]. Interpolating is skipped where no tap in reach is loud
	// enough for the interpolated value to reach the ceiling.
	rs := l.rs
	for i := range rs {
		rs[i] = 1
	}
	forLoud(cm, tpHalf, len(rs), quiet, func(i, j int) {
		if tp := peakAt(x, j, l.nch); tp > l.ceil {
			rs[i] = l.ceil / tp
		}
	})
	// h(m) for m in [b0-L, b0+B+L) = min of r over [m-R, m+L]; index i of hs is
	// m = b0-L+i, whose window is rs[i .. i+R+L]; g(n) = mean of h over
	// [n-L, n+L]: hs[n-b0 .. n-b0+2L].
	dsp.MinOver(l.hs, rs, 0, l.r+l.l, l.dq)
	dsp.MeanOver(l.gs, l.hs, 0, 2*l.l)
	lowered := false
	for n, g := range l.gs {
		g = min(1, g)
		if g < 1 {
			lowered = true
		}
		l.block[n][0] *= g
		l.block[n][1] *= g
	}
	if lowered {
		l.limitedRuns++
		if l.lowered == nil {
			l.lowered = make([]uint64, (l.length/limBlock+64)/64)
		}
		l.lowered[k/64] |= 1 << (k % 64)
	}
	return nil
}

// limitedIn reports whether the gain was lowered at any sample of [from,
// to) that has been streamed.
func (l *limiter) limitedIn(from, to int) bool {
	if l.lowered == nil || from >= to {
		return false
	}
	for k := max(0, from/limBlock); k <= (to-1)/limBlock && k/64 < len(l.lowered); k++ {
		if l.lowered[k/64]&(1<<(k%64)) != 0 {
			return true
		}
	}
	return false
}

// forLoud calls f(i, base+i) for i in [0, n) where the taps around sample
// j = base+i of x reach a chunk whose maximum cm holds above quiet: only
// there can the interpolated points exceed quiet·tpSumAbs. A run of quiet
// chunks is passed over a chunk at a time.
func forLoud(cm []float64, base, n int, quiet float64, f func(i, j int)) {
	for i := 0; i < n; {
		j := base + i
		q := j / tpChunk
		if cm[max(0, q-1)] <= quiet && cm[q] <= quiet && cm[min(len(cm)-1, q+1)] <= quiet {
			// Every sample of chunk q has its taps within chunks q-1..q+1.
			i += (q+1)*tpChunk - j
			continue
		}
		if max(cm[(j-tpHalf+1)/tpChunk], cm[(j+tpHalf)/tpChunk]) > quiet {
			f(i, j)
		}
		i++
	}
}

// chunkMaximaInto stores in cm the largest |x| of each tpChunk samples of
// x, over the first nch channels.
func chunkMaximaInto(cm []float64, x [][2]float64, nch int) []float64 {
	cm = cm[:(len(x)+tpChunk-1)/tpChunk]
	// Plain comparisons: the max builtin's NaN handling costs several times more.
	for c := range cm {
		m := 0.0
		chunk := x[c*tpChunk : min(len(x), (c+1)*tpChunk)]
		if nch == 1 {
			for _, v := range chunk {
				if a := math.Abs(v[0]); a > m {
					m = a
				}
			}
		} else {
			for _, v := range chunk {
				a, b := math.Abs(v[0]), math.Abs(v[1])
				if a > m {
					m = a
				}
				if b > m {
					m = b
				}
			}
		}
		cm[c] = m
	}
	return cm
}

// peakAt is the limiter's true-peak estimate at sample j of x: the largest
// of |x[j]| and the three points interpolated after it, over the first nch
// channels. x[j-tpHalf+1 .. j+tpHalf] must exist.
func peakAt(x [][2]float64, j, nch int) float64 {
	w := x[j-tpHalf+1 : j+tpHalf+1]
	tp := math.Abs(x[j][0])
	if nch == 1 {
		for p := range tpTaps {
			taps := &tpTaps[p]
			var a0, a1 float64
			for t := 0; t < 2*tpHalf; t += 2 {
				a0 += taps[t] * w[t][0]
				a1 += taps[t+1] * w[t+1][0]
			}
			if a := math.Abs(a0 + a1); a > tp {
				tp = a
			}
		}
		return tp
	}
	tp = max(tp, math.Abs(x[j][1]))
	for p := range tpTaps {
		var a, b float64
		for t, c := range tpTaps[p] {
			a += c * w[t][0]
			b += c * w[t][1]
		}
		tp = max(tp, math.Abs(a), math.Abs(b))
	}
	return tp
}
