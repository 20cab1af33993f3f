package mixer

import (
	"math"
	"testing"
	"time"

	"routinecast/routines"
)

// TestSpokenGap lays out lower-back at every level and checks that no two
// voice events (lines, breath phrases, "halfway", spoken numbers) are closer
// than the line gap, whatever sits between them; spoken countdown numbers,
// one a second, need countGap.
func TestSpokenGap(t *testing.T) {
	for _, spoken := range []bool{false, true} {
		for _, level := range routines.Levels() {
			o := Options{Countdown: CountdownOptions{Spoken: spoken}, Breathing: BreathingOptions{Say: SayAlways}}
			tl := compile(t, lowerBack(t, level), fake(), o)
			gap := tl.Options.SampleRate.N(tl.Options.Gap)
			short := tl.Options.SampleRate.N(countGap)
			prevEnd, prev := -1, ""
			minGap := math.MaxInt
			for _, e := range tl.Events {
				if !e.Kind.Voice() {
					continue
				}
				if prevEnd >= 0 {
					want := gap
					if e.Kind == Phrase && isNumber(tl, e.Text) {
						want = short
					}
					if d := e.Start - prevEnd; d < want {
						t.Errorf("%s, spoken countdown %v: %q starts %d samples after %q, want at least %d", level, spoken, e.Text, d, prev, want)
					}
					minGap = min(minGap, e.Start-prevEnd)
				}
				prevEnd, prev = e.End, e.Text
			}
			t.Logf("%s, spoken countdown %v: smallest gap between voice events %.3f s", level, spoken, float64(minGap)/float64(tl.SampleRate))
		}
	}
}

func isNumber(tl *Timeline, text string) bool {
	for _, w := range []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"} {
		if text == w {
			return true
		}
	}
	return false
}

// TestBreathPhraseAfterLine is the run-on the gap rule is for: "Lift your
// knee." then at once "Breathe out." The breath waits a gap after the line.
func TestBreathPhraseAfterLine(t *testing.T) {
	tl := compile(t, script(say("Lift your right knee and left arm."), breath(routines.BreatheOut, 3*time.Second, true), say("Relax.")), fake(), Options{})
	ph := events(tl, Phrase)
	if len(ph) != 1 {
		t.Fatalf("phrases %+v, want Breathe out.", ph)
	}
	gap := sr / 2
	if d := ph[0].Start - tl.Lines[0].End; d != gap {
		t.Errorf("the breath's phrase starts %d samples after the line, want the gap, %d", d, gap)
	}
	if b := events(tl, BreatheOut)[0]; b.Start != ph[0].Start || b.FadeIn != sr/4 {
		t.Errorf("exhale %+v: want it to start with its phrase, fading in over 250 ms", b)
	}
}

// TestSettle checks the settle time before a hold that follows an
// instruction: a silent settle segment, then the hold and its countdown.
func TestSettle(t *testing.T) {
	h := hold(10 * time.Second)
	h.Settle = 2 * time.Second
	tl := compile(t, script(say("Pull your knee to your chest."), h, say("Relax.")), fake(), Options{})
	s, hs := events(tl, Settle), events(tl, Hold)
	if len(s) != 1 || s[0].Start != tl.Lines[0].End || s[0].Len() != 2*sr {
		t.Fatalf("settle %+v, want 2 s from the end of the line (%d)", s, tl.Lines[0].End)
	}
	if hs[0].Start != s[0].End || hs[0].Len() != 10*sr {
		t.Errorf("hold [%d, %d), want 10 s from the end of the settle (%d)", hs[0].Start, hs[0].End, s[0].End)
	}
	if b := events(tl, Beep); len(b) != 3 || b[0].Start != hs[0].End-3*sr {
		t.Errorf("countdown %+v, want it counted from the hold's own start", b)
	}
	if audible(&s[0]) {
		t.Error("the settle is audible")
	}
}

