package mixer

import (
	"math"
	"testing"
	"time"

	"routinecast/audio/loudness"
	"routinecast/internal/dsp"
	"routinecast/narration"
	"routinecast/routines"
)

// What a listener hears, measured on the built-in lower-back routine with
// the embedded voice: each cue's sound rendered alone, as Render plays it.

// lowerBackReal compiles lower-back (standard) with the embedded voice.
func lowerBackReal(t *testing.T, o Options) (*Timeline, Clips) {
	t.Helper()
	clips := narration.Default().Clips(sr)
	return compile(t, lowerBack(t, routines.Standard), clips, o), clips
}

// phoneProxy is a small speaker: a 400 Hz high-pass and a 4 kHz low-pass
// (second-order each, as ffmpeg's highpass and lowpass filters are).
func phoneProxy(x [][2]float64) [][2]float64 {
	hp, lp := dsp.Butterworth(sr, 400, true), dsp.Butterworth(sr, 4000, false)
	out := make([][2]float64, len(x))
	for i, v := range x {
		y := lp.Step(hp.Step(v[0]))
		out[i] = [2]float64{y, y}
	}
	return out
}

// lufs is the BS.1770 integrated loudness of mono samples.
func lufs(x [][2]float64) float64 {
	m := loudness.NewMeter(sr, 1)
	m.Write(x)
	return m.Integrated()
}

// speechAudio is every spoken event of tl, end to end.
func speechAudio(t *testing.T, tl *Timeline, clips Clips) [][2]float64 {
	t.Helper()
	var out [][2]float64
	for _, e := range tl.Events {
		if !e.Kind.Voice() {
			continue
		}
		s, err := clips.Open(e.Text)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([][2]float64, s.Len())
		n, _ := s.Stream(buf)
		s.Close()
		out = append(out, buf[:n]...)
	}
	return out
}

// eventAudio is event e rendered alone, from its start, for at most max
// samples (0: whole).
func eventAudio(e Event, max int) [][2]float64 {
	n := e.Len()
	if max > 0 {
		n = min(n, max)
	}
	out := make([][2]float64, n)
	switch {
	case e.Kind.Tone():
		tone(&e, 0, sr, out)
	default:
		swell(&e, e.Start, sr, out)
	}
	return out
}

// toneWindow is how much of a tone its loudness is read from: its first
// 120 ms, as long as a countdown beep, where a chime is at its loudest.
const toneWindow = sr * 120 / 1000

func kindAudio(tl *Timeline, k EventKind, max int) [][2]float64 {
	var out [][2]float64
	for _, e := range events(tl, k) {
		out = append(out, eventAudio(e, max)...)
	}
	return out
}

// TestCueLevels measures every tone and breath of lower-back against the
// voice, on full-range speakers and through a phone's small speaker: the
// countdown tones and the end tone within 1.5 LU of the speech on both, the
// hold-start tone and the breath sound no more than 6 LU under it.
func TestCueLevels(t *testing.T) {
	tl, clips := lowerBackReal(t, Options{})
	sp := speechAudio(t, tl, clips)
	for set, name := range CueSoundNames {
		t.Run(name, func(t *testing.T) {
			tl := tl
			if set != int(CueClassic) {
				tl, _ = lowerBackReal(t, Options{CueSounds: CueSoundSet(set)})
			}
			cueLevels(t, tl, sp)
		})
	}
}

