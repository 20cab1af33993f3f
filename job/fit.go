package job

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// ErrLength is returned when a routine's ranges cannot make the length asked for.
var ErrLength = errors.New("out of reach of its ranges")

// FitTolerance is how close to the length asked for a fitted track must come.
// Within it a length is reachable; past the span's ends, by more than it, it is not.
const FitTolerance = 10 * time.Second

// Fitted is a routine stretched to last a chosen length.
type Fitted struct {
	Stretch routines.Stretch
	// Routine is the routine with every range fixed at Stretch.
	Routine *routines.Routine
	// Length is the track's length at Stretch, from the voice's clips;
	// Shortest and Longest are its lengths at the gentle and full ends.
	Length, Shortest, Longest time.Duration
	// Label names the fit where a level's name would go, e.g. "28 min".
	Label routines.Level
}

// MinutesLabel is how a session of a chosen length is named in titles.
func MinutesLabel(want time.Duration) routines.Level {
	return routines.Level(strconv.FormatFloat(want.Minutes(), 'f', -1, 64) + " min")
}

// Fit finds the stretch of o.Routine whose track, laid out with the clips of
// o.Voice and o.Mixer's cues, lasts as close to want as the ranges allow.
//
// The length can only be known from the timeline: clip lengths and cue
// options decide it. It grows with each position of the stretch, by one
// range's rounding step at a time, so bisection finds the even stretch (counts
// and times at one position) either side of want. Where a count's step (a
// repetition more) jumps over want, the times alone are then moved, counts
// held, to come closer. Lines the voice has no clip for are rendered first
// when o.Render is set (the lines of both ends at once, then any other line a
// stretch between them says); without it they are timed from their words,
// so that Compile can name them afterwards.
func Fit(o Options, want time.Duration) (*Fitted, error) {
	o = o.withDefaults()
	if o.Routine == nil {
		return nil, errNoRoutine
	}
	var ends []string
	for _, p := range []float64{0, 1} {
		s, err := routines.ExpandStretch(o.Routine, routines.Even(p), "fit")
		if err != nil {
			return nil, err
		}
		ends = append(ends, spokenLines(s, o.Mixer)...)
	}
	voice, err := o.voiceWith(ends)
	if err != nil {
		return nil, err
	}
	// The mixer options that decide where events fall; the rest (music,
	// loudness) change nothing in the layout.
	mo := o.Mixer
	set := voice.Clips(mo.SampleRate)
	set.OnRepair(o.Repaired)
	clips := &fitClips{o: o, voice: voice, set: set, sr: mo.SampleRate, lens: map[string]int{}}
	f := fitter{r: o.Routine, clips: clips, mo: mo}

	lo, err := f.length(routines.Even(0))
	if err != nil {
		return nil, err
	}
	hi, err := f.length(routines.Even(1))
	if err != nil {
		return nil, err
	}
	if want < lo-FitTolerance || want > hi+FitTolerance {
		return nil, fmt.Errorf("%s lasts %s to %s, from its gentle to its full level; %s is %w",
			o.Routine.Name, routines.FormatClock(lo), routines.FormatClock(hi), routines.FormatClock(want), ErrLength)
	}
	best := candidate{routines.Even(0), lo}
	consider := func(c candidate) {
		if absDur(c.length-want) < absDur(best.length-want) {
			best = c
		}
	}
	consider(candidate{routines.Even(1), hi})

	// The even stretch either side of want.
	below, above, err := f.bracket(want, routines.Even, candidate{routines.Even(0), lo}, candidate{routines.Even(1), hi})
	if err != nil {
		return nil, err
	}
	consider(below)
	consider(above)
	// Counts held where each side left them; times moved alone.
	if absDur(best.length-want) > time.Second {
		for _, side := range []candidate{below, above} {
			c := side.s.Counts
			at := func(p float64) routines.Stretch { return routines.Stretch{Counts: c, Times: p} }
			l0, err := f.length(at(0))
			if err != nil {
				return nil, err
			}
			l1, err := f.length(at(1))
			if err != nil {
				return nil, err
			}
			consider(candidate{at(0), l0})
			consider(candidate{at(1), l1})
			if l0 < want && want < l1 {
				b, a, err := f.bracket(want, at, candidate{at(0), l0}, candidate{at(1), l1})
				if err != nil {
					return nil, err
				}
				consider(b)
				consider(a)
			}
		}
	}
	fitted, length := o.Routine.Stretched(best.s), best.length
	if lo <= want && want <= hi { // past an end, the end's level is the answer
		if fitted, length, err = f.settle(fitted, length, want); err != nil {
			return nil, err
		}
	}
	return &Fitted{
		Stretch: best.s, Routine: fitted,
		Length: length, Shortest: lo, Longest: hi, Label: MinutesLabel(want),
	}, nil
}

