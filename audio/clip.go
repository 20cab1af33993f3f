package audio

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

// MaxClipDuration bounds what Load holds in memory: clips are short lines
// of narration or cues, not whole tracks.
const MaxClipDuration = 10 * time.Minute

// ErrTooLong reports a source longer than MaxClipDuration given to Load.
var ErrTooLong = errors.New("too long to load into memory")

// LoadMono16 reads all of s (at sample rate from), folded to mono (the mean
// of both channels) and resampled to rate to, as 16-bit samples: the compact
// form in which narration keeps clips, a quarter of the memory of beep's
// float pairs. It fails as Load does.
func LoadMono16(s beep.Streamer, from, to beep.SampleRate) ([]int16, error) {
	if from <= 0 || to <= 0 {
		return nil, fmt.Errorf("audio: load: sample rate %d to %d", from, to)
	}
	limit := from.N(MaxClipDuration)
	size := 4096
	if ss, ok := s.(beep.StreamSeeker); ok && ss.Len() > 0 {
		size = min(ss.Len(), limit)
	}
	in := make([]float64, 0, size)
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		if len(in)+n > limit {
			return nil, fmt.Errorf("audio: load: longer than %v: %w", MaxClipDuration, ErrTooLong)
		}
		for _, v := range buf[:n] {
			in = append(in, (v[0]+v[1])/2)
		}
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("audio: load: %w", err)
	}
	out := make([]int16, ResampledLen(len(in), from, to))
	put := func(at int, v []float64) {
		for i, x := range v {
			out[at+i] = int16(max(-32768, min(32767, math.Round(x*32767))))
		}
	}
	if to == from {
		put(0, in)
		return out, nil
	}
	// Resampled a piece at a time: no second copy of the clip in floats.
	k := kernelFor(int(from), int(to))
	piece := make([]float64, 4096)
	for at := 0; at < len(out); at += len(piece) {
		p := piece[:min(len(piece), len(out)-at)]
		k.resample(in, p, at)
		put(at, p)
	}
	return out, nil
}

// Clip is a short piece of audio held in memory: narration lines, cues.
// Samples are in beep's layout; a mono clip has equal channels.
type Clip struct {
	Rate     beep.SampleRate
	Channels int // 1 or 2
	Samples  [][2]float64
}

// Load reads all of s (at sample rate from) into memory, resampled to rate
// to (0 keeps from) and folded to mono when channels is 1 (the mean of both
// channels). It fails with ErrTooLong beyond MaxClipDuration, and with s's
// error if s fails.
func Load(s beep.Streamer, from, to beep.SampleRate, channels int) (*Clip, error) {
	if channels != 1 && channels != 2 {
		return nil, fmt.Errorf("audio: load: %d channels (1 or 2 only)", channels)
	}
	if from <= 0 || to < 0 {
		return nil, fmt.Errorf("audio: load: sample rate %d to %d", from, to)
	}
	if to == 0 {
		to = from
	}
	limit := from.N(MaxClipDuration)
	size := 4096
	if l, ok := s.(interface{ Len() int }); ok && l.Len() > 0 {
		// Decoders that know their length save the copies of growing.
		size = min(l.Len(), limit)
	}
	in := make([][2]float64, 0, size)
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		if len(in)+n > limit {
			return nil, fmt.Errorf("audio: load: longer than %v: %w", MaxClipDuration, ErrTooLong)
		}
		in = append(in, buf[:n]...)
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("audio: load: %w", err)
	}
	if channels == 1 {
		for i, v := range in {
			m := (v[0] + v[1]) / 2
			in[i] = [2]float64{m, m}
		}
	}
	c := &Clip{Rate: to, Channels: channels, Samples: in}
	if to != from {
		c.Samples = Resample(in, channels, from, to)
	}
	return c, nil
}

// LoadFile decodes a whole audio file (WAV, MP3, FLAC) with Load.
func LoadFile(path string, rate beep.SampleRate, channels int) (*Clip, error) {
	s, format, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	c, err := Load(s, format.SampleRate, rate, channels)
	if err != nil {
		return nil, fmt.Errorf("audio: %s: %w", path, err)
	}
	return c, nil
}

// Len returns the clip's length in samples.
func (c *Clip) Len() int { return len(c.Samples) }

// Duration returns the clip's length in time.
func (c *Clip) Duration() time.Duration { return c.Rate.D(len(c.Samples)) }

// Streamer returns a new streamer over the clip. Each has its own position,
// so one clip can play at several places of a mix at once.
func (c *Clip) Streamer() beep.StreamSeeker {
	return &clipStreamer{cursor: cursor{codec: "clip", length: len(c.Samples)}, s: c.Samples}
}

type clipStreamer struct {
	cursor
	s [][2]float64
}

func (cs *clipStreamer) Stream(samples [][2]float64) (int, bool) {
	n := copy(samples, cs.s[cs.pos:])
	cs.pos += n
	return n, n > 0
}

func (cs *clipStreamer) Seek(p int) error {
	if err := cs.checkSeek(p); err != nil {
		return err
	}
	cs.pos = p
	return nil
}

// silenceWindow is the span over which TrimSilence measures level: long
// enough that a click does not count as sound, short enough to find a word's
// first consonant within a few milliseconds.
const silenceWindow = 10 * time.Millisecond

// TrimSilence cuts leading and trailing silence, keeping margin of it
// before the first and after the last sound. Sound is a 10 ms window whose
// RMS level (over both channels) reaches thresholdDB dBFS; a full-scale sine
// is -3 dBFS by this measure. A clip with no sound becomes empty. The
// samples are resliced, not copied.
func (c *Clip) TrimSilence(thresholdDB float64, margin time.Duration) {
	w := max(c.Rate.N(silenceWindow), 1)
	limit := math.Pow(10, thresholdDB/10) * float64(2*w) // sum of squares over a window
	loud := func(i int) bool {
		var e float64
		for _, v := range c.Samples[i:min(i+w, len(c.Samples))] {
			e += v[0]*v[0] + v[1]*v[1]
		}
		return e >= limit
	}
	first, last := -1, -1
	for i := 0; i < len(c.Samples); i += w {
		if loud(i) {
			first = i
			break
		}
	}
	if first < 0 {
		c.Samples = c.Samples[:0]
		return
	}
	for i := (len(c.Samples) - 1) / w * w; i >= first; i -= w {
		if loud(i) {
			last = min(i+w, len(c.Samples))
			break
		}
	}
	m := c.Rate.N(margin)
	c.Samples = c.Samples[max(first-m, 0):min(last+m, len(c.Samples))]
}

// Gain scales the clip by db decibels. Samples may exceed full scale
// afterwards; the encoders clip, the mixer limits.
func (c *Clip) Gain(db float64) {
	g := dsp.Gain(db)
	for i := range c.Samples {
		c.Samples[i][0] *= g
		c.Samples[i][1] *= g
	}
}
