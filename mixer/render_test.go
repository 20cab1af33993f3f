package mixer

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/routines"
)

// lowerBack is the script of the built-in lower-back routine at a level.
func lowerBack(t testing.TB, level routines.Level) *routines.Script {
	t.Helper()
	return routinetest.Script(t, "lower-back", level)
}

// mixed is a short script with every kind of cue.
func mixed() *routines.Script {
	return script(
		chapter("Intro"), say("Welcome to a short test routine."),
		chapter("Breathing"), say("Breathe with me."),
		breath(routines.BreatheIn, 3*time.Second, true), breath(routines.BreatheOut, 4*time.Second, false),
		breath(routines.BreatheIn, 3*time.Second, false), breath(routines.BreatheOut, 4*time.Second, false),
		chapter("Stretch"), say("Lift your arms and hold."), hold(21*time.Second),
		say("Relax."), rest(2*time.Second), routines.Cue{Kind: routines.Count, Text: "one"},
		say("Again, hold."), hold(4500*time.Millisecond), say("Done."),
	)
}

// withoutVoice copies a timeline leaving out its voice events.
func withoutVoice(tl *Timeline) *Timeline {
	c := *tl
	c.Events = nil
	for _, e := range tl.Events {
		if !e.Kind.Voice() {
			c.Events = append(c.Events, e)
		}
	}
	return &c
}

// TestRenderVoice checks that every clip is on the track whole, at exactly its
// event's samples, and that nothing else of the voice is: the full render
// minus a render without voice events is the clips alone.
func TestRenderVoice(t *testing.T) {
	c := fake()
	tl := compile(t, mixed(), c, Options{})
	full := render(t, tl, c, RenderOptions{NoLimit: true})
	synth := render(t, withoutVoice(tl), c, RenderOptions{NoLimit: true})
	voice := make([][2]float64, tl.Length)
	for _, l := range tl.Lines {
		s, err := c.Open(l.Text)
		if err != nil {
			t.Fatal(err)
		}
		clip := testtool.ReadAll(t, s, 4096)
		s.Close()
		if l.End-l.Start != len(clip) {
			t.Fatalf("line %q spans %d samples, its clip %d", l.Text, l.End-l.Start, len(clip))
		}
		copy(voice[l.Start:], clip)
	}
	for i := range full {
		for ch := 0; ch < 2; ch++ {
			if d := full[i][ch] - synth[i][ch] - voice[i][ch]; math.Abs(d) > 1e-12 {
				t.Fatalf("sample %d channel %d: full %g - synth %g != voice %g", i, ch, full[i][ch], synth[i][ch], voice[i][ch])
			}
		}
	}
	if c.MaxOpen != 1 || c.OpenNow != 0 {
		t.Errorf("at most %d clips open at once and %d left open; want 1 and 0", c.MaxOpen, c.OpenNow)
	}
}

// toneTemplate is a countdown tone as the design describes it: a sine
// starting at phase zero, raised-cosine fades, a raised-cosine glide of the
// level from From to To.
func toneTemplate(e Event, n int) []float64 {
	out := make([]float64, n)
	L := e.Len()
	for k := range out {
		g := e.From + (e.To-e.From)*(0.5-0.5*math.Cos(math.Pi*float64(k)/float64(L)))
		if k < e.FadeIn {
			g *= 0.5 - 0.5*math.Cos(math.Pi*float64(k)/float64(e.FadeIn))
		}
		out[k] = e.Amp * g * math.Sin(2*math.Pi*e.Freq*float64(k)/sr)
	}
	return out
}

// findTones finds every stretch of the track where frequency f dominates
// (Goertzel, 20 ms windows every 10 ms), then the exact sample at which a tone
// shaped like proto starts there: the offset within 400 samples of the
// stretch's first loud sample where the track best matches the tone's first
// 30 ms.
func findTones(x [][2]float64, f float64, proto Event) []int {
	const win, hop = 882, 441
	var regions []int
	in := false
	for s := 0; s+win <= len(x); s += hop {
		w := x[s : s+win]
		ms := 0.0
		for _, v := range w {
			ms += v[0] * v[0]
		}
		ms /= win
		on := ms > 1e-6 && goertzel(w, f, sr)/ms > 0.3
		if on && !in {
			regions = append(regions, s)
		}
		in = on
	}
	tmpl := toneTemplate(proto, sr*30/1000)
	thr := 0.05 * proto.Amp
	var starts []int
	for _, r := range regions {
		first := max(0, r-win)
		for first < len(x) && math.Abs(x[first][0]) < thr {
			first++
		}
		best, bestErr := -1, math.Inf(1)
		for s := max(0, first-400); s <= first+400 && s+len(tmpl) <= len(x); s++ {
			e := 0.0
			for k, v := range tmpl {
				d := x[s+k][0] - v
				e += d * d
				if e > bestErr {
					break
				}
			}
			if e < bestErr {
				best, bestErr = s, e
			}
		}
		starts = append(starts, best)
	}
	return starts
}

