package audio

import (
	"fmt"

	"github.com/gopxl/beep/v2"
)

// resampleQuality is beep.Resample's quality: 4 means Lagrange
// interpolation through 8 source samples ("good quality" in beep's table),
// plenty for speech and cues.
const resampleQuality = 4

// Resample converts s from one sample rate to another, streaming. It yields
// exactly ceil(n·to/from) samples for n source samples, and passes on s's
// error.
//
// It wraps beep.Resample, whose end of stream is broken in beep v2.1.1: when
// the source's length leaves fewer than quality+1 samples free in the
// resampler's last 512-sample block, it reloads past the end, moves the end
// marker and streams up to 512 extra samples of stale buffer (loud garbage
// for short clips). Here beep's resampler is fed silence after the source
// ends, so it never sees the end, and the output is cut at the right length.
// ResampledLen is the number of samples Resample yields for n source samples.
func ResampledLen(n int, from, to beep.SampleRate) int {
	if from == to {
		return n
	}
	return int((int64(n)*int64(to) + int64(from) - 1) / int64(from))
}

func Resample(s beep.Streamer, from, to beep.SampleRate) beep.Streamer {
	if from <= 0 || to <= 0 {
		panic(fmt.Sprintf("audio: Resample from %d Hz to %d Hz", from, to))
	}
	if from == to {
		return s
	}
	src := &padded{s: s}
	return &resampler{src: src, r: beep.Resample(resampleQuality, from, to, src), from: int64(from), to: int64(to)}
}

type resampler struct {
	src      *padded
	r        beep.Streamer
	from, to int64
	out      int64
}

func (r *resampler) Stream(samples [][2]float64) (int, bool) {
	if r.src.ended {
		if n := r.limit(); n < int64(len(samples)) {
			samples = samples[:n]
		}
	}
	if len(samples) == 0 {
		return 0, false
	}
	n, _ := r.r.Stream(samples)
	if r.src.ended {
		// The source may have ended during this call.
		n = int(min(int64(n), r.limit()))
	}
	r.out += int64(n)
	return n, n > 0
}

// limit is how many samples remain once the source's length is known.
func (r *resampler) limit() int64 {
	total := (r.src.n*r.to + r.from - 1) / r.from
	return max(total-r.out, 0)
}

func (r *resampler) Err() error { return r.src.s.Err() }

// padded streams s, then silence forever, counting s's samples.
type padded struct {
	s     beep.Streamer
	n     int64
	ended bool
}

func (p *padded) Stream(samples [][2]float64) (int, bool) {
	k := 0
	for !p.ended && k < len(samples) {
		n, ok := p.s.Stream(samples[k:])
		k += n
		p.n += int64(n)
		if !ok || n == 0 {
			p.ended = true
		}
	}
	clear(samples[k:])
	return len(samples), true
}

func (p *padded) Err() error { return nil }
