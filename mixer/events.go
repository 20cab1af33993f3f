package mixer

import (
	"fmt"
	"math"
	"sort"

	"github.com/gopxl/beep/v2"
)

// eventStream plays the events of a timeline: clips, tones and swells, summed.
// Every sample is a function of its absolute position (tones from their start,
// swells from the track's start so that an inhale and the exhale after it join
// without a seam), so Seek needs no state but the clip being played.
type eventStream struct {
	tl     *Timeline
	clips  Clips
	maxDur int // longest audible event: no event starting before pos-maxDur is heard at pos
	pos    int
	err    error

	clip   beep.StreamSeekCloser // the clip being played, or nil
	clipEv int                   // its event's index
	tmp    [][2]float64
}

var _ beep.StreamSeeker = (*eventStream)(nil)

func newEventStream(tl *Timeline, clips Clips) (*eventStream, error) {
	s := &eventStream{tl: tl, clips: clips, clipEv: -1, tmp: make([][2]float64, 1024)}
	voiceEnd, prevStart := 0, 0
	for i, e := range tl.Events {
		switch {
		case e.Start < prevStart:
			return nil, fmt.Errorf("mixer: timeline event %d starts before the one before it", i)
		case e.Start < 0 || e.End < e.Start || e.End > tl.Length:
			return nil, fmt.Errorf("mixer: timeline event %d [%d, %d) is outside the track [0, %d)", i, e.Start, e.End, tl.Length)
		case e.Kind.Voice() && e.Start < voiceEnd:
			return nil, fmt.Errorf("mixer: timeline event %d (%q) overlaps the voice before it", i, e.Text)
		}
		prevStart = e.Start
		if e.Kind.Voice() {
			voiceEnd = e.End
		}
		if audible(&e) {
			s.maxDur = max(s.maxDur, e.Len())
		}
	}
	return s, nil
}

func audible(e *Event) bool {
	return e.Kind.Voice() || ((e.Kind.Tone() || e.Kind == BreatheIn || e.Kind == BreatheOut) && e.Amp != 0)
}

func (s *eventStream) Len() int      { return s.tl.Length }
func (s *eventStream) Position() int { return s.pos }
func (s *eventStream) Err() error    { return s.err }

func (s *eventStream) Seek(p int) error {
	if p < 0 || p > s.tl.Length {
		return fmt.Errorf("mixer: seek to %d outside [0, %d]", p, s.tl.Length)
	}
	s.pos = p
	return nil
}

// Close closes the clip being played, if any.
func (s *eventStream) Close() error {
	if s.clip == nil {
		return nil
	}
	err := s.clip.Close()
	s.clip, s.clipEv = nil, -1
	if err != nil {
		return fmt.Errorf("mixer: closing a clip: %w", err)
	}
	return nil
}

func (s *eventStream) Stream(dst [][2]float64) (int, bool) {
	if s.err != nil {
		return 0, false
	}
	n := min(len(dst), s.tl.Length-s.pos)
	if n <= 0 {
		return 0, false
	}
	dst = dst[:n]
	clear(dst)
	a, b := s.pos, s.pos+n
	ev := s.tl.Events
	i := sort.Search(len(ev), func(i int) bool { return ev[i].Start > a-s.maxDur })
	for ; i < len(ev) && ev[i].Start < b; i++ {
		e := &ev[i]
		if e.End <= a || !audible(e) {
			continue
		}
		lo, hi := max(a, e.Start), min(b, e.End)
		out := dst[lo-a : hi-a]
		switch {
		case e.Kind.Voice():
			if err := s.voice(i, e, lo, out); err != nil {
				s.err = err
				s.Close()
				return 0, false
			}
		case e.Kind.Tone():
			tone(e, lo-e.Start, s.tl.SampleRate, out)
		default:
			swell(e, lo, s.tl.SampleRate, out)
		}
	}
	s.pos = b
	return n, true
}

