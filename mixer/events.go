package mixer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

// eventStream plays the events of a timeline: clips, tones and swells, summed.
// Every sample is a function of its absolute position (tones from their start,
// swells from the track's start so that an inhale and the exhale after it join
// without a seam), so Seek needs no state but the clip being played.
type eventStream struct {
	playhead
	clips  Clips
	maxDur int // longest audible event: no event starting before pos-maxDur is heard at pos

	clip   beep.StreamSeekCloser // the clip being played, or nil
	clipEv int                   // its event's index
	tmp    [][2]float64
}

var _ beep.StreamSeeker = (*eventStream)(nil)

func newEventStream(tl *Timeline, clips Clips) (*eventStream, error) {
	s := &eventStream{playhead: playhead{tl: tl}, clips: clips, clipEv: -1, tmp: make([][2]float64, 1024)}
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

// playhead is where a streamer over the whole timeline stands: its
// position in [0, tl.Length] and the error that ended it. The streamers
// compute every sample from its position, so Seek only moves it.
type playhead struct {
	tl  *Timeline
	pos int
	err error
}

func (h *playhead) Len() int      { return h.tl.Length }
func (h *playhead) Position() int { return h.pos }
func (h *playhead) Err() error    { return h.err }

func (h *playhead) Seek(p int) error {
	if p < 0 || p > h.tl.Length {
		return fmt.Errorf("mixer: seek to %d outside [0, %d]", p, h.tl.Length)
	}
	h.pos = p
	return nil
}

// ahead returns how many samples a call of Stream for want gives from the
// position: 0 at the end or after an error.
func (h *playhead) ahead(want int) int {
	if h.err != nil {
		return 0
	}
	return max(min(want, h.tl.Length-h.pos), 0)
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
	n := s.ahead(len(dst))
	if n == 0 {
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

// breathShape is a breath's rise from 0 to 1 over x in [0, 1]: 1 -
// cos(πx/2), which leaves silence smoothly and still climbs at x = 1, so
// that the sound is loudest at the very turn from inhale to exhale and not
// on a plateau before it (a raised cosine is flat for the last tenth).
func breathShape(x float64) float64 { return 1 - sinTurns(x/4+0.25) }

// envelope is the gain of a tone or swell k samples after its start. A
// breath rises (or falls) along breathShape, mirrored in time for the
// exhale; other glides follow a raised cosine.
func envelope(e *Event, k int) float64 {
	n := e.Len()
	g := e.From
	if e.To != e.From {
		x := float64(k) / float64(n)
		switch {
		case e.Kind == BreatheIn && e.From < e.To:
			g += (e.To - e.From) * breathShape(x)
		case e.Kind == BreatheOut && e.From > e.To:
			g = e.To + (e.From-e.To)*breathShape(1-x)
		default:
			g += (e.To - e.From) * rc(x)
		}
	}
	if k < e.FadeIn {
		g *= rc(float64(k) / float64(e.FadeIn))
	}
	if r := n - k; r < e.FadeOut {
		g *= rc(float64(r) / float64(e.FadeOut))
	}
	return g
}

// envStep is the spacing of the points a swell's envelope is computed at
// away from its fades, with straight lines between them: a breath's shape
// spans seconds, so the lines are within 1e-7 of it, for a sixteenth of the
// work.
const envStep = 32

// envelopeRun stores in g the envelope k0, k0+1, ... samples after e's
// start: exact within and next to the fades, interpolated between points
// on a grid fixed to e's start elsewhere, so that a sample's value does not
// depend on where a read began.
func envelopeRun(e *Event, k0 int, g []float64) {
	n := e.Len()
	for j := 0; j < len(g); {
		k := k0 + j
		a := k - k%envStep
		b := a + envStep
		if a < e.FadeIn || b >= n-e.FadeOut {
			g[j] = envelope(e, k)
			j++
			continue
		}
		ga, gb := envelope(e, a), envelope(e, b)
		d := (gb - ga) / envStep
		for end := min(len(g), j+b-k); j < end; j++ {
			g[j] = ga + d*float64(k0+j-a)
		}
	}
}

// A cue tone is its pitch with the second and third harmonics (toneH2,
// toneH3), scaled to the power of a sine of amplitude e.Amp. The pitches
// are low (a phone's speaker plays little under 400 Hz) and the harmonics
// carry the tone there: a small speaker then loses about as much of a tone
// as of the voice, whose own fundamental is low, and the tones stay level
// with the voice on it as on headphones.
var toneRMS = math.Sqrt(1 + toneH2*toneH2 + toneH3*toneH3)

// The harmonics start a third and a twelfth of a turn on: the phases that
// give the sum its lowest peak, 0.6 dB over a sine of the same power (in
// phase, 1.7 dB), so that a loud target leaves the tones to the limiter no
// sooner than the sines they replaced.
const (
	toneH2Phase = 1.0 / 3
	toneH3Phase = 1.0 / 12
)

// The soft set's tone: the second harmonic only, softer, for a rounder
// sound (its phone-band share is still the classic tone's, near enough).
const softH2 = 0.6

var softRMS = math.Sqrt(1 + softH2*softH2)

// tone adds the cue sound of e.Freq, starting at phase zero at e.Start,
// samples k0.. of the event, in e's sound set.
func tone(e *Event, k0 int, sr beep.SampleRate, out [][2]float64) {
	if e.Sounds == CueWood {
		woodTone(e, k0, sr, out)
		return
	}
	w := e.Freq / float64(sr)
	for j := range out {
		k := k0 + j
		ph := w * float64(k)
		ph -= math.Floor(ph)
		var v float64
		if e.Sounds == CueSoft {
			v = (sinTurns(ph) + softH2*sinTurns(2*ph+toneH2Phase)) / softRMS
		} else {
			v = (sinTurns(ph) + toneH2*sinTurns(2*ph+toneH2Phase) + toneH3*sinTurns(3*ph+toneH3Phase)) / toneRMS
		}
		v *= e.Amp * envelope(e, k)
		out[j][0] += v
		out[j][1] += v
	}
}

// A wooden knock: the first three modes of a struck free bar (ratios 1,
// 2.76, 5.40), the higher ones dying faster, as wood's do.
var woodModes = [...]struct{ ratio, weight, decay float64 }{
	{1, 1, 0.060}, {2.76, 0.6, 0.040}, {5.40, 0.25, 0.020},
}

// woodTop is the highest mode's ratio to the pitch.
const woodTop = 5.40

// woodKnocks are a wood sound's knocks: the end sound knocks twice, the
// second 150 ms on and a fourth up; the others once.
func woodKnocks(e *Event, sr beep.SampleRate) [][2]float64 {
	if e.Kind == EndTone {
		return [][2]float64{{0, 1}, {float64(sr.N(150 * time.Millisecond)), 4.0 / 3}}
	}
	return [][2]float64{{0, 1}}
}

func woodTone(e *Event, k0 int, sr beep.SampleRate, out [][2]float64) {
	knocks := woodKnocks(e, sr)
	for j := range out {
		k := k0 + j
		var v float64
		for _, kn := range knocks {
			d := float64(k) - kn[0]
			if d < 0 {
				continue
			}
			t := d / float64(sr)
			for _, m := range woodModes {
				ph := e.Freq * kn[1] * m.ratio * t
				v += m.weight * math.Exp(-t/m.decay) * sinTurns(ph-math.Floor(ph))
			}
		}
		v *= e.Amp * envelope(e, k)
		out[j][0] += v
		out[j][1] += v
	}
}

// swell adds a breath's sound from absolute sample from. Every sound is a
// pure function of the absolute position (noise, pad) or of the position in
// the event and its Phase (tone), so consecutive breaths join without a seam
// and a seek reproduces the samples exactly.
func swell(e *Event, from int, sr beep.SampleRate, out [][2]float64) {
	switch e.Sound {
	case BreathTone:
		breathTone(e, from, sr, out)
	case BreathPad:
		breathPad(e, from, sr, out)
	default:
		breathNoiseAdd(e, from, sr, out)
	}
}

// The pad: root, fifth and octave, weights summing to padNorm so that it
// never exceeds e.Amp. (Earlier versions added a slightly detuned root,
// whose slow beat put three or four bumps in every breath.)
var padPartials = [...]struct{ ratio, weight float64 }{
	{1, 1}, {1.5, 0.45}, {2, 0.3},
}

const padNorm = 1 + 0.45 + 0.3

func breathPad(e *Event, from int, sr beep.SampleRate, out [][2]float64) {
	var g [256]float64
	for len(out) > 0 {
		part := out[:min(len(out), len(g))]
		envelopeRun(e, from-e.Start, g[:len(part)])
		for j := range part {
			n := from + j
			var v float64
			for _, p := range padPartials {
				v += p.weight * sinTurns(e.Freq*p.ratio*float64(n)/float64(sr))
			}
			v *= e.Amp / padNorm * g[j]
			part[j][0] += v
			part[j][1] += v
		}
		out, from = out[len(part):], from+len(part)
	}
}

// The breath tone glides with the breath: from e.Freq up a fifth through an
// inhale (raised-cosine, like its envelope) and back down through an
// exhale, with its second and third harmonics, so that a small speaker that
// plays nothing under 400 Hz still plays most of it.
const (
	glideRatio = 1.5
	toneH2     = 0.5
	toneH3     = 0.25
	toneNorm   = 1 + toneH2 + toneH3
)

// glidePhase is the phase, in turns, that a breath tone starting at pitch
// f0 (rising) or f0·glideRatio (falling) has reached k samples into a glide
// of n samples: the integral of f0 + (f1-f0)·rc(j/n) (rising) or of
// f1 - (f1-f0)·rc(j/n) (falling), where the integral of rc(j/n) over
// [0, k] is k/2 - n/(2π)·sin(πk/n).
func glidePhase(f0 float64, k, n int, rising bool, sr beep.SampleRate) float64 {
	x, nn := float64(k), float64(n)
	up := x/2 - nn/(2*math.Pi)*sinTurns(x/(2*nn))
	if !rising {
		up = x - up
	}
	return (f0*x + f0*(glideRatio-1)*up) / float64(sr)
}

func breathTone(e *Event, from int, sr beep.SampleRate, out [][2]float64) {
	n := e.Len()
	rising := e.Kind == BreatheIn
	for j := range out {
		k := from + j - e.Start
		ph := e.Phase + glidePhase(e.Freq, k, n, rising, sr)
		ph -= math.Floor(ph)
		v := sinTurns(ph) + toneH2*sinTurns(2*ph) + toneH3*sinTurns(3*ph)
		v *= e.Amp / toneNorm * envelope(e, k)
		out[j][0] += v
		out[j][1] += v
	}
}

// The breath noise is read from two loops of band-passed noise made once
// per sample rate: a brighter one for the inhale, a darker one for the
// exhale, each about three seconds long (at 44.1 kHz), which is too long to
// be heard repeating. Reading a table costs no more than a lookup a sample.
const noisePoints = 1 << 17

type noiseTables struct{ in, out []float32 }

var (
	noiseMu    sync.Mutex
	noiseCache = map[beep.SampleRate]*noiseTables{}
)

// breathNoise returns the noise tables at sr, making them the first time.
// The tables are scaled to the power of a sine of peak 1, so that Level
// means for the noise what it means for a tone.
func breathNoise(sr beep.SampleRate) *noiseTables {
	noiseMu.Lock()
	defer noiseMu.Unlock()
	if t, ok := noiseCache[sr]; ok {
		return t
	}
	r := rand.New(rand.NewPCG(0x6272656174, 0x6865)) // fixed: the same noise every run
	white := make([]float64, noisePoints)
	for i := range white {
		white[i] = r.NormFloat64()
	}
	t := &noiseTables{
		in:  bandNoise(white, float64(sr), 700, 4000),
		out: bandNoise(white, float64(sr), 450, 2000),
	}
	noiseCache[sr] = t
	return t
}

// bandNoise filters a loop of white noise with a second-order high-pass at
// lo and a second-order low-pass at hi (Butterworth, bilinear transform).
// The filters run round the loop twice and the second round is kept: their
// memory, a few milliseconds, then holds the loop's own end, so the loop
// has no seam.
func bandNoise(white []float64, sr, lo, hi float64) []float32 {
	hp := dsp.Butterworth(sr, lo, true)
	lp := dsp.Butterworth(sr, hi, false)
	out := make([]float32, len(white))
	var power float64
	for pass := 0; pass < 2; pass++ {
		for i, x := range white {
			y := lp.Step(hp.Step(x))
			if pass == 1 {
				out[i] = float32(y)
				power += y * y
			}
		}
	}
	// A sine of peak 1 has power 1/2.
	g := float32(math.Sqrt(0.5 / (power / float64(len(out)))))
	for i := range out {
		out[i] *= g
	}
	return out
}

func breathNoiseAdd(e *Event, from int, sr beep.SampleRate, out [][2]float64) {
	t := breathNoise(sr)
	tab := t.in
	if e.Kind == BreatheOut {
		tab = t.out
	}
	var g [256]float64
	for len(out) > 0 {
		part := out[:min(len(out), len(g))]
		envelopeRun(e, from-e.Start, g[:len(part)])
		for j := range part {
			v := e.Amp * g[j] * float64(tab[(from+j)&(noisePoints-1)])
			part[j][0] += v
			part[j][1] += v
		}
		out, from = out[len(part):], from+len(part)
	}
}
