package mixer

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"routinecast/internal/dsp"
	"routinecast/routines"
)

// Compile lays a script out on a timeline, using the real length of every clip
// (each clip is opened once to read its Len, and closed).
//
// The layout, with t the end of the last line or timed cue placed:
//
//   - A spoken cue (say, count) starts Gap after the latest of t, the end of the
//     voice and the end of any tone (LeadIn at the very start), and plays whole.
//   - A timed cue (hold, rest, breathe in/out) starts exactly at t, with no gap,
//     and lasts exactly SampleRate.N(Duration) samples; a hold with a settle
//     time (routines.Cue.Settle) gets a silent settle segment first, and a
//     breath whose phrase is spoken starts Gap after the voice.
//   - A hold gets a countdown: a short tone (or a spoken number) at each of the
//     last Countdown.Count whole seconds that fall after its start, and the end
//     tone starting at its exact end. Rests get one only with Countdown.Rests.
//   - A hold gets a start cue at its first sample (HoldStart), and so does a
//     rest that does not start straight after a line, a tone or a breath.
//   - A hold of at least Halfway.MinHold gets a halfway cue at its middle sample.
//   - A breath is a sound exactly as long as the breath; its phrase is spoken
//     from the breath's start as Breathing.Say says.
//   - Phrases the mixer adds ("halfway", a breath's phrase within a series)
//     are left out when the voice is not free Gap before their time, so the
//     voice never overlaps itself or runs on; spoken countdown numbers, one a
//     second, need the voice free 300 ms before (or Gap, if shorter).
//   - A chapter starts where its first sound starts.
func Compile(script *routines.Script, clips Clips, opt Options) (*Timeline, error) {
	if script == nil {
		return nil, errors.New("mixer: no script")
	}
	if clips == nil {
		return nil, errors.New("mixer: no clips")
	}
	o, err := opt.resolve()
	if err != nil {
		return nil, err
	}
	c := &compiler{
		o:             o,
		s:             script,
		clips:         clips,
		lengths:       map[string]int{},
		prevBreathEnd: -1,
		tl:            &Timeline{Title: script.Title, SampleRate: o.SampleRate, Channels: o.Channels, Options: o},
	}
	if err := c.run(); err != nil {
		return nil, err
	}
	c.tl.Cues = slices.Clone(script.Cues)
	return c.tl, nil
}

type compiler struct {
	o       Options
	s       *routines.Script
	clips   Clips
	lengths map[string]int
	tl      *Timeline

	t         int  // end of the last line or timed cue
	voiceFree int  // end of the last voice event
	toneFree  int  // end of the last tone
	end       int  // end of the last event of any kind
	started   bool // something has been placed
	pending   []string
	spoken    map[routines.CueKind]bool // breath phrases said in the current series

	prevBreathEnd int   // end of the last breath placed, -1 before any
	prevBreath    Event // the last breath placed

	gains map[string]float64 // matchGain's results
}

func (c *compiler) n(d time.Duration) int { return c.o.SampleRate.N(d) }

// clipLen finds a clip's exact length, from ClipLens or by opening it.
func (c *compiler) clipLen(text string) (int, error) {
	if n, ok := c.lengths[text]; ok {
		return n, nil
	}
	var n int
	if cl, ok := c.clips.(ClipLens); ok {
		var err error
		if n, err = cl.ClipLen(text); err != nil {
			return 0, fmt.Errorf("clip %q: %w", text, err)
		}
	} else {
		s, err := c.clips.Open(text)
		if err != nil {
			return 0, fmt.Errorf("clip %q: %w", text, err)
		}
		n = s.Len()
		if err := s.Close(); err != nil {
			return 0, fmt.Errorf("clip %q: %w", text, err)
		}
	}
	if n <= 0 {
		return 0, fmt.Errorf("clip %q is empty", text)
	}
	c.lengths[text] = n
	return n, nil
}

func (c *compiler) add(e Event) {
	if !c.started {
		c.started = true
	}
	for _, title := range c.pending {
		start := e.Start
		if len(c.tl.Chapters) == 0 {
			// The first chapter covers the lead-in too: players expect chapters
			// to begin at the start of the track.
			start = 0
		}
		c.tl.Chapters = append(c.tl.Chapters, Chapter{Title: title, Start: start})
	}
	c.pending = c.pending[:0]
	c.tl.Events = append(c.tl.Events, e)
	c.end = max(c.end, e.End)
	switch {
	case e.Kind.Voice():
		c.voiceFree = e.End
	case e.Kind.Tone():
		c.toneFree = max(c.toneFree, e.End)
	}
}