// TestBeepsAtTheirSamples renders lower-back and a hand-made script, finds
// every countdown tone in the output by its frequency, and checks that it
// starts exactly where the timeline says, which is exactly 1, 2 and 3 s before
// the end of its hold, and at the end.
func TestBeepsAtTheirSamples(t *testing.T) {
	cases := []struct {
		name string
		s    *routines.Script
	}{
		{"mixed", mixed()},
		{"lower-back standard", lowerBack(t, routines.Standard)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && tc.name != "mixed" {
				t.Skip("a 30-minute render; skipped with -short")
			}
			c := fake()
			tl := compile(t, tc.s, c, Options{})
			x := render(t, tl, c, RenderOptions{})
			holds := map[int]Event{}
			for _, e := range tl.Events {
				if e.Kind == Hold {
					holds[e.Cue] = e
				}
			}
			for _, kind := range []EventKind{Beep, EndTone} {
				want := events(tl, kind)
				if len(want) == 0 {
					t.Fatalf("no %s events", kind)
				}
				got := findTones(x, want[0].Freq, want[0])
				if len(got) != len(want) {
					t.Fatalf("found %d %s tones at %d Hz, the timeline has %d", len(got), kind, int(want[0].Freq), len(want))
				}
				for i, e := range want {
					h := holds[e.Cue]
					secs := 0
					if kind == Beep {
						secs = (h.End - e.Start) / sr
						if (h.End-e.Start)%sr != 0 || secs < 1 || secs > 3 {
							t.Errorf("%s %d at %d is not a whole 1-3 s before its hold's end %d", kind, i, e.Start, h.End)
						}
					} else if e.Start != h.End {
						t.Errorf("end tone %d at %d, its hold ends at %d", i, e.Start, h.End)
					}
					if d := got[i] - e.Start; d < -1 || d > 1 {
						t.Errorf("%s %d (%d s before the end of the hold at %d) found at sample %d, the timeline says %d (off by %d)",
							kind, i, secs, h.End, got[i], e.Start, d)
					}
				}
				t.Logf("%d %s tones, each found at its timeline sample", len(want), kind)
			}
		})
	}
}

type sineMusic struct {
	rate beep.SampleRate
	hz   float64
	n    int
	fail error
}

func (m sineMusic) Open() (beep.StreamSeekCloser, beep.Format, error) {
	if m.fail != nil {
		return nil, beep.Format{}, m.fail
	}
	s := make([][2]float64, m.n)
	for i := range s {
		v := 0.5 * math.Sin(2*math.Pi*m.hz*float64(i)/float64(m.rate))
		s[i] = [2]float64{v, v}
	}
	return &testtool.Stream{Samples: s}, beep.Format{SampleRate: m.rate, NumChannels: 2, Precision: 2}, nil
}

// TestSeekMatchesRead reads a track whole, then seeks around it and reads
// again in other chunk sizes: the samples must be the same, exactly, with the
// music bed, the limiter working hard, and in mono.
func TestSeekMatchesRead(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		ro   RenderOptions
	}{
		{"plain", Options{}, RenderOptions{}},
		{"music and heavy limiting", Options{Music: MusicOptions{Source: sineMusic{48000, 500, 48000 * 3 / 2, nil}}}, RenderOptions{Gain: 24}},
		{"mono at 48 kHz with music at 22.05", Options{Channels: 1, SampleRate: 48000, Music: MusicOptions{Source: sineMusic{22050, 300, 22050, nil}}}, RenderOptions{Gain: 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fake()
			c.SampleRate = tc.o.SampleRate
			tl := compile(t, mixed(), c, tc.o)
			whole := render(t, tl, c, tc.ro)
			r, err := Render(tl, c, tc.ro)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			line := tl.Lines[2]
			for _, p := range []int{tl.Length - 10, 0, 1, 4095, 4096, 4097, line.Start + 123, tl.Length / 2, line.Start - 3, tl.Length, 77777} {
				if err := r.Seek(p); err != nil {
					t.Fatal(err)
				}
				buf := make([][2]float64, 9000)
				n := 0
				for n < len(buf) {
					m, ok := r.Stream(buf[n:min(n+333, len(buf))])
					n += m
					if !ok {
						break
					}
				}
				if want := min(len(buf), tl.Length-p); n != want {
					t.Fatalf("after seeking to %d read %d samples, want %d", p, n, want)
				}
				for i := range buf[:n] {
					if buf[i] != whole[p+i] {
						t.Fatalf("sample %d after seeking to %d: %v, reading from the start gave %v", p+i, p, buf[i], whole[p+i])
					}
				}
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if tc.ro.Gain > 20 && r.LimitedBlocks() == 0 {
				t.Error("24 dB of gain and the limiter never acted")
			}
			peak := 0.0
			for _, v := range whole {
				peak = max(peak, math.Abs(v[0]), math.Abs(v[1]))
				if tl.Channels == 1 && v[0] != v[1] {
					t.Fatalf("a mono track with different channels: %v", v)
				}
			}
			if peak > dsp.Gain(-1.5)*(1+1e-12) {
				t.Errorf("sample peak %.2f dBFS is over the -1.5 dB ceiling", 20*math.Log10(peak))
			}
		})
	}
}