// voice adds clip samples [from-e.Start, +len(out)) of event i to out. The
// clip is opened when its event is reached and closed once its last sample is
// played, so one clip at most is open at a time.
func (s *eventStream) voice(i int, e *Event, from int, out [][2]float64) error {
	if s.clipEv != i {
		if err := s.Close(); err != nil {
			return err
		}
		c, err := s.clips.Open(e.Text)
		if err != nil {
			return fmt.Errorf("mixer: clip %q: %w", e.Text, err)
		}
		s.clip, s.clipEv = c, i
		if c.Len() != e.Len() {
			return fmt.Errorf("mixer: clip %q is %d samples long, %d when the timeline was compiled", e.Text, c.Len(), e.Len())
		}
	}
	off := from - e.Start
	if s.clip.Position() != off {
		if err := s.clip.Seek(off); err != nil {
			return fmt.Errorf("mixer: clip %q: seek to %d: %w", e.Text, off, err)
		}
	}
	for len(out) > 0 {
		buf := s.tmp[:min(len(out), len(s.tmp))]
		got := 0
		for got < len(buf) {
			m, ok := s.clip.Stream(buf[got:])
			got += m
			if !ok || m == 0 {
				break
			}
		}
		if got < len(buf) {
			if err := s.clip.Err(); err != nil {
				return fmt.Errorf("mixer: clip %q: %w", e.Text, err)
			}
			return fmt.Errorf("mixer: clip %q ended at sample %d of %d", e.Text, s.clip.Position(), e.Len())
		}
		for j := range buf {
			out[j][0] += buf[j][0]
			out[j][1] += buf[j][1]
		}
		out = out[len(buf):]
	}
	if s.clip.Position() >= e.Len() {
		return s.Close()
	}
	return nil
}

// rc is a raised-cosine ramp from 0 (x=0) to 1 (x=1), with zero slope at both
// ends: the smoothest cheap ramp, which is why fades use it.
func rc(x float64) float64 { return 0.5 - 0.5*sinTurns(x/2+0.25) }

// The cues are synthesized from a table: sinTurns(c) is sin(2πc), linearly
// interpolated between 4096 points a turn, within 3e-7 (-130 dB) and several
// times faster than math.Sin. It is a pure function of c, so a seek
// reproduces the samples exactly.
const sinPoints = 4096

var sinTable = func() (t [sinPoints + 1]float64) {
	for i := range t {
		t[i] = math.Sin(2 * math.Pi * float64(i) / sinPoints)
	}
	return t
}()

func sinTurns(c float64) float64 {
	x := (c - math.Floor(c)) * sinPoints
	i := int(x)
	return sinTable[i] + (sinTable[i+1]-sinTable[i])*(x-float64(i))
}

// envelope is the gain of a tone or swell k samples after its start.
func envelope(e *Event, k int) float64 {
	n := e.Len()
	g := e.From
	if e.To != e.From {
		g += (e.To - e.From) * rc(float64(k)/float64(n))
	}
	if k < e.FadeIn {
		g *= rc(float64(k) / float64(e.FadeIn))
	}
	if r := n - k; r < e.FadeOut {
		g *= rc(float64(r) / float64(e.FadeOut))
	}
	return g
}

// tone adds a sine of e.Freq, starting at phase zero at e.Start, samples
// k0.. of the event.
func tone(e *Event, k0 int, sr beep.SampleRate, out [][2]float64) {
	w := e.Freq / float64(sr)
	for j := range out {
		k := k0 + j
		v := e.Amp * envelope(e, k) * sinTurns(w*float64(k))
		out[j][0] += v
		out[j][1] += v
	}
}

// The swell is a soft pad on the event's root: the root, a fifth, an octave,
// and a slightly detuned root that beats slowly against it. Weights sum to
// swellNorm so that the pad never exceeds e.Amp.
var swellPartials = [...]struct{ ratio, weight float64 }{
	{1, 1}, {1.5, 0.45}, {2, 0.3}, {1.004, 0.6},
}

const swellNorm = 1 + 0.45 + 0.3 + 0.6

// swell adds the pad from absolute sample `from` (its phase counts from the
// start of the track, so consecutive breaths join seamlessly).
func swell(e *Event, from int, sr beep.SampleRate, out [][2]float64) {
	for j := range out {
		n := from + j
		var v float64
		for _, p := range swellPartials {
			v += p.weight * sinTurns(e.Freq*p.ratio*float64(n)/float64(sr))
		}
		v *= e.Amp / swellNorm * envelope(e, n-e.Start)
		out[j][0] += v
		out[j][1] += v
	}
}
