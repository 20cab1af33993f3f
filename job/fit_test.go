package job

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"routinecast/routines"
)

// lowerBackLevels is the built-in lower-back routine, compiled with the
// embedded voice at its shortest and its longest level.
func lowerBackLevels(t *testing.T) (r *routines.Routine, gentle, full *Job) {
	t.Helper()
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	if gentle, err = Compile(Options{Routine: r, Level: routines.Gentle}); err != nil {
		t.Fatal(err)
	}
	if full, err = Compile(Options{Routine: r, Level: routines.Full}); err != nil {
		t.Fatal(err)
	}
	return r, gentle, full
}

// The built-in routine, laid out with the embedded voice, fits lengths across
// its span within the tolerance, every range inside its bounds.
func TestFitLowerBack(t *testing.T) {
	r, gentle, full := lowerBackLevels(t)
	lo, hi := gentle.Timeline.Duration(), full.Timeline.Duration()
	for _, f := range []float64{0.05, 0.2, 0.4, 0.6, 0.8, 0.95} {
		// Whole quarter minutes across the span, as a user would ask.
		want := (lo + time.Duration(f*float64(hi-lo))).Round(15 * time.Second)
		minutes := want.Minutes()
		job, err := Compile(Options{Routine: r, Length: want})
		if err != nil {
			t.Fatalf("%g min: %v", minutes, err)
		}
		got := job.Timeline.Duration()
		t.Logf("%g min: %v (span %v to %v)", minutes, got, lo, hi)
		if d := got - want; d > FitTolerance || d < -FitTolerance {
			t.Errorf("%g min: the track lasts %v", minutes, got)
		}
		if job.Script.Level != MinutesLabel(want) {
			t.Errorf("%g min: level %q", minutes, job.Script.Level)
		}
	}
	// The span's ends are the levels'.
	fit, err := Fit(Options{Routine: r}, (lo+hi)/2)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Shortest != lo || fit.Longest != hi {
		t.Errorf("span %v to %v, want the levels' %v to %v", fit.Shortest, fit.Longest, lo, hi)
	}
}

func TestFitOutOfReach(t *testing.T) {
	r, g, f := lowerBackLevels(t)
	lo, hi := g.Timeline.Duration(), f.Timeline.Duration()
	clock := func(d time.Duration) string { return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60) }
	span := "lower-back lasts " + clock(lo) + " to " + clock(hi)
	for _, want := range []time.Duration{10 * time.Minute, hi + 5*time.Minute} {
		_, err := Compile(Options{Routine: r, Length: want})
		if !errors.Is(err, ErrLength) {
			t.Fatalf("%v: error %v, want ErrLength", want, err)
		}
		if msg := err.Error(); !strings.Contains(msg, span) {
			t.Errorf("%v: %q does not name the span (%s)", want, msg, span)
		}
	}
	// Just past an end, within the tolerance, the end itself is the answer.
	job, err := Compile(Options{Routine: r, Length: lo - 3*time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if job.Timeline.Length != g.Timeline.Length {
		t.Errorf("25:30 gave %v, not the gentle level's %v", job.Timeline.Duration(), g.Timeline.Duration())
	}
}

// A voice lacking a line's clip at the fitted values is reported by name,
// after the fit timed the line from its words.
func TestFitMissingClips(t *testing.T) {
	r, err := routines.Parse("said.yaml", []byte(`title: Said
exercises:
  - name: Bridge
    setup:
      - Do {reps} bridges.
    reps: 2-9
    steps:
      - Lower back down.
      - hold: 4s
      - count: true
`))
	if err != nil {
		t.Fatal(err)
	}
	fit, err := Fit(Options{Routine: r}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Shortest >= fit.Longest {
		t.Fatalf("span %v to %v", fit.Shortest, fit.Longest)
	}
	mid := (fit.Shortest + fit.Longest) / 2
	_, err = Compile(Options{Routine: r, Length: mid})
	var missing *MissingClipsError
	if !errors.As(err, &missing) {
		t.Fatalf("error %v, want the missing clips", err)
	}
	reps := fit.Routine.Exercises[0].Reps.Min
	if len(missing.Lines) != 1 || !strings.HasPrefix(missing.Lines[0], "Do ") || reps < 2 || reps > 9 {
		t.Errorf("missing %q at %d reps", missing.Lines, reps)
	}
}

// A fitted session prescribes what a person would: holds, rests and breaths
// of whole seconds, rests over 10 s on multiples of 5 s, and it still lasts
// the length asked for within the tolerance.
func TestFitDosesArePrescribable(t *testing.T) {
	r, gentle, full := lowerBackLevels(t)
	lo, hi := gentle.Timeline.Duration(), full.Timeline.Duration()
	for m := lo.Round(time.Minute) + time.Minute; m < hi; m += 90 * time.Second {
		job, err := Compile(Options{Routine: r, Length: m})
		if err != nil {
			t.Fatal(err)
		}
		if d := job.Timeline.Duration() - m; d > FitTolerance || d < -FitTolerance {
			t.Errorf("%v: the track lasts %v", m, job.Timeline.Duration())
		}
		for _, c := range job.Script.Cues {
			if !c.Kind.Timed() {
				continue
			}
			if c.Duration%time.Second != 0 {
				t.Errorf("%v: a %s of %v", m, c.Kind, c.Duration)
			}
			if c.Kind == routines.Rest && c.Duration > 10*time.Second && c.Duration%(5*time.Second) != 0 {
				t.Errorf("%v: a rest of %v", m, c.Duration)
			}
		}
	}
}