// settle spreads what the stretch leaves between length and want over the
// settle times of r (see Routine.SettledBy): holds, rests and breaths stay
// on the whole seconds a person prescribes, and a repetition more or a
// second more on a hold said twenty times need not leave the track 10 s
// off. A settle that reaches its limit takes no more, so the spread is
// measured and tried again, keeping the closest.
func (f *fitter) settle(r *routines.Routine, length, want time.Duration) (*routines.Routine, time.Duration, error) {
	script, err := routines.Expand(r, routines.Standard)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	for _, c := range script.Cues {
		if c.Settle > 0 {
			n++
		}
	}
	best, bestLen := r, length
	var by time.Duration
	for i := 0; i < 3 && n > 0 && absDur(want-bestLen) > 500*time.Millisecond; i++ {
		// Shortened by at most a second: a settle is time to get into position.
		by = max(by+((want-bestLen)/time.Duration(n)).Round(time.Millisecond), -time.Second)
		moved := r.SettledBy(by)
		l, err := f.measure(moved)
		if err != nil {
			return nil, 0, err
		}
		if absDur(want-l) >= absDur(want-bestLen) {
			break
		}
		best, bestLen = moved, l
	}
	return best, bestLen, nil
}

type candidate struct {
	s      routines.Stretch
	length time.Duration
}

type fitter struct {
	r     *routines.Routine
	clips *fitClips
	mo    mixer.Options
}

// length lays out the timeline at a stretch and returns its length.
func (f *fitter) length(s routines.Stretch) (time.Duration, error) {
	return f.measure(f.r.Stretched(s))
}

// measure lays out the timeline of r, whose ranges are fixed, and returns
// its length.
func (f *fitter) measure(r *routines.Routine) (time.Duration, error) {
	script, err := routines.Expand(r, routines.Standard)
	if err != nil {
		return 0, err
	}
	tl, err := mixer.Compile(script, f.clips, f.mo)
	if err != nil {
		return 0, err
	}
	return tl.Time(tl.Length), nil
}

// bracket bisects the positions between lo (shorter than want) and hi (at
// least want) down to the last one shorter and the first one not shorter.
func (f *fitter) bracket(want time.Duration, at func(float64) routines.Stretch, lo, hi candidate) (below, above candidate, err error) {
	a, b := 0.0, 1.0
	if lo.length >= want {
		return lo, lo, nil
	}
	// 2^-20 is finer than any step: a range would need a million of them.
	for i := 0; i < 20; i++ {
		m := (a + b) / 2
		l, err := f.length(at(m))
		if err != nil {
			return lo, hi, err
		}
		if l < want {
			a, lo = m, candidate{at(m), l}
		} else {
			b, hi = m, candidate{at(m), l}
		}
	}
	return lo, hi, nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// fitClips gives the mixer every line's clip length, remembered across the
// many layouts of a fit; a line the voice lacks is rendered, or without
// o.Render timed from its words.
type fitClips struct {
	o     Options
	voice *narration.Voice
	set   *narration.ClipSet
	sr    beep.SampleRate
	mu    sync.Mutex
	lens  map[string]int
}

func (c *fitClips) Open(text string) (beep.StreamSeekCloser, error) { return c.set.Open(text) }

func (c *fitClips) ClipLen(text string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.lens[text]; ok {
		return n, nil
	}
	var n int
	if missing := c.voice.Missing([]string{text}); len(missing) > 0 && c.o.Render != nil {
		voice, err := c.o.voiceWith(missing)
		if err != nil {
			return 0, err
		}
		c.voice, c.set = voice, voice.Clips(c.sr)
		c.set.OnRepair(c.o.Repaired)
	}
	if len(c.voice.Missing([]string{text})) > 0 {
		n = c.sr.N(routines.EstimateSpoken(text))
	} else {
		var err error
		if n, err = c.set.ClipLen(text); err != nil {
			return 0, err
		}
	}
	c.lens[text] = n
	return n, nil
}

// compileFitted compiles the routine stretched to o.Length.
func compileFitted(o Options) (*Job, error) {
	if o.Length <= 0 || math.IsInf(o.Length.Minutes(), 0) {
		return nil, fmt.Errorf("%s is not a length: %w", o.Length, ErrLength)
	}
	fit, err := Fit(o, o.Length)
	if err != nil {
		return nil, err
	}
	o.Routine, o.Length = fit.Routine, 0
	job, err := Compile(o)
	if err != nil {
		return nil, err
	}
	job.Script.Level = fit.Label
	return job, nil
}

// Script is the script Compile would play for o, without a voice's clips:
// expanded at o's level, or stretched to o.Length by Fit, which times the
// lines the voice has no clip for from their words.
func Script(o Options) (*routines.Script, error) {
	if o.Length == 0 {
		return routines.Expand(o.Routine, o.Level)
	}
	fit, err := Fit(o, o.Length)
	if err != nil {
		return nil, err
	}
	s, err := routines.Expand(fit.Routine, routines.Standard)
	if err != nil {
		return nil, err
	}
	s.Level = fit.Label
	return s, nil
}