// TestBreathEnvelope renders breathing cues in every sound and checks, on
// 100 ms RMS frames every 50 ms, that an inhale followed by an exhale rises
// once to a peak at the turn (within 100 ms) and falls once, with no beat
// (no frame more than 1.5 dB under the one before while rising, or over it
// while falling, above -30 dB of the peak: the noise's own grain is about
// 0.5 dB at this frame length, a beat 6 to 12 dB), and that an inhale no
// exhale follows ends with a fade of at least 200 ms.
func TestBreathEnvelope(t *testing.T) {
	for _, sound := range []BreathSound{BreathNoise, BreathTone, BreathPad} {
		t.Run(sound.String(), func(t *testing.T) {
			s := script(say("Breathe."),
				breath(routines.BreatheIn, 4*time.Second, true), breath(routines.BreatheOut, 6*time.Second, false),
				breath(routines.BreatheIn, 3*time.Second, false), rest(2*time.Second))
			o := Options{Breathing: BreathingOptions{Sound: sound, Say: SayNever}}
			c := fake()
			tl := compile(t, s, c, o)
			out := render(t, tl, c, RenderOptions{})
			in, ex := events(tl, BreatheIn), events(tl, BreatheOut)
			frame, hop := sr/10, sr/20
			rms := func(a int) float64 {
				var p float64
				for _, v := range out[a : a+frame] {
					p += v[0] * v[0]
				}
				return math.Sqrt(p / float64(frame))
			}
			// Peak of the first breath: the loudest 500 ms, every 10 ms.
			power := func(a, n int) float64 {
				var p float64
				for _, v := range out[a : a+n] {
					p += v[0] * v[0]
				}
				return p
			}
			most, at := 0.0, 0
			for a := in[0].Start; a+sr/2 <= ex[0].End; a += sr / 100 {
				if p := power(a, sr/2); p > most {
					most, at = p, a+sr/4
				}
			}
			if d := float64(at-in[0].End) / sr; math.Abs(d) > 0.15 {
				t.Errorf("the loudest 500 ms is centred %+.3f s from the turn", d)
			}
			best := 0.0
			for a := in[0].Start; a+frame <= ex[0].End; a += hop {
				best = max(best, rms(a))
			}
			// Monotonic, in dB, above -30 dB of the peak.
			floor := best * math.Pow(10, -30.0/20)
			prev := 0.0
			for a := in[0].Start; a+frame <= ex[0].End; a += hop {
				r := rms(a)
				if r > floor && prev > floor {
					step := 20 * math.Log10(r/prev)
					rising := a+frame <= in[0].End
					if (rising && step < -1.5) || (!rising && a >= in[0].End && step > 1.5) {
						t.Errorf("at %.2f s into the breath: %+.1f dB from the frame before (a beat?)", float64(a-in[0].Start)/sr, step)
					}
				}
				prev = r
			}
			// The lone inhale's end: a fade of at least 200 ms, which has
			// gone some way 100 ms before the end and reaches silence.
			e := in[1].End
			if in[1].FadeOut < sr/5 {
				t.Errorf("the lone inhale fades out over %d samples, want at least %d", in[1].FadeOut, sr/5)
			}
			f := sr / 50
			rms20 := func(a int) float64 {
				var p float64
				for _, v := range out[a : a+f] {
					p += v[0] * v[0]
				}
				return math.Sqrt(p / float64(f))
			}
			r0 := (rms20(e-sr*3/10-f) + rms20(e-sr*3/10) + rms20(e-sr*3/10+f)) / 3
			if r := rms20(e - sr/10 - f/2); r > r0*0.7 {
				t.Errorf("100 ms before its end the lone inhale is at %.1f dB of its level 300 ms before: the fade is too short", 20*math.Log10(r/r0))
			}
			if r := rms20(e - f); r > r0*0.1 {
				t.Errorf("the lone inhale is at %.1f dB in its last 20 ms: it does not fade to silence", 20*math.Log10(r/r0))
			}
		})
	}
}