func cueLevels(t *testing.T, tl *Timeline, sp [][2]float64) {
	for _, band := range []struct {
		name string
		f    func([][2]float64) [][2]float64
	}{{"full band", func(x [][2]float64) [][2]float64 { return x }}, {"phone proxy", phoneProxy}} {
		speech := lufs(band.f(sp))
		check := func(what string, a [][2]float64, lo, hi float64) {
			if len(a) == 0 {
				t.Errorf("%s: lower-back has no %s", band.name, what)
				return
			}
			d := lufs(band.f(a)) - speech
			t.Logf("%s: %s %+.2f LU against the speech (%.2f LUFS)", band.name, what, d, speech)
			if d < lo || d > hi {
				t.Errorf("%s: %s is %+.2f LU against the speech, want %+.1f to %+.1f", band.name, what, d, lo, hi)
			}
		}
		check("countdown tones", kindAudio(tl, Beep, toneWindow), -1.5, 1.5)
		check("end tones", kindAudio(tl, EndTone, toneWindow), -1.5, 1.5)
		check("hold-start tones", kindAudio(tl, HoldStart, toneWindow), -6, 1.5)
		// On full-range speakers a breath may sit lower: its bass is not
		// cut there, nor the voice's.
		lo := -6.0
		if band.name == "full band" {
			lo = -10
		}
		check("breath swells", append(kindAudio(tl, BreatheIn, 0), kindAudio(tl, BreatheOut, 0)...), lo, 0)
	}
}

// TestHoldStartAtFirstSample finds the hold-start tone in the rendered
// lower-back at the first sample of every hold: the track with it minus
// the track without it is silent up to that sample and sounds, at the
// tone's pitch, from it. The listing ('show --json') puts a hold_start cue
// at every hold's start too.
func TestHoldStartAtFirstSample(t *testing.T) {
	clips := narration.Default().Clips(sr)
	s := lowerBack(t, routines.Standard)
	with := compile(t, s, clips, Options{})
	without := compile(t, s, clips, Options{HoldStart: HoldStartOptions{Mode: HoldStartNone}})
	holds := events(with, Hold)
	if len(holds) == 0 {
		t.Fatal("lower-back has no hold")
	}
	l := NewListing(s, with)
	starts := map[float64]int{}
	for _, c := range l.Cues {
		if c.Kind == string(HoldStart) {
			starts[c.AtSeconds]++
		}
	}
	for _, h := range holds {
		if starts[round3(float64(h.Start)/sr)] == 0 {
			t.Errorf("the listing has no hold_start cue at the hold at %.3f s", float64(h.Start)/sr)
		}
	}
	a := rendered(t, with, clips)
	b := rendered(t, without, clips)
	win := sr / 10
	for _, h := range holds {
		for j := h.Start - win; j < h.Start; j++ {
			if d := a[j][0] - b[j][0]; d != 0 {
				t.Fatalf("hold at sample %d: the track differs %d samples before it (%g)", h.Start, h.Start-j, d)
			}
		}
		diff := make([][2]float64, win)
		var peak float64
		for j := range diff {
			d := a[h.Start+j][0] - b[h.Start+j][0]
			diff[j] = [2]float64{d, d}
			peak = max(peak, math.Abs(d))
		}
		if d := a[h.Start+1][0] - b[h.Start+1][0]; d == 0 {
			t.Errorf("hold at sample %d: no sound at its first samples", h.Start)
		}
		// The tone's pitch holds most of what was added.
		var power float64
		for _, v := range diff {
			power += v[0] * v[0]
		}
		power /= float64(len(diff))
		if p := goertzel(diff, with.Options.HoldStart.Pitch, sr) * 2; p < 0.3*power || peak < 0.01 {
			t.Errorf("hold at sample %d: the added sound has %.0f%% of its power at the tone's pitch, peak %.4f", h.Start, 100*p/power, peak)
		}
	}
	t.Logf("%d holds, each with its start tone; %d hold_start cues in all", len(holds), len(events(with, HoldStart)))
}

// rendered is the whole track at unity gain, without the limiter, so that
// two renders differ by exactly what their timelines differ by.
func rendered(t *testing.T, tl *Timeline, clips Clips) [][2]float64 {
	return render(t, tl, clips, RenderOptions{NoLimit: true})
}

// swells groups the breath events of tl into the sounds heard: an inhale
// and the exhale joined to it are one swell.
func swells(tl *Timeline) [][]Event {
	var out [][]Event
	for _, e := range tl.Events {
		if e.Kind != BreatheIn && e.Kind != BreatheOut {
			continue
		}
		if n := len(out); n > 0 {
			last := out[n-1][len(out[n-1])-1]
			if last.Kind == BreatheIn && e.Kind == BreatheOut && last.End == e.Start {
				out[n-1] = append(out[n-1], e)
				continue
			}
		}
		out = append(out, []Event{e})
	}
	return out
}

