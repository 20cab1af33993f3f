package routines

import (
	"fmt"
	"math"
	"time"
)

// Stretch places every range of a routine at a position between its low end
// (0, where the gentle level takes it) and its high end (1, full). The levels
// are three fixed points; a stretch is any point between, which is how a
// session of a chosen length is found. Counts (repetitions, sets, breaths) and
// times (holds, rests, breaths' lengths) have a position each, so that a
// caller can fine-tune the length with the times once the counts are set.
type Stretch struct {
	Counts float64
	Times  float64
}

// Even is the stretch with counts and times at the same position p.
func Even(p float64) Stretch { return Stretch{Counts: p, Times: p} }

// Durations are placed on doses a person would prescribe: whole seconds,
// and a rest over 10 s on a multiple of 5 s ("rest 15 s", not "18.5 s"),
// besides the range's own ends, which its author wrote.
const restRound = 5 * time.Second

// Where each range rounds is staggered by the golden ratio, range after range:
// with one shared threshold, the four "3-5 reps" of the built-in routine would
// all gain a repetition at the same position, a jump of minutes in the length.
// Staggered, the length grows by one range's step at a time, and every value
// still stays within a step of its exact proportion.
const golden = 0.6180339887498949

// Stretched returns a copy of the routine with every range fixed at the
// stretch's position: its Min and Max are the same value, so every level of
// the copy expands to the same script. Positions are clamped to 0..1. At 0
// the values are the gentle level's and at 1 the full level's.
func (r *Routine) Stretched(s Stretch) *Routine {
	st := stretcher{counts: clamp01(s.Counts), times: clamp01(s.Times)}
	out := *r
	if r.Warmup != nil {
		w := *r.Warmup
		w.Breaths = st.count(w.Breaths)
		w.Inhale = st.duration(w.Inhale, false)
		w.Exhale = st.duration(w.Exhale, false)
		out.Warmup = &w
	}
	out.Exercises = make([]Exercise, len(r.Exercises))
	for i := range r.Exercises {
		out.Exercises[i] = st.exercise(&r.Exercises[i])
	}
	return &out
}

// ExpandStretch expands a routine at a stretch. The script's Level is label,
// which says how the stretch was chosen (e.g. "28 min").
func ExpandStretch(r *Routine, s Stretch, label Level) (*Script, error) {
	sc, err := Expand(r.Stretched(s), Standard)
	if err != nil {
		return nil, err
	}
	sc.Level = label
	return sc, nil
}

type stretcher struct {
	counts, times float64
	n             int // ranges placed so far: picks each one's rounding offset
}

func clamp01(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}

// place returns how many of w steps a range at position p takes: floor(p*w +
// offset), so 0 at p = 0 and w at p = 1, never going down as p grows.
func (st *stretcher) place(p float64, w int64) int64 {
	st.n++
	off := math.Mod(0.5+float64(st.n)*golden, 1)
	k := int64(math.Floor(p*float64(w) + off))
	return min(max(k, 0), w)
}

func (st *stretcher) count(r Range) Range {
	if r.Max <= r.Min {
		return r
	}
	v := r.Min + int(st.place(st.counts, int64(r.Max-r.Min)))
	return Range{v, v}
}

// duration places a range on one of its doses (see doses), at the
// stretch's times position.
func (st *stretcher) duration(r DurationRange, rest bool) DurationRange {
	if r.Max <= r.Min {
		return r
	}
	ds := doses(r, rest)
	v := r.Max
	if st.times < 1 {
		v = ds[st.place(st.times, int64(len(ds)-1))]
	} else {
		st.n++ // the same offsets whatever the position
	}
	return DurationRange{v, v}
}

// doses are the values a range may be stretched to, in order: its ends, and
// the whole seconds between them, only multiples of 5 s over 10 s for a
// rest. A range with no whole second in it at all (500-800ms) falls back to
// 100 ms steps.
func doses(r DurationRange, rest bool) []time.Duration {
	out := []time.Duration{r.Min}
	for v := r.Min.Truncate(time.Second) + time.Second; v < r.Max; v += time.Second {
		if !rest || v <= 10*time.Second || v%restRound == 0 {
			out = append(out, v)
		}
	}
	if len(out) == 1 && r.Min%time.Second != 0 && r.Max%time.Second != 0 && r.Max-r.Min > 100*time.Millisecond {
		for v := r.Min + 100*time.Millisecond; v < r.Max; v += 100 * time.Millisecond {
			out = append(out, v)
		}
	}
	return append(out, r.Max)
}

func (st *stretcher) exercise(ex *Exercise) Exercise {
	out := *ex
	out.Reps = st.count(ex.Reps)
	out.Sets = st.count(ex.Sets)
	out.SetRest = st.duration(ex.SetRest, true)
	out.Setup = st.steps(ex.Setup)
	out.Steps = st.steps(ex.Steps)
	if ex.Variant != nil {
		v := st.exercise(ex.Variant)
		out.Variant = &v
	}
	return out
}

func (st *stretcher) steps(steps []Step) []Step {
	if steps == nil {
		return nil
	}
	out := make([]Step, len(steps))
	for i, s := range steps {
		if s.Kind.Timed() {
			s.Duration = st.duration(s.Duration, s.Kind == Rest)
		}
		out[i] = s
	}
	return out
}

// SettledBy returns a copy of the routine whose settle times (see
// Routine.Settle) are longer by d, or shorter when d is negative, within 0
// to MaxSettle. A settle of 0, which its author chose, stays 0. A length
// fitted with prescribable doses lands near, not on, the length asked
// for; the rest goes to the settle times, which nobody prescribes or reads.
func (r *Routine) SettledBy(d time.Duration) *Routine {
	by := func(s *time.Duration, def time.Duration) *time.Duration {
		v := def
		if s != nil {
			v = *s
		}
		if v > 0 {
			v = min(max(v+d, 0), MaxSettle)
		}
		return &v
	}
	out := *r
	out.Settle = by(r.Settle, DefaultSettle)
	out.Exercises = make([]Exercise, len(r.Exercises))
	for i, ex := range r.Exercises {
		if ex.Settle != nil {
			ex.Settle = by(ex.Settle, 0)
		}
		if v := ex.Variant; v != nil && v.Settle != nil {
			vc := *v
			vc.Settle = by(v.Settle, 0)
			ex.Variant = &vc
		}
		out.Exercises[i] = ex
	}
	return &out
}

// FormatClock writes a duration as m:ss, or h:mm:ss from an hour, rounding
// down as players do: how every length and time a person reads is told
// (show, list, play, export, handouts, pages, packs). A negative duration
// is 0:00.
func FormatClock(d time.Duration) string {
	t := int64(max(d, 0) / time.Second)
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
