package routines

import (
	"reflect"
	"strings"
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

// Every value stays inside its range on a dose a person would prescribe
// (whole seconds, rests over 10 s on multiples of 5 s, or an end of the
// range), and the script only grows as the position does.
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
			end := lo == want[0] || lo == want[1]
			if lo > 1000 && !end && lo%time.Second != 0 {
				t.Fatalf("p=%g: %s is %v, not a whole second", p, what, lo)
			}
			if strings.HasSuffix(what, "rest") && !end && lo > 10*time.Second && lo%(5*time.Second) != 0 {
				t.Fatalf("p=%g: %s is %v, a rest over 10 s off a multiple of 5 s", p, what, lo)
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

// Every duration is a dose a person would prescribe and say: whole
// seconds, and rests over 10 s on multiples of 5 s.
func TestStretchDosesArePrescribable(t *testing.T) {
	r, err := Parse("said.yaml", []byte(`title: Said
exercises:
  - name: Plank
    reps: 2-6
    sets: 2-3
    set_rest: 12-40s
    steps:
      - Hold for {hold} seconds.
      - hold: 10-20s
      - rest: 2-3s
      - breathe_in: 3-6s
      - rest: 11-29s
`))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 40; i++ {
		s := r.Stretched(Even(float64(i) / 40))
		ex := s.Exercises[0]
		steps := ex.Steps
		for j, d := range []time.Duration{steps[1].Duration.Min, steps[2].Duration.Min, steps[3].Duration.Min, steps[4].Duration.Min, ex.SetRest.Min} {
			if d%time.Second != 0 {
				t.Errorf("position %d/40: duration %d is %v", i, j, d)
			}
		}
		for _, rest := range []time.Duration{steps[4].Duration.Min, ex.SetRest.Min} {
			if rest > 10*time.Second && rest%(5*time.Second) != 0 && rest != 11*time.Second && rest != 29*time.Second && rest != 12*time.Second && rest != 40*time.Second {
				t.Errorf("position %d/40: a rest of %v", i, rest)
			}
		}
		sc, err := Expand(s, Standard)
		if err != nil {
			t.Fatal(err)
		}
		want := "Hold for " + mustPB(t).Seconds(steps[1].Duration.Min) + " seconds."
		said := false
		for _, c := range sc.Cues {
			said = said || c.Text == want
		}
		if !said {
			t.Errorf("position %d/40: does not say %q", i, want)
		}
	}
	if got := doses(DurationRange{11 * time.Second, 29 * time.Second}, true); !reflect.DeepEqual(got, []time.Duration{11e9, 15e9, 20e9, 25e9, 29e9}) {
		t.Errorf("rest doses 11-29s: %v", got)
	}
	if got := doses(DurationRange{500 * time.Millisecond, 800 * time.Millisecond}, false); len(got) != 4 {
		t.Errorf("doses 500-800ms, no whole second inside: %v", got)
	}
}

// SettledBy moves every settle time but a chosen 0, within its limits.
func TestSettledBy(t *testing.T) {
	r, err := Parse("s.yaml", []byte("title: S\nexercises:\n  - name: A\n    steps: [Go., {hold: 5s}]\n  - name: B\n    settle: 0s\n    steps: [Go., {hold: 5s}]\n  - name: C\n    settle: 29s\n    steps: [Go., {hold: 5s}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := r.SettledBy(1500 * time.Millisecond)
	if *s.Settle != DefaultSettle+1500*time.Millisecond || *s.Exercises[1].Settle != 0 || *s.Exercises[2].Settle != MaxSettle {
		t.Errorf("settles %v %v %v", *s.Settle, *s.Exercises[1].Settle, *s.Exercises[2].Settle)
	}
	if r.Settle != nil || *r.Exercises[2].Settle != 29*time.Second {
		t.Error("SettledBy changed the routine it was given")
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
		0: "0:00", -time.Second: "0:00", 59990 * time.Millisecond: "0:59", 61 * time.Second: "1:01", 3599 * time.Second: "59:59",
		1533*time.Second + 900*time.Millisecond: "25:33", 3600 * time.Second: "1:00:00", 3725 * time.Second: "1:02:05",
	} {
		if got := FormatClock(d); got != want {
			t.Errorf("FormatClock(%v) = %q, want %q", d, got, want)
		}
	}
}
