package mixer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/routines"
)

func TestCompileLayout(t *testing.T) {
	c := fake()
	L := c.Len
	gap := sr * 50 / 100
	lead := sr / 10
	end := 400 * sr / 1000

	t.Run("lines are a gap apart, the first after the lead-in", func(t *testing.T) {
		tl := compile(t, script(say("One two."), say("Three four five.")), c, Options{})
		ls := tl.Lines
		if ls[0].Start != lead || ls[0].End != lead+L("One two.") {
			t.Errorf("first line at [%d, %d), want [%d, %d)", ls[0].Start, ls[0].End, lead, lead+L("One two."))
		}
		if ls[1].Start != ls[0].End+gap {
			t.Errorf("second line starts %d after the first ends, want %d", ls[1].Start-ls[0].End, gap)
		}
		if tl.Length != ls[1].End+sr {
			t.Errorf("length %d, want the last end + 1 s tail = %d", tl.Length, ls[1].End+sr)
		}
	})

	t.Run("a hold starts when its line ends and lasts exactly", func(t *testing.T) {
		d := 7*time.Second + 250*time.Millisecond
		tl := compile(t, script(say("Hold it."), hold(d), say("Relax.")), c, Options{})
		h := events(tl, Hold)[0]
		if h.Start != tl.Lines[0].End {
			t.Errorf("hold starts at %d, its line ends at %d", h.Start, tl.Lines[0].End)
		}
		if h.Len() != 7*sr+sr/4 {
			t.Errorf("hold is %d samples, want %d", h.Len(), 7*sr+sr/4)
		}
		beeps := events(tl, Beep)
		if len(beeps) != 3 {
			t.Fatalf("%d countdown beeps, want 3", len(beeps))
		}
		for i, b := range beeps {
			if want := h.End - (3-i)*sr; b.Start != want {
				t.Errorf("beep %d at %d, want %d (%d s before the end)", i, b.Start, want, 3-i)
			}
			if b.Freq != 294 || b.Len() != 120*sr/1000 {
				t.Errorf("beep %d: %g Hz, %d samples, want 294 Hz, %d", i, b.Freq, b.Len(), 120*sr/1000)
			}
		}
		et := events(tl, EndTone)
		if len(et) != 1 || et[0].Start != h.End || et[0].Freq != 392 || et[0].Len() != end {
			t.Fatalf("end tone %+v, want one at %d, 392 Hz, %d samples", et, h.End, end)
		}
		if got := tl.Lines[1].Start; got != h.End+end+gap {
			t.Errorf("the line after the hold starts %d after it, want the end tone and a gap, %d", got-h.End, end+gap)
		}
		if len(events(tl, Halfway)) != 0 {
			t.Error("a halfway cue in a 7 s hold")
		}
	})

	t.Run("short hold counts only the seconds inside it", func(t *testing.T) {
		tl := compile(t, script(say("Hold."), hold(2*time.Second)), c, Options{})
		h := events(tl, Hold)[0]
		b := events(tl, Beep)
		if len(b) != 1 || b[0].Start != h.End-sr {
			t.Errorf("beeps %+v, want one at %d", b, h.End-sr)
		}
	})

	t.Run("timed cues follow each other exactly", func(t *testing.T) {
		tl := compile(t, script(say("Go."), hold(3*time.Second), rest(2*time.Second), hold(1500*time.Millisecond)), c, Options{})
		segs := append(events(tl, Hold), events(tl, Rest)...)
		h1, h2, r := segs[0], segs[1], segs[2]
		if h1.Start != tl.Lines[0].End || r.Start != h1.End || h2.Start != r.End {
			t.Errorf("hold [%d,%d) rest [%d,%d) hold [%d,%d): not back to back after the line ending %d",
				h1.Start, h1.End, r.Start, r.End, h2.Start, h2.End, tl.Lines[0].End)
		}
		if len(events(tl, EndTone)) != 2 {
			t.Errorf("%d end tones, want 2 (rests get none by default)", len(events(tl, EndTone)))
		}
	})

	t.Run("countdown options", func(t *testing.T) {
		o := Options{Countdown: CountdownOptions{Count: 5, Pitch: 1000, Rests: true}}
		tl := compile(t, script(say("Go."), hold(10*time.Second), say("Rest."), rest(6*time.Second)), c, o)
		if n := len(events(tl, Beep)); n != 10 {
			t.Errorf("%d beeps, want 5 per hold and rest", n)
		}
		tl = compile(t, script(say("Go."), hold(10*time.Second)), c, Options{Countdown: CountdownOptions{Count: -1}})
		if n := len(events(tl, Beep)) + len(events(tl, EndTone)); n != 0 {
			t.Errorf("%d tones with the countdown off", n)
		}
	})

	t.Run("spoken countdown", func(t *testing.T) {
		tl := compile(t, script(say("Go."), hold(10*time.Second)), c, Options{Countdown: CountdownOptions{Spoken: true}})
		h := events(tl, Hold)[0]
		ph := events(tl, Phrase)
		if len(ph) != 3 || len(events(tl, Beep)) != 0 {
			t.Fatalf("phrases %+v, want three numbers and no beeps", ph)
		}
		for i, p := range ph {
			word := []string{"three", "two", "one"}[i]
			if p.Text != word || p.Start != h.End-(3-i)*sr {
				t.Errorf("phrase %d %q at %d, want %q at %d", i, p.Text, p.Start, word, h.End-(3-i)*sr)
			}
		}
	})

	t.Run("a slow voice drops the numbers it has no room for", func(t *testing.T) {
		slow := fake()
		slow.PerWord = 1200 * time.Millisecond // "three" takes 1.45 s
		tl := compile(t, script(say("Go."), hold(10*time.Second)), slow, Options{Countdown: CountdownOptions{Spoken: true}})
		var got []string
		for _, p := range events(tl, Phrase) {
			got = append(got, p.Text)
		}
		if strings.Join(got, " ") != "three one" {
			t.Errorf("said %q, want \"three one\" (two overlaps three)", got)
		}
	})

	t.Run("halfway", func(t *testing.T) {
		tl := compile(t, script(say("Go."), hold(20*time.Second), say("Again."), hold(19*time.Second)), c, Options{})
		hw := events(tl, Halfway)
		h := events(tl, Hold)[0]
		if len(hw) != 1 || hw[0].Start != h.Start+h.Len()/2 {
			t.Errorf("halfway %+v, want one at %d (20 s hold only)", hw, h.Start+h.Len()/2)
		}
		tl = compile(t, script(say("Go."), hold(30*time.Second)), c, Options{Halfway: HalfwayOptions{Mode: HalfwaySpoken}})
		ph := events(tl, Phrase)
		if len(ph) != 1 || ph[0].Text != "Halfway." || ph[0].Start != tl.Lines[0].End+15*sr {
			t.Errorf("spoken halfway %+v", ph)
		}
		tl = compile(t, script(say("Go."), hold(30*time.Second)), c, Options{Halfway: HalfwayOptions{Mode: HalfwayNone}})
		if len(events(tl, Halfway))+len(events(tl, Phrase)) != 0 {
			t.Error("a halfway cue with HalfwayNone")
		}
	})

	breaths := script(say("Breathe with me."),
		breath(routines.BreatheIn, 4*time.Second, true), breath(routines.BreatheOut, 6*time.Second, false),
		breath(routines.BreatheIn, 4*time.Second, false), breath(routines.BreatheOut, 6*time.Second, false),
		say("Good."))
	for _, tc := range []struct {
		name string
		mode SayMode
		want []string
	}{
		{"breath phrases on the first of a series", SayFirst, []string{"Breathe in.", "Breathe out."}},
		{"breath phrases always", SayAlways, []string{"Breathe in.", "Breathe out.", "Breathe in.", "Breathe out."}},
		{"breath phrases never", SayNever, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := compile(t, breaths, c, Options{Breathing: BreathingOptions{Say: tc.mode}})
			var got []string
			for _, p := range events(tl, Phrase) {
				got = append(got, p.Text)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("said %q, want %q", got, tc.want)
			}
			in, out := events(tl, BreatheIn), events(tl, BreatheOut)
			// A breath whose phrase is said waits a gap after the line.
			first := tl.Lines[0].End
			if tc.mode != SayNever {
				first += gap
			}
			if in[0].Start != first || out[0].Start != in[0].End || in[1].Start != out[0].End {
				t.Errorf("breaths not back to back from %d", first)
			}
			if in[0].Len() != 4*sr || out[0].Len() != 6*sr {
				t.Errorf("breaths of %d and %d samples, want %d and %d", in[0].Len(), out[0].Len(), 4*sr, 6*sr)
			}
			if in[0].From != 0 || in[0].To != 1 || out[0].From != 1 || out[0].To != 0 || in[0].FadeOut != 0 || out[0].FadeIn != 0 {
				t.Errorf("swell envelopes %+v %+v: want 0 to 1, then 1 to 0, joined", in[0], out[0])
			}
			for _, p := range events(tl, Phrase) {
				if p.Start != tl.Events[indexOfCue(tl, p.Cue)].Start {
					t.Errorf("phrase %q at %d, not at its breath's start", p.Text, p.Start)
				}
			}
		})
	}

	t.Run("chapters start at their first sound", func(t *testing.T) {
		tl := compile(t, script(chapter("Intro"), say("Hello."), chapter("Warm-up"), chapter("Really"), say("Breathe."), chapter("Outro")), c, Options{})
		want := []Chapter{{"Intro", 0}, {"Warm-up", tl.Lines[1].Start}, {"Really", tl.Lines[1].Start}, {"Outro", tl.Lines[1].End}}
		if len(tl.Chapters) != len(want) {
			t.Fatalf("chapters %+v, want %+v", tl.Chapters, want)
		}
		for i := range want {
			if tl.Chapters[i] != want[i] {
				t.Errorf("chapter %d %+v, want %+v", i, tl.Chapters[i], want[i])
			}
		}
	})

	t.Run("gap, lead-in and tail options", func(t *testing.T) {
		tl := compile(t, script(say("A."), say("B.")), c, Options{Gap: -1, LeadIn: -1, Tail: -1, SampleRate: 48000, Channels: 1})
		l := tl.Lines
		if l[0].Start != 0 || l[1].Start != l[0].End || tl.Length != l[1].End || tl.SampleRate != 48000 || tl.Channels != 1 {
			t.Errorf("lines %+v, length %d: want no lead-in, gap or tail", l, tl.Length)
		}
	})
}

