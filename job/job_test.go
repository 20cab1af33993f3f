package job

import (
	"strings"
	"testing"

	"routinecast/internal/testtool/routinetest"
	"routinecast/mixer"
	"routinecast/routines"
)

func TestMissingClipsAdvice(t *testing.T) {
	e := &MissingClipsError{Voice: "my-voice", Lines: []string{"a", "b", "c", "d", "e", "f", "g"}}
	msg := e.Error()
	if !strings.HasPrefix(msg, "my-voice has no clip for 7 line(s)") || !strings.Contains(msg, "... and 2 more\nrender them with 'routinecast voice render") {
		t.Errorf("message:\n%s", msg)
	}
	e.Advice = "record them"
	if msg := e.Error(); !strings.HasSuffix(msg, "\n  ... and 2 more\nrecord them") {
		t.Errorf("with advice:\n%s", msg)
	}
}

// Script is what Compile plays, without the clips: at a level, the
// expanded script; at a length, the fitted one, labelled with its minutes.
func TestScript(t *testing.T) {
	r := routinetest.Tiny(t)
	s, err := Script(Options{Routine: r, Level: routines.Full})
	if err != nil || s.Level != routines.Full {
		t.Fatalf("at a level: %v, %v", s, err)
	}
	job, err := Compile(Options{Routine: r, Length: 12e9})
	if err != nil {
		t.Fatal(err)
	}
	s, err = Script(Options{Routine: r, Length: 12e9})
	if err != nil {
		t.Fatal(err)
	}
	if s.Level != job.Script.Level || s.Total() != job.Script.Total() {
		t.Errorf("fitted script %s lasting %v; Compile's %s lasting %v", s.Level, s.Total(), job.Script.Level, job.Script.Total())
	}
}

// TestSpokenHoldStart: with the start of holds spoken, the embedded voice
// says "Hold." (it carries the clip) at the start of every hold that has a
// settle, and the listing shows each as a hold_start cue.
func TestSpokenHoldStart(t *testing.T) {
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	j, err := Compile(Options{Routine: r, Mixer: mixer.Options{HoldStart: mixer.HoldStartOptions{Mode: mixer.HoldStartSpoken}}})
	if err != nil {
		t.Fatal(err)
	}
	said := map[int]bool{}
	for _, e := range j.Timeline.Events {
		if e.Kind == mixer.Phrase && e.Text == "Hold." {
			said[e.Start] = true
		}
	}
	holds, spoken := 0, 0
	for _, e := range j.Timeline.Events {
		if e.Kind == mixer.Hold {
			holds++
			if said[e.Start] {
				spoken++
			}
		}
	}
	starts := 0
	for _, c := range mixer.NewListing(j.Script, j.Timeline).Cues {
		if c.Kind == string(mixer.HoldStart) {
			starts++
		}
	}
	t.Logf("%d holds, %d with a spoken start, %d hold_start cues", holds, spoken, starts)
	if spoken == 0 || starts != holds {
		t.Errorf("%d holds, %d with \"Hold.\" at their first sample, %d hold_start cues in the listing", holds, spoken, starts)
	}
}
