package mixer

import (
	"math"
	"runtime"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

const sr = 44100

func say(text string) routines.Cue  { return routines.Cue{Kind: routines.Say, Text: text} }
func chapter(t string) routines.Cue { return routines.Cue{Kind: routines.Chapter, Text: t} }
func hold(d time.Duration) routines.Cue {
	return routines.Cue{Kind: routines.Hold, Duration: d}
}
func rest(d time.Duration) routines.Cue {
	return routines.Cue{Kind: routines.Rest, Duration: d}
}
func breath(k routines.CueKind, d time.Duration, first bool) routines.Cue {
	text := "Breathe in."
	if k == routines.BreatheOut {
		text = "Breathe out."
	}
	return routines.Cue{Kind: k, Text: text, Duration: d, First: first}
}

func script(cues ...routines.Cue) *routines.Script {
	s := &routines.Script{Title: "Test", Language: "en", Level: routines.Standard, Cues: cues}
	s.Phrases.Countdown = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	s.Phrases.Halfway = "Halfway."
	return s
}

func compile(t testing.TB, s *routines.Script, clips Clips, o Options) *Timeline {
	t.Helper()
	tl, err := Compile(s, clips, o)
	if err != nil {
		t.Fatal(err)
	}
	checkVoice(t, tl)
	return tl
}

// checkVoice checks what must hold of every timeline: voice events never
// overlap, events are sorted and inside the track, and Lines match them.
func checkVoice(t testing.TB, tl *Timeline) {
	t.Helper()
	voiceEnd, prev := 0, 0
	var lines []Line
	for i, e := range tl.Events {
		if e.Start < prev || e.End < e.Start || e.End > tl.Length {
			t.Fatalf("event %d %+v out of order or outside [0, %d)", i, e, tl.Length)
		}
		prev = e.Start
		if e.Kind.Voice() {
			if e.Start < voiceEnd {
				t.Fatalf("voice event %d %q starts at %d, before the voice before it ends at %d", i, e.Text, e.Start, voiceEnd)
			}
			voiceEnd = e.End
			lines = append(lines, Line{e.Text, e.Start, e.End})
		}
	}
	if len(lines) != len(tl.Lines) {
		t.Fatalf("%d lines, %d voice events", len(tl.Lines), len(lines))
	}
	for i := range lines {
		if lines[i] != tl.Lines[i] {
			t.Fatalf("line %d is %+v, voice event says %+v", i, tl.Lines[i], lines[i])
		}
	}
}

func render(t testing.TB, tl *Timeline, clips Clips, ro RenderOptions) [][2]float64 {
	t.Helper()
	r, err := Render(tl, clips, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := testtool.ReadAll(t, r, 1000)
	if len(out) != tl.Length {
		t.Fatalf("rendered %d samples, the timeline has %d", len(out), tl.Length)
	}
	return out
}

func fake() *mixertest.Clips { return &mixertest.Clips{SampleRate: sr} }

// goertzel returns the power of frequency f in x (one channel), normalised by
// the window length.
func goertzel(x [][2]float64, f float64, rate int) float64 {
	w := 2 * math.Pi * f / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s0 := v[0] + c*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - c*s1*s2
	return p / float64(len(x)*len(x))
}

func events(tl *Timeline, k EventKind) []Event {
	var out []Event
	for _, e := range tl.Events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

type runtimeStats struct{ m runtime.MemStats }

// live collects garbage and returns the heap in use.
func (s *runtimeStats) live() uint64 {
	runtime.GC()
	runtime.ReadMemStats(&s.m)
	return s.m.HeapAlloc
}