func indexOfCue(tl *Timeline, cue int) int {
	for i, e := range tl.Events {
		if e.Cue == cue && e.Kind.Segment() {
			return i
		}
	}
	return -1
}

type failing struct{ bad string }

func (f failing) Open(text string) (beep.StreamSeekCloser, error) {
	if text == f.bad {
		return nil, errors.New("no such clip")
	}
	return fake().Open(text)
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name   string
		s      *routines.Script
		clips  Clips
		o      Options
		want   string
		target error
	}{
		{"no script", nil, fake(), Options{}, "mixer: no script", nil},
		{"no clips", script(say("A.")), nil, Options{}, "mixer: no clips", nil},
		{"nothing to play", script(chapter("Only a title")), fake(), Options{}, "nothing to say or time", nil},
		{"empty line", script(say("")), fake(), Options{}, "mixer: cue 1 (say): nothing to say", nil},
		{"zero hold", script(say("A."), hold(0)), fake(), Options{}, "mixer: cue 2 (hold): duration 0s is not positive", nil},
		{"missing clip", script(say("A."), say("B.")), failing{"B."}, Options{}, `mixer: cue 2 (say): clip "B.": no such clip`, nil},
		{"unknown cue", script(routines.Cue{Kind: "dance"}), fake(), Options{}, `unknown kind "dance"`, nil},
		{"channels", script(say("A.")), fake(), Options{Channels: 3}, "channels must be 1 or 2", ErrOptions},
		{"pitch", script(say("A.")), fake(), Options{Countdown: CountdownOptions{Pitch: 20000}}, "countdown pitch 20000 Hz is out of range", ErrOptions},
		{"several", script(say("A.")), fake(), Options{SampleRate: 100, Loudness: LoudnessOptions{Target: 3}}, "loudness target 3", ErrOptions},
		{"spoken halfway without the phrase", func() *routines.Script {
			s := script(say("A."), hold(30*time.Second))
			s.Phrases.Halfway = ""
			return s
		}(), fake(), Options{Halfway: HalfwayOptions{Mode: HalfwaySpoken}}, "needs Script.Phrases.Halfway", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.s, tc.clips, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "mixer: ") {
				t.Errorf("error %q does not start with the package name", err)
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("error %v is not %v", err, tc.target)
			}
		})
	}
}

