package mixer

import (
	"strings"
	"testing"
	"time"

	"routinecast/routines"
)

// fuzzScript builds a script and options from fuzz input: two bytes a cue.
func fuzzScript(data []byte) (*routines.Script, Options) {
	var o Options
	if len(data) > 0 {
		b := data[0]
		o.Countdown.Spoken = b&1 != 0
		o.Countdown.Rests = b&2 != 0
		o.Breathing.Say = SayMode(b >> 2 % 3)
		o.Halfway.Mode = HalfwayMode(b >> 4 % 3)
		if b&0x40 != 0 {
			o.Gap = -1
		}
		o.Countdown.Count = int(b>>7)*4 + 1 // 1 or 5
		data = data[1:]
	}
	words := strings.Fields("hold it gently now and breathe slowly in out relax")
	var cues []routines.Cue
	for i := 0; i+1 < len(data); i += 2 {
		k, v := data[i], int(data[i+1])
		d := time.Duration(v+1) * 100 * time.Millisecond // 0.1 to 25.6 s
		text := strings.Join(words[:v%len(words)+1], " ")
		switch k % 8 {
		case 0:
			cues = append(cues, chapter(text))
		case 1, 2:
			cues = append(cues, say(text))
		case 3:
			cues = append(cues, routines.Cue{Kind: routines.Count, Text: words[v%len(words)]})
		case 4:
			cues = append(cues, hold(d))
		case 5:
			cues = append(cues, rest(d))
		case 6:
			cues = append(cues, breath(routines.BreatheIn, d, k&8 != 0))
		case 7:
			cues = append(cues, breath(routines.BreatheOut, d, k&8 != 0))
		}
	}
	return script(cues...), o
}

// FuzzCompile checks the timeline's rules on arbitrary scripts and options:
// the voice never overlaps itself, every timed cue starts exactly where the
// line or timed cue before it ends and lasts exactly its duration, countdown
// tones sit on whole seconds before their hold's end, and chapters are in order.
func FuzzCompile(f *testing.F) {
	f.Add([]byte{0, 1, 5, 4, 79, 2, 3, 5, 19})
	f.Add([]byte{0x15, 0, 0, 1, 9, 6, 39, 7, 59, 6, 39, 7, 59, 1, 2, 4, 250})
	f.Add([]byte{0xff, 4, 5, 5, 200, 4, 30, 1, 3, 14, 9, 15, 200})
	f.Add([]byte{0x41, 6, 1, 6, 2, 7, 3, 4, 255, 4, 255})
	c := fake()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			return
		}
		s, o := fuzzScript(data)
		tl, err := Compile(s, c, o)
		hasSound := false
		for _, cue := range s.Cues {
			hasSound = hasSound || cue.Kind != routines.Chapter
		}
		if !hasSound {
			if err == nil {
				t.Fatal("no error for a script with nothing to play")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkVoice(t, tl)
		// main[i] is the event a non-chapter cue i placed: its line or its segment.
		main := map[int]Event{}
		for _, e := range tl.Events {
			if e.Kind == Settle {
				continue // a hold's settle time: the hold is its main event
			}
			if e.Kind == Speech || e.Kind.Segment() {
				if _, dup := main[e.Cue]; dup {
					t.Fatalf("cue %d placed twice", e.Cue)
				}
				main[e.Cue] = e
			}
		}
		prevEnd := -1
		for i, cue := range s.Cues {
			if cue.Kind == routines.Chapter {
				continue
			}
			e, ok := main[i]
			if !ok {
				t.Fatalf("cue %d (%s) is not on the timeline", i, cue.Kind)
			}
			if cue.Kind.Timed() {
				if n := tl.SampleRate.N(cue.Duration); e.Len() != n {
					t.Fatalf("cue %d (%s %v) lasts %d samples, want %d", i, cue.Kind, cue.Duration, e.Len(), n)
				}
				// A timed cue starts where the one before it ends; a breath
				// whose phrase is spoken may wait until a line gap after the
				// voice instead, so that its phrase does not run on.
				afterVoice := max(prevEnd, voiceEndBefore(tl, e.Start)+tl.SampleRate.N(tl.Options.Gap))
				breath := cue.Kind == routines.BreatheIn || cue.Kind == routines.BreatheOut
				if prevEnd >= 0 && e.Start != prevEnd && !(breath && e.Start == afterVoice) {
					t.Fatalf("cue %d (%s) starts at %d, the cue before it ends at %d", i, cue.Kind, e.Start, prevEnd)
				}
			} else if prevEnd >= 0 && e.Start < prevEnd {
				t.Fatalf("line %d starts at %d, before the cue before it ends at %d", i, e.Start, prevEnd)
			}
			prevEnd = e.End
		}
		for _, e := range tl.Events {
			if !e.Kind.Tone() || e.Kind == Halfway {
				continue
			}
			h := main[e.Cue]
			if e.Kind == EndTone && e.Start != h.End {
				t.Fatalf("end tone at %d, its %s ends at %d", e.Start, h.Kind, h.End)
			}
			if e.Kind == Beep && ((h.End-e.Start)%int(tl.SampleRate) != 0 || e.Start <= h.Start) {
				t.Fatalf("beep at %d is not a whole second before the end %d of its %s starting %d", e.Start, h.End, h.Kind, h.Start)
			}
		}
		for i := 1; i < len(tl.Chapters); i++ {
			if tl.Chapters[i].Start < tl.Chapters[i-1].Start {
				t.Fatalf("chapter %d starts before chapter %d", i, i-1)
			}
		}
	})
}

// voiceEndBefore is the end of the last voice event that starts before at.
func voiceEndBefore(tl *Timeline, at int) int {
	end := 0
	for _, e := range tl.Events {
		if e.Kind.Voice() && e.Start < at {
			end = max(end, e.End)
		}
	}
	return end
}
