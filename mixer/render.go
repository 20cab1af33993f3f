package mixer

import (
	"errors"
	"fmt"
	"math"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

// RenderOptions adjust one rendering of a timeline. The zero value renders at
// unity gain with the limiter on.
type RenderOptions struct {
	// Gain in dB applied to the whole mix, before the limiter. Package
	// export finds the gain that reaches the loudness target.
	Gain float64
	// Ceiling is the level in dBTP the limiter holds the true peak under, as
	// the BS.1770 meter of package loudness reads it. Zero means 0.5 dB under
	// Options.Loudness.MaxTruePeak (see ceilingMargin): room for the MP3
	// encoder and for other meters.
	Ceiling float64
	// NoLimit turns the limiter off: the output may then exceed ±1.
	NoLimit bool
	// Measured, when set, is Measure's result for this timeline: the limiter
	// then passes over, without estimating a peak, the blocks it shows to be
	// clear of the ceiling. The output is the same.
	Measured *Measurement
}

// Renderer streams a rendered timeline: a beep.StreamSeeker whose Len is the
// timeline's Length, that can seek to any sample, and whose memory does not
// depend on the timeline's length. Errors met while streaming (a clip that
// fails to open or ends early, music that fails to decode) stop the stream and
// stick to Err. Close it when done, to close the clip and music it holds open.
type Renderer struct {
	out    beep.StreamSeeker
	events *eventStream
	music  *musicBed
	lim    *limiter
}

var _ beep.StreamSeeker = (*Renderer)(nil)

// Render returns a stream of the timeline's audio: the events (clips opened
// when their event is reached and closed after it), plus the music bed if
// Options.Music has a source, through the gain and the limiter, folded to mono
// for a one-channel timeline.
func Render(tl *Timeline, clips Clips, ro RenderOptions) (*Renderer, error) {
	if tl == nil {
		return nil, errors.New("mixer: no timeline")
	}
	if clips == nil {
		return nil, errors.New("mixer: no clips")
	}
	if tl.Length <= 0 || tl.SampleRate <= 0 {
		return nil, errors.New("mixer: empty timeline")
	}
	if math.IsNaN(ro.Gain) || math.IsInf(ro.Gain, 0) || ro.Gain > 60 {
		return nil, fmt.Errorf("mixer: gain %g dB is out of range", ro.Gain)
	}
	ev, err := newEventStream(tl, clips)
	if err != nil {
		return nil, err
	}
	r := &Renderer{events: ev}
	var mix beep.StreamSeeker = ev
	if tl.Options.Music.Source != nil {
		if r.music, err = newMusicBed(tl); err != nil {
			return nil, err
		}
		mix = &sum{a: ev, b: r.music, tmp: make([][2]float64, 1024)}
	}
	ceil := 0.0
	if !ro.NoLimit {
		c := ro.Ceiling
		if c == 0 {
			c = DefaultCeiling(tl)
		}
		if c >= 0 || c == math.Inf(-1) || math.IsNaN(c) {
			return nil, fmt.Errorf("mixer: limiter ceiling %g dBTP is out of range (below 0)", c)
		}
		ceil = dsp.Gain(c)
	}
	nch := 2
	if tl.Channels == 1 {
		// Folded before the limiter, which then limits what is heard and
		// looks at one channel.
		mix, nch = mono{mix}, 1
	}
	r.lim = newLimiter(mix, tl.SampleRate, dsp.Gain(ro.Gain), ceil, nch)
	if m := ro.Measured; m != nil && ceil > 0 {
		if !m.Fits(tl) {
			return nil, errors.New("mixer: the measurement is of another timeline")
		}
		r.lim.bound = m.PeakBound
	}
	r.out = r.lim
	return r, nil
}

// DefaultCeiling is the limiter's ceiling in dBTP when none is given:
// ceilingMargin under the true-peak maximum.
func DefaultCeiling(tl *Timeline) float64 {
	maxTP := tl.Options.Loudness.MaxTruePeak
	if maxTP == 0 {
		maxTP = -1
	}
	return maxTP - ceilingMargin
}

// ceilingMargin is what the limiter leaves under the true-peak maximum. Its
// estimate is the BS.1770 meter's own (one interpolator), so the rendered
// track meets the ceiling by that meter exactly; the margin is for what
// comes after and beside it: MP3 coding raises the decoded peaks (by 0.2 dB
// on lower-back at 64 kbps, as ffmpeg reads the WAV and the MP3 exports), and
// other 4x meters read up to 0.2 dB above this one on content near Nyquist
// (audio/loudness's comparison with ffmpeg).
const ceilingMargin = 0.5

// Stream fills samples with the track from the current position.
func (r *Renderer) Stream(samples [][2]float64) (int, bool) { return r.out.Stream(samples) }

// Err returns the error that stopped the stream, if any.
func (r *Renderer) Err() error { return r.out.Err() }

// Len is the track's length in samples.
func (r *Renderer) Len() int { return r.out.Len() }

// Position is the next sample Stream will give.
func (r *Renderer) Position() int { return r.out.Position() }

// Seek moves to sample p, 0 <= p <= Len.
func (r *Renderer) Seek(p int) error { return r.out.Seek(p) }

// LimitedBlocks reports in how many blocks (of 4096 samples) the limiter has
// lowered the gain so far: zero means the gain alone kept every peak under the
// ceiling.
func (r *Renderer) LimitedBlocks() int { return r.lim.limitedRuns }

// LimitedIn reports whether the limiter lowered the gain at any sample of
// [from, to) streamed so far: where it did not, the output is the mix times
// the gain.
func (r *Renderer) LimitedIn(from, to int) bool { return r.lim.limitedIn(from, to) }

// Close closes the clip and the music stream the renderer holds open.
func (r *Renderer) Close() error {
	err := r.events.Close()
	if r.music != nil {
		if e := r.music.Close(); e != nil && err == nil {
			err = fmt.Errorf("mixer: music: %w", e)
		}
	}
	return err
}

// sum adds two streams of the same length sample by sample.
type sum struct {
	a, b beep.StreamSeeker
	tmp  [][2]float64
	err  error
}

func (s *sum) Len() int      { return s.a.Len() }
func (s *sum) Position() int { return s.a.Position() }
func (s *sum) Err() error {
	if s.err != nil {
		return s.err
	}
	if err := s.a.Err(); err != nil {
		return err
	}
	return s.b.Err()
}

func (s *sum) Seek(p int) error {
	if err := s.a.Seek(p); err != nil {
		return err
	}
	return s.b.Seek(p)
}

func (s *sum) Stream(dst [][2]float64) (int, bool) {
	if s.err != nil {
		return 0, false
	}
	n := fill(s.a, dst)
	for done := 0; done < n; {
		part := s.tmp[:min(len(s.tmp), n-done)]
		m := fill(s.b, part)
		for j := range part[:m] {
			dst[done+j][0] += part[j][0]
			dst[done+j][1] += part[j][1]
		}
		if m < len(part) {
			s.err = streamErr(s.b, "the music", s.b.Position())
			return 0, false
		}
		done += m
	}
	return n, n > 0
}

// mono folds a stream to (L+R)/2 in both channels.
type mono struct{ beep.StreamSeeker }

func (m mono) Stream(dst [][2]float64) (int, bool) {
	n, ok := m.StreamSeeker.Stream(dst)
	for j := range dst[:n] {
		v := (dst[j][0] + dst[j][1]) / 2
		dst[j] = [2]float64{v, v}
	}
	return n, ok
}