// TestMusicBed renders with and without a music bed; the difference is the
// bed alone, which must be at its level in silence, ducked by the depth under
// every line, fully down when a line starts, and faded in and out.
func TestMusicBed(t *testing.T) {
	c := fake()
	m := MusicOptions{Source: sineMusic{48000, 500, 48000 * 7 / 10, nil}}
	tl := compile(t, mixed(), c, Options{Music: m})
	with := render(t, tl, c, RenderOptions{NoLimit: true})
	noMusic := *tl
	noMusic.Options.Music.Source = nil
	without := render(t, &noMusic, c, RenderOptions{NoLimit: true})
	bed := make([][2]float64, len(with))
	for i := range with {
		bed[i] = [2]float64{with[i][0] - without[i][0], with[i][1] - without[i][1]}
	}
	// amp measures the 500 Hz amplitude of 20 ms of the bed centred at p.
	amp := func(p int) float64 {
		w := bed[p-441 : p+441]
		return 2 * math.Sqrt(goertzel(w, 500, sr))
	}
	db := func(p int) float64 { return 20 * math.Log10(amp(p)/0.5) }
	h := events(tl, Hold)[0]
	line := tl.Lines[3]
	checks := []struct {
		name string
		at   int
		want float64
	}{
		{"in a hold", h.Start + 5*sr, -20},
		{"in a line", (line.Start + line.End) / 2, -32},
		{"as a line starts", line.Start + 441, -32},
		{"as a line ends", line.End - 441, -32},
		{"a second after a line", line.End + sr, -20},
	}
	for _, ck := range checks {
		if got := db(ck.at); math.Abs(got-ck.want) > 0.3 {
			t.Errorf("%s (sample %d): bed at %.2f dB, want %.0f", ck.name, ck.at, got, ck.want)
		}
	}
	if got := db(line.Start - 40*sr/1000); got > -20.5 || got < -31.5 {
		t.Errorf("halfway through the attack the bed is at %.2f dB, want between -20 and -32", got)
	}
	if a := amp(441 + sr/10); a > amp(sr+sr/10) || math.Abs(bed[0][0]) > 1e-9 {
		t.Errorf("no fade-in: %g at 0.1 s, %g at 1.1 s, first sample %g", a, amp(sr+sr/10), bed[0][0])
	}
	if last := bed[len(bed)-1][0]; math.Abs(last) > 1e-3 {
		t.Errorf("no fade-out: last sample of the bed %g", last)
	}
}

// flaky opens each clip once fine (for Compile), then fails or lies.
type flaky struct {
	inner  Clips
	opened map[string]int
	mode   string
}

func (f *flaky) Open(text string) (beep.StreamSeekCloser, error) {
	f.opened[text]++
	s, err := f.inner.Open(text)
	if f.opened[text] == 1 || text != "Relax." {
		return s, err
	}
	switch f.mode {
	case "fail":
		s.Close()
		return nil, errors.New("disk on fire")
	case "longer":
		s.Close()
		return f.inner.Open("Relax and breathe.")
	}
	return &shortStream{s, s.Len() / 2}, nil
}

// shortStream ends early while claiming its full length.
type shortStream struct {
	beep.StreamSeekCloser
	stop int
}

func (s *shortStream) Stream(dst [][2]float64) (int, bool) {
	if r := s.stop - s.Position(); r < len(dst) {
		dst = dst[:max(r, 0)]
	}
	return s.StreamSeekCloser.Stream(dst)
}