// envelopeDB is the level of x in 20 ms windows, in dB.
func envelopeDB(x [][2]float64) []float64 {
	w := sr / 50
	var out []float64
	for i := 0; i+w <= len(x); i += w {
		var p float64
		for _, v := range x[i : i+w] {
			p += v[0] * v[0]
		}
		out = append(out, 10*math.Log10(p/float64(w)+1e-30))
	}
	return out
}

// TestBreathRelease measures every swell of lower-back's breaths: it ends
// at least 30 dB under its peak (it dies away rather than stops), takes at
// least 300 ms to fall from the peak to 30 dB under it, and an inhale no
// exhale follows takes at least 400 ms.
func TestBreathRelease(t *testing.T) {
	tl, _ := lowerBackReal(t, Options{})
	groups := swells(tl)
	lone, minLone, minAll := 0, math.MaxInt, math.MaxInt
	for _, g := range groups {
		var a [][2]float64
		for _, e := range g {
			a = append(a, eventAudio(e, 0)...)
		}
		env := envelopeDB(a)
		pk := 0
		for i, v := range env {
			if v > env[pk] {
				pk = i
			}
		}
		fall := len(env) - pk // windows from the peak to the end
		for i := pk; i < len(env); i++ {
			if env[i] < env[pk]-30 {
				fall = i - pk
				break
			}
		}
		fallMs := fall * 20
		last := g[len(g)-1]
		at := float64(g[0].Start) / sr
		if end := env[len(env)-1]; end > env[pk]-30 {
			t.Errorf("swell at %.2f s ends %.1f dB under its peak: cut, not released", at, env[pk]-end)
		}
		want := 300
		if last.Kind == BreatheIn {
			want = 400
			lone++
		}
		minAll = min(minAll, fallMs)
		if last.Kind == BreatheIn {
			minLone = min(minLone, fallMs)
		}
		if fallMs < want {
			t.Errorf("swell at %.2f s (%s last) falls from its peak to -30 dB in %d ms, want at least %d", at, last.Kind, fallMs, want)
		}
	}
	if lone == 0 {
		t.Fatal("lower-back has no inhale without an exhale after it")
	}
	t.Logf("%d swells, %d of them inhales with no exhale after them; shortest fall from peak to -30 dB: %d ms (those inhales), %d ms (all)", len(groups), lone, minLone, minAll)
}

// TestEndSoundsDiffer: each set's end sound is its own, as a listener tells
// them apart by their shape: the classic chime is loudest at once, the soft
// one swells to its loudest after 100 ms, and the wood one knocks twice (a
// second onset 150 ms after the first).
func TestEndSoundsDiffer(t *testing.T) {
	s := script(say("Hold it."), hold(4*time.Second))
	for set, name := range CueSoundNames {
		tl := compile(t, s, fake(), Options{CueSounds: CueSoundSet(set)})
		end := events(tl, EndTone)[0]
		env := envelopeDB(eventAudio(end, 0)) // 20 ms windows
		pk := 0
		for i, v := range env {
			if v > env[pk] {
				pk = i
			}
		}
		// A second onset: a window 6 dB over the one before it, after the first 60 ms.
		onsets := 0
		for i := 3; i < len(env); i++ {
			if env[i] > env[i-1]+6 {
				onsets++
			}
		}
		t.Logf("%s: peak at %d ms, %d later onsets", name, pk*20, onsets)
		switch CueSoundSet(set) {
		case CueClassic:
			if pk > 1 || onsets > 0 {
				t.Errorf("classic end: peak at %d ms, %d later onsets; want a chime, loudest at once", pk*20, onsets)
			}
		case CueSoft:
			if pk*20 < 100 || onsets > 0 {
				t.Errorf("soft end: peak at %d ms, %d later onsets; want a swell", pk*20, onsets)
			}
		case CueWood:
			if pk > 1 || onsets != 1 {
				t.Errorf("wood end: peak at %d ms, %d later onsets; want two knocks", pk*20, onsets)
			}
		}
	}
}