// TestHoldStartModes checks where the start cue goes: at every hold's first
// sample (after its settle), at a rest out of silence but not at a rest
// straight after a line or a hold's end tone; spoken, it is the phrase
// "Hold." where the voice is free and the tone where it is not.
func TestHoldStartModes(t *testing.T) {
	settled := hold(4 * time.Second)
	settled.Settle = 2 * time.Second
	s := script(say("Lift your leg."), settled, rest(3*time.Second), say("Relax."), rest(2*time.Second), hold(3*time.Second))
	s.Phrases.Hold = "Hold."
	noCount := Options{Countdown: CountdownOptions{Count: -1}}
	for _, tc := range []struct {
		name   string
		o      Options
		tones  int // hold_start tones
		spoken int // "Hold." phrases
	}{
		{"tone", Options{}, 2, 0},
		// Without the end tone, the rest after the first hold starts out of silence.
		{"tone, no countdown", noCount, 3, 0},
		{"none", Options{HoldStart: HoldStartOptions{Mode: HoldStartNone}}, 0, 0},
		// The first hold has a settle and the last follows a rest: the voice
		// is free at both starts.
		{"spoken", Options{HoldStart: HoldStartOptions{Mode: HoldStartSpoken}}, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := compile(t, s, fake(), tc.o)
			tones, spoken := events(tl, HoldStart), 0
			for _, e := range events(tl, Phrase) {
				if e.Text == "Hold." {
					spoken++
				}
			}
			if len(tones) != tc.tones || spoken != tc.spoken {
				t.Fatalf("%d hold-start tones and %d spoken, want %d and %d", len(tones), spoken, tc.tones, tc.spoken)
			}
			starts := map[int]bool{}
			for _, e := range tl.Events {
				if e.Kind == HoldStart || (e.Kind == Phrase && e.Text == "Hold.") {
					starts[e.Start] = true
				}
			}
			for _, h := range events(tl, Hold) {
				if tc.tones+tc.spoken > 0 && !starts[h.Start] {
					t.Errorf("no start cue at the hold at %d", h.Start)
				}
			}
		})
	}
	// A hold that starts the moment its line ends gets the tone, spoken or not.
	busy := script(say("Hold it."), hold(5*time.Second))
	busy.Phrases.Hold = "Hold."
	tl := compile(t, busy, fake(), Options{HoldStart: HoldStartOptions{Mode: HoldStartSpoken}})
	if hs := events(tl, HoldStart); len(hs) != 1 || hs[0].Start != events(tl, Hold)[0].Start {
		t.Errorf("a spoken hold-start with the voice busy: %+v, want the tone at the hold's start", hs)
	}
}
