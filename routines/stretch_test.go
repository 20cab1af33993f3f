package routines

import (
	"reflect"
	"testing"
	"time"
)

// eachRange calls f with every range of a routine, in order, as [min, max]
// durations (counts as that many nanoseconds).
func eachRange(r *Routine, f func(what string, lo, hi time.Duration)) {
	if w := r.Warmup; w != nil {
		f("breaths", time.Duration(w.Breaths.Min), time.Duration(w.Breaths.Max))
		f("inhale", w.Inhale.Min, w.Inhale.Max)
		f("exhale", w.Exhale.Min, w.Exhale.Max)
	}
	var ex func(e *Exercise)
	ex = func(e *Exercise) {
		f(e.Name+" reps", time.Duration(e.Reps.Min), time.Duration(e.Reps.Max))
		f(e.Name+" sets", time.Duration(e.Sets.Min), time.Duration(e.Sets.Max))
		f(e.Name+" set rest", e.SetRest.Min, e.SetRest.Max)
		for _, s := range append(append([]Step{}, e.Setup...), e.Steps...) {
			if s.Kind.Timed() {
				f(e.Name+" "+string(s.Kind), s.Duration.Min, s.Duration.Max)
			}
		}
		if e.Variant != nil {
			ex(e.Variant)
		}
	}
	for i := range r.Exercises {
		ex(&r.Exercises[i])
	}
}

func TestStretchEndsAreTheLevels(t *testing.T) {
	r, err := Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p     float64
		level Level
	}{{0, Gentle}, {1, Full}, {-3, Gentle}, {7, Full}} {
		got, err := ExpandStretch(r, Even(c.p), c.level)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Expand(r, c.level)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("stretch %g: the script differs from level %s's", c.p, c.level)
		}
	}
}

// Every value stays inside its range, durations the routine does not say
// fall on 100 ms steps, and the script only grows as the position does.
func TestStretchStaysInRangeAndGrows(t *testing.T) {
	r, err := Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	var ranges [][2]time.Duration
	eachRange(r, func(_ string, lo, hi time.Duration) { ranges = append(ranges, [2]time.Duration{lo, hi}) })
	var prev time.Duration
	moved := 0
	for i := 0; i <= 200; i++ {
		p := float64(i) / 200
		s := r.Stretched(Stretch{Counts: p, Times: p})
		k := 0
		eachRange(s, func(what string, lo, hi time.Duration) {
			want := ranges[k]
			k++
			if lo != hi {
				t.Fatalf("p=%g: %s is still a range %v-%v", p, what, lo, hi)
			}
			if lo < want[0] || lo > want[1] {
				t.Fatalf("p=%g: %s is %v, outside %v-%v", p, what, lo, want[0], want[1])
			}
			if lo > 1000 && lo%(100*time.Millisecond) != 0 {
				t.Fatalf("p=%g: %s is %v, not on a 100 ms step", p, what, lo)
			}
			if lo != want[0] && lo != want[1] {
				moved++
			}
		})
		sc, err := Expand(s, Standard)
		if err != nil {
			t.Fatal(err)
		}
		if tot := sc.Total(); tot < prev {
			t.Fatalf("p=%g: the script is %v, shorter than %v before", p, tot, prev)
		} else {
			prev = tot
		}
	}
	if moved == 0 {
		t.Error("no range ever took a value between its ends")
	}
	// The original is untouched.
	again, _ := Builtin("lower-back")
	if !reflect.DeepEqual(r, again) {
		t.Error("Stretched changed the routine it was given")
	}
}

// A duration the narration says is kept to whole seconds, so it can be said.
func TestStretchSaidDurationsWholeSeconds(t *testing.T) {
	r, err := Parse("said.yaml", []byte(`title: Said
exercises:
  - name: Plank
    reps: 2-6
    steps:
      - Hold for {hold} seconds.
      - hold: 10-20s
      - rest: 2-3s
`))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 20; i++ {
		s := r.Stretched(Even(float64(i) / 20))
		steps := s.Exercises[0].Steps
		if h := steps[1].Duration.Min; h%time.Second != 0 {
			t.Errorf("position %d/20: the hold said aloud is %v", i, h)
		}
		sc, err := Expand(s, Standard)
		if err != nil {
			t.Fatal(err)
		}
		want := "Hold for " + mustPB(t).Seconds(steps[1].Duration.Min) + " seconds."
		if sc.Cues[2].Text != want {
			t.Errorf("position %d/20: says %q, want %q", i, sc.Cues[2].Text, want)
		}
	}
	if got := r.Stretched(Even(0.5)).Exercises[0].Steps[2].Duration.Min; got%time.Second == 0 && got != 2*time.Second && got != 3*time.Second {
		t.Errorf("the rest, not said, is %v", got)
	}
}

func mustPB(t *testing.T) *Phrasebook {
	pb, err := PhrasebookFor("en")
	if err != nil {
		t.Fatal(err)
	}
	return pb
}

func TestFormatClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 1533*time.Second + 900*time.Millisecond: "25:33", 3600 * time.Second: "1:00:00", 3725 * time.Second: "1:02:05",
	} {
		if got := FormatClock(d); got != want {
			t.Errorf("FormatClock(%v) = %q, want %q", d, got, want)
		}
	}
}