// prev returns the kind of the nearest cue before i that is not a chapter, or "".
func (c *compiler) prev(i int) routines.CueKind {
	for j := i - 1; j >= 0; j-- {
		if k := c.s.Cues[j].Kind; k != routines.Chapter {
			return k
		}
	}
	return ""
}

// next returns the kind of the nearest cue after i that is not a chapter, or "".
func (c *compiler) next(i int) routines.CueKind {
	for j := i + 1; j < len(c.s.Cues); j++ {
		if k := c.s.Cues[j].Kind; k != routines.Chapter {
			return k
		}
	}
	return ""
}

func (c *compiler) run() error {
	for i, cue := range c.s.Cues {
		var err error
		switch {
		case cue.Kind == routines.Chapter:
			c.pending = append(c.pending, cue.Text)
		case cue.Kind.Spoken():
			err = c.line(i, cue)
		case cue.Kind.Timed():
			err = c.timed(i, cue)
		default:
			err = fmt.Errorf("unknown kind %q", cue.Kind)
		}
		if err != nil {
			return fmt.Errorf("mixer: cue %d (%s): %w", i+1, cue.Kind, err)
		}
	}
	if !c.started {
		return errors.New("mixer: the script has nothing to say or time")
	}
	for _, title := range c.pending {
		c.tl.Chapters = append(c.tl.Chapters, Chapter{Title: title, Start: c.end})
	}
	c.tl.Length = c.end + c.n(nonneg(c.o.Tail))
	rank := func(k EventKind) int {
		switch {
		case k.Segment():
			return 0
		case k.Voice():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(c.tl.Events, func(a, b Event) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return rank(a.Kind) - rank(b.Kind)
	})
	for _, e := range c.tl.Events {
		if e.Kind.Voice() {
			c.tl.Lines = append(c.tl.Lines, Line{Text: e.Text, Start: e.Start, End: e.End})
		}
	}
	return nil
}

// line places a spoken cue.
func (c *compiler) line(i int, cue routines.Cue) error {
	if cue.Text == "" {
		return errors.New("nothing to say")
	}
	n, err := c.clipLen(cue.Text)
	if err != nil {
		return err
	}
	start := c.n(nonneg(c.o.LeadIn))
	if c.started {
		start = max(c.t, c.voiceFree, c.toneFree) + c.n(nonneg(c.o.Gap))
	}
	c.add(Event{Kind: Speech, Start: start, End: start + n, Text: cue.Text, Cue: i})
	c.t = start + n
	return nil
}

// countGap is the shortest pause before a spoken countdown number: the
// numbers keep the rhythm of the seconds, one a second, which the full
// line gap would break for any number longer than half a second.
const countGap = 300 * time.Millisecond

// phrase places a phrase the mixer adds at sample at, if the voice is free
// gap before then.
func (c *compiler) phrase(i int, text string, at int, gap time.Duration) error {
	n, err := c.clipLen(text)
	if err != nil {
		return err
	}
	if c.started && c.voiceFree+c.n(nonneg(gap)) > at {
		return nil
	}
	c.add(Event{Kind: Phrase, Start: at, End: at + n, Text: text, Cue: i})
	return nil
}

func (c *compiler) tone(kind EventKind, i, at int, freq float64, length time.Duration, level float64) {
	n := c.n(length)
	if n <= 0 {
		return
	}
	e := Event{Kind: kind, Start: at, End: at + n, Cue: i, Freq: freq, Amp: dsp.Gain(level), From: 1, To: 1}
	fade := c.n(5 * time.Millisecond)
	e.FadeIn, e.FadeOut = min(fade, n/2), min(fade, n/2)
	switch kind {
	case EndTone:
		// A chime: it dies away instead of stopping.
		e.To = 0.2
		e.FadeOut = min(c.n(40*time.Millisecond), n/2)
	case Halfway:
		e.FadeIn, e.FadeOut = min(c.n(20*time.Millisecond), n/2), min(c.n(60*time.Millisecond), n/2)
	case HoldStart:
		// Softer than a beep: it swells in over 30 ms and dies away.
		e.To = 0.1
		e.FadeIn, e.FadeOut = min(c.n(30*time.Millisecond), n/2), min(c.n(100*time.Millisecond), n/2)
	}
	if set := c.o.CueSounds; set != CueClassic {
		e.Sounds = set
		switch set {
		case CueSoft:
			// A rounder tone that swells in and fades: the end sound swells
			// over a third of its length, the others over 25 ms.
			e.FadeIn = min(c.n(25*time.Millisecond), n/2)
			e.To = 0.3
			if kind == EndTone {
				e.FadeIn, e.To = n/3, 0
			}
		case CueWood:
			// Knocks: the decay is the sound's own, the fades only keep
			// its edges clean.
			e.From, e.To = 1, 1
			e.FadeIn, e.FadeOut = min(c.n(time.Millisecond/2), n/2), min(c.n(10*time.Millisecond), n/2)
		}
		e.Amp *= c.matchGain(e)
	}
	c.add(e)
}

// levelWindow is how much of a cue sound its level is matched over: the
// length of a countdown beep, over which a short sound's loudness is heard.
const levelWindow = 120 * time.Millisecond

// matchGain is the gain that gives cue sound e the power, over its first
// levelWindow, of the classic sound of the same kind, pitch and length, so
// that every set sits where the classic one does against the voice.
func (c *compiler) matchGain(e Event) float64 {
	key := fmt.Sprint(e.Kind, e.Sounds, e.Freq, e.Len())
	if g, ok := c.gains[key]; ok {
		return g
	}
	classic := e
	classic.Sounds, classic.From, classic.To = CueClassic, 1, 1
	fade := min(c.n(5*time.Millisecond), e.Len()/2)
	classic.FadeIn, classic.FadeOut = fade, fade
	switch e.Kind {
	case EndTone:
		classic.To, classic.FadeOut = 0.2, min(c.n(40*time.Millisecond), e.Len()/2)
	case Halfway:
		classic.FadeIn, classic.FadeOut = min(c.n(20*time.Millisecond), e.Len()/2), min(c.n(60*time.Millisecond), e.Len()/2)
	case HoldStart:
		classic.To = 0.1
		classic.FadeIn, classic.FadeOut = min(c.n(30*time.Millisecond), e.Len()/2), min(c.n(100*time.Millisecond), e.Len()/2)
	}
	w := min(e.Len(), c.n(levelWindow))
	power := func(ev Event) float64 {
		buf := make([][2]float64, w)
		tone(&ev, 0, c.o.SampleRate, buf)
		var p float64
		for _, v := range buf {
			p += v[0] * v[0]
		}
		return p
	}
	g := 1.0
	if p := power(e); p > 0 {
		g = math.Sqrt(power(classic) / p)
	}
	if c.gains == nil {
		c.gains = map[string]float64{}
	}
	c.gains[key] = g
	return g
}

// timed places a hold, rest or breath and its cues.
func (c *compiler) timed(i int, cue routines.Cue) error {
	if cue.Duration <= 0 {
		return fmt.Errorf("duration %v is not positive", cue.Duration)
	}
	n := c.n(cue.Duration)
	if n <= 0 {
		return fmt.Errorf("duration %v is shorter than one sample", cue.Duration)
	}
	start := c.t
	if !c.started {
		start = c.n(nonneg(c.o.LeadIn))
	}
	breath := cue.Kind == routines.BreatheIn || cue.Kind == routines.BreatheOut
	say := false
	if breath {
		b := c.o.Breathing
		if p := c.prev(i); cue.First || (p != routines.BreatheIn && p != routines.BreatheOut) || c.spoken == nil {
			c.spoken = map[routines.CueKind]bool{}
		}
		say = cue.Text != "" && (b.Say == SayAlways || (b.Say == SayFirst && !c.spoken[cue.Kind]))
		c.spoken[cue.Kind] = true
		// The first breath of a series waits for a gap after the line
		// that announced it, so that its phrase does not run on; later ones
		// keep the rhythm and drop a phrase the voice is too busy for.
		if say && c.started && (cue.First || c.prevBreathEnd != start) {
			start = max(start, c.voiceFree+c.n(nonneg(c.o.Gap)))
		}
	}
	if cue.Kind == routines.Hold && cue.Settle > 0 {
		s := c.n(cue.Settle)
		c.add(Event{Kind: Settle, Start: start, End: start + s, Cue: i})
		start += s
	}
	end := start + n
	c.t = end
	seg := Event{Kind: EventKind(cue.Kind), Start: start, End: end, Cue: i}

	switch cue.Kind {
	case routines.BreatheIn, routines.BreatheOut:
		c.breathSound(i, cue, &seg)
		c.add(seg)
		c.prevBreathEnd, c.prevBreath = end, seg
		if say {
			return c.phrase(i, cue.Text, start, c.o.Gap)
		}
		return nil
	case routines.Hold, routines.Rest:
		// A rest straight after a line, a tone or a breath needs no start
		// of its own: that sound is its start.
		quiet := c.voiceFree < start && c.toneFree < start && c.prevBreathEnd != start
		c.add(seg)
		if cue.Kind == routines.Hold || quiet {
			if err := c.holdStart(i, start); err != nil {
				return err
			}
		}
	}

	h := c.o.Halfway
	if cue.Kind == routines.Hold && h.Mode != HalfwayNone && cue.Duration >= h.MinHold {
		mid := start + n/2
		if h.Mode == HalfwaySpoken {
			if c.s.Phrases.Halfway == "" {
				return errors.New("a spoken halfway cue needs Script.Phrases.Halfway")
			}
			if err := c.phrase(i, c.s.Phrases.Halfway, mid, c.o.Gap); err != nil {
				return err
			}
		} else {
			c.tone(Halfway, i, mid, h.Pitch, h.Length, h.Level)
		}
	}

	cd := c.o.Countdown
	if cd.Count > 0 && (cue.Kind == routines.Hold || cd.Rests) {
		sec := int(c.o.SampleRate)
		for k := cd.Count; k >= 1; k-- {
			at := end - k*sec
			if at <= start {
				continue
			}
			if cd.Spoken {
				if k > len(c.s.Phrases.Countdown) || c.s.Phrases.Countdown[k-1] == "" {
					return fmt.Errorf("a spoken countdown needs the number %d in Script.Phrases.Countdown", k)
				}
				if err := c.phrase(i, c.s.Phrases.Countdown[k-1], at, min(c.o.Gap, countGap)); err != nil {
					return err
				}
				continue
			}
			c.tone(Beep, i, at, cd.Pitch, cd.Length, cd.Level)
		}
		c.tone(EndTone, i, end, cd.EndPitch, cd.EndLength, cd.Level)
	}

	return nil
}

// holdStart marks the first sample of a hold or rest, as HoldStart.Mode says.
func (c *compiler) holdStart(i, at int) error {
	h := c.o.HoldStart
	switch h.Mode {
	case HoldStartNone:
		return nil
	case HoldStartSpoken:
		if c.s.Phrases.Hold == "" {
			return errors.New("a spoken hold-start needs Script.Phrases.Hold")
		}
		before := len(c.tl.Events)
		if err := c.phrase(i, c.s.Phrases.Hold, at, c.o.Gap); err != nil {
			return err
		}
		if len(c.tl.Events) > before {
			return nil
		}
		// The voice is busy at the start: the tone still marks it.
	}
	c.tone(HoldStart, i, at, h.Pitch, h.Length, h.Level)
	return nil
}

// breathSound gives a breath segment its sound: the envelope rises 0 to 1
// through an inhale and falls 1 to 0 through an exhale, so the loudest
// moment is the turn; an inhale no exhale follows is released over
// BreathRelease, and an exhale no inhale comes before fades in over
// BreathEdge.
func (c *compiler) breathSound(i int, cue routines.Cue, seg *Event) {
	b := c.o.Breathing
	if b.Sound == BreathNone {
		return
	}
	n := seg.Len()
	seg.Sound, seg.Freq, seg.Amp = b.Sound, b.Pitch, dsp.Gain(b.Level)
	edge := min(c.n(BreathEdge), n/2)
	joined := c.prevBreathEnd == seg.Start && c.prevBreath.Kind == BreatheIn && c.prevBreath.Sound == b.Sound
	if cue.Kind == routines.BreatheIn {
		seg.From, seg.To = 0, 1
		if c.next(i) != routines.BreatheOut {
			seg.FadeOut = min(c.n(BreathRelease), n/2)
		}
		return
	}
	seg.From, seg.To = 1, 0
	if !joined {
		seg.FadeIn = edge
		return
	}
	// The tone glides on from where the inhale left its phase.
	p := c.prevBreath
	seg.Phase = math.Mod(p.Phase+glidePhase(p.Freq, p.Len(), p.Len(), true, c.o.SampleRate), 1)
}