func TestRenderErrorsStick(t *testing.T) {
	n, n3 := fake().Len("Relax."), fake().Len("Relax and breathe.")
	for _, tc := range []struct{ mode, want string }{
		{"fail", `mixer: clip "Relax.": disk on fire`},
		{"longer", fmt.Sprintf(`mixer: clip "Relax." is %d samples long, %d when the timeline was compiled`, n3, n)},
		{"short", fmt.Sprintf(`mixer: clip "Relax." ended at sample %d of %d`, n/2, n)},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			f := &flaky{inner: fake(), opened: map[string]int{}, mode: tc.mode}
			tl := compile(t, mixed(), f, Options{})
			r, err := Render(tl, f, RenderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			buf := make([][2]float64, 1000)
			got, err := testtool.Discard(r, buf)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if got >= tl.Length {
				t.Errorf("streamed all %d samples despite the error", got)
			}
			if m, ok := r.Stream(buf); m != 0 || ok {
				t.Errorf("streamed %d more after the error", m)
			}
		})
	}
	t.Run("music fails to open", func(t *testing.T) {
		c := fake()
		tl := compile(t, mixed(), c, Options{Music: MusicOptions{Source: sineMusic{fail: errors.New("no such file")}}})
		if _, err := Render(tl, c, RenderOptions{}); err == nil || err.Error() != "mixer: music: no such file" {
			t.Errorf("error %v", err)
		}
	})
	t.Run("bad timeline", func(t *testing.T) {
		c := fake()
		tl := compile(t, mixed(), c, Options{})
		bad := *tl
		bad.Events = append([]Event{}, tl.Events...)
		for i, e := range bad.Events {
			if e.Kind == Speech && i > 0 {
				bad.Events[i].Start -= 1
				bad.Events[i].End += sr * 60
				break
			}
		}
		if _, err := Render(&bad, c, RenderOptions{}); err == nil || !strings.Contains(err.Error(), "mixer: timeline event") {
			t.Errorf("error %v, want one about a timeline event", err)
		}
	})
}

// longScript is a synthetic routine of at least the given length: a line, a
// 30 s hold with a countdown, a line, a few breaths, a rest, over and over
// (about 56 s a round).
func longScript(total time.Duration) *routines.Script {
	var cues []routines.Cue
	for i := 0; time.Duration(i)*50*time.Second < total; i++ {
		cues = append(cues, chapter(fmt.Sprintf("Round %d", i+1)),
			say(fmt.Sprintf("Round %d. Stretch and hold.", i+1)), hold(30*time.Second),
			say("Relax and breathe."),
			breath(routines.BreatheIn, 4*time.Second, true), breath(routines.BreatheOut, 6*time.Second, false),
			breath(routines.BreatheIn, 4*time.Second, false), breath(routines.BreatheOut, 6*time.Second, false),
			rest(2*time.Second))
	}
	return script(cues...)
}

// peakLiveHeap renders a timeline whole and returns the most heap in use
// after a collection, sampled every few seconds of audio.
func peakLiveHeap(t testing.TB, tl *Timeline, c Clips) uint64 {
	r, err := Render(tl, c, RenderOptions{Gain: 6})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([][2]float64, 4096)
	var peak uint64
	var ms runtimeStats
	for i := 0; ; i++ {
		_, ok := r.Stream(buf)
		if !ok {
			break
		}
		if i%50 == 0 {
			peak = max(peak, ms.live())
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return peak
}

// TestMemoryDoesNotGrow renders a 4-minute and a 4-hour routine and compares
// the live heap while rendering: it must not grow with the routine's length
// beyond the timeline itself.
func TestMemoryDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("renders four hours of audio; skipped with -short")
	}
	o := Options{SampleRate: 8000, Music: MusicOptions{Source: sineMusic{16000, 220, 16000 * 5, nil}}}
	var ms runtimeStats
	// measure returns the heap the timeline takes and the most heap rendering
	// it takes on top of that.
	measure := func(d time.Duration) (timeline, render int64, tl *Timeline) {
		c := fake()
		c.SampleRate = o.SampleRate
		before := int64(ms.live())
		tl = compile(t, longScript(d), c, o)
		after := int64(ms.live())
		peak := int64(peakLiveHeap(t, tl, c))
		return after - before, peak - after, tl
	}
	shortTL, short, tl1 := measure(4 * time.Minute)
	longTL, long, tl2 := measure(4 * time.Hour)
	t.Logf("4 min (%v, %d events): timeline %d KiB, rendering %d KiB more at most", tl1.Duration(), len(tl1.Events), shortTL>>10, short>>10)
	t.Logf("4 h (%v, %d events): timeline %d KiB, rendering %d KiB more at most", tl2.Duration(), len(tl2.Events), longTL>>10, long>>10)
	if tl2.Duration() < 4*time.Hour {
		t.Fatalf("the long routine is only %v", tl2.Duration())
	}
	// What rendering needs beyond the timeline must not grow; allow 256 KiB
	// for the heap's own noise.
	if long > short+256<<10 {
		t.Errorf("rendering 4 h takes %d KiB beyond its timeline, 4 min takes %d KiB", long>>10, short>>10)
	}
}
