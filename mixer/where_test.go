package mixer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

// lowerBackTimeline compiles the built-in lower-back routine at the standard level.
func lowerBackTimeline(t *testing.T) *Timeline {
	t.Helper()
	return compile(t, lowerBack(t, routines.Standard), &mixertest.Clips{}, Options{})
}

// segments returns the events of kind k in the chapter titled title.
func segments(tl *Timeline, title string, k EventKind) []Event {
	var out []Event
	for _, e := range tl.Events {
		if e.Kind == k && tl.Where(e.Start).ChapterTitle == title {
			out = append(out, e)
		}
	}
	return out
}

func TestWhereAlternatingHolds(t *testing.T) {
	tl := lowerBackTimeline(t)
	holds := segments(tl, "Lying trunk rotation", Hold)
	if len(holds) != 8 { // 4 repetitions at the standard level, both sides
		t.Fatalf("%d holds in the trunk rotation, want 8", len(holds))
	}
	for i, h := range holds {
		side, rep := []string{"left", "right"}[i%2], i/2+1
		for _, pos := range []int{h.Start, h.Start + (h.End-h.Start)/2, h.End - 1} {
			w := tl.Where(pos)
			p := w.Place
			if p.Name != "Lying trunk rotation" || p.Exercise != 1 || p.Exercises != 9 || p.Side != side || p.Rep != rep || p.Reps != 4 || p.Set != 1 || p.Sets != 1 {
				t.Fatalf("hold %d at %d: place %+v, want %s, rep %d of 4", i, pos, p, side, rep)
			}
			if w.Chapter != 2 || w.Chapters != len(tl.Chapters) {
				t.Errorf("hold %d: chapter %d of %d, want 3rd", i, w.Chapter, w.Chapters)
			}
			if !strings.Contains(w.Instruction, "to the "+side) {
				t.Errorf("hold %d: instruction %q, want the one saying %s", i, w.Instruction, side)
			}
			if w.Timer.Kind != Hold || w.Timer.Start != h.Start || w.Timer.End != h.End || w.Timer.Length != 8*time.Second {
				t.Errorf("hold %d: timer %+v", i, w.Timer)
			}
			if w.Speaking != "" && pos == h.End-1 {
				t.Errorf("hold %d: speaking %q in the last sample of the hold", i, w.Speaking)
			}
		}
		if got := tl.Where(h.Start).Timer.Seconds(); got != 8 {
			t.Errorf("hold %d: %d s left at its start, want 8", i, got)
		}
		if got := tl.Where(h.End - 1).Timer.Seconds(); got != 1 {
			t.Errorf("hold %d: %d s left at its last sample, want 1", i, got)
		}
		// At its end sample the end tone sounds, and the hold is over.
		if w := tl.Where(h.End); w.Timer.Kind == Hold {
			t.Errorf("hold %d: still held at its end: %+v", i, w.Timer)
		}
	}
	// The rest after the first left rotation: next is the right side.
	rests := segments(tl, "Lying trunk rotation", Rest)
	w := tl.Where(rests[0].Start + 10)
	if w.Timer.Kind != Rest || w.Place.Side != "left" || w.Instruction != "Gently bring your knees back to center." {
		t.Errorf("first rest: %+v", w)
	}
	if n := w.Next; n.Chapter || n.Place.Side != "right" || n.Place.Rep != 1 || !strings.HasPrefix(n.Instruction, "Gently and slowly lower your knees to the right") {
		t.Errorf("next after the first rest: %+v", n)
	}
	// The last rest: next is the notes, then the next exercise.
	w = tl.Where(rests[len(rests)-1].Start)
	if n := w.Next; n.Chapter || n.Place.Rep != 0 || n.Place.Name != "Lying trunk rotation" {
		t.Errorf("next after the last rest: %+v", n)
	}
}

func TestWhereBreathsAndSetBreaks(t *testing.T) {
	tl := lowerBackTimeline(t)
	ins := segments(tl, "Deep breathing", BreatheIn)
	if len(ins) != 6 {
		t.Fatalf("%d inhales in the warm-up, want 6", len(ins))
	}
	for i, e := range ins {
		w := tl.Where(e.Start + 1)
		if w.Timer.Kind != BreatheIn || w.Place.Breath != i+1 || w.Place.Breaths != 6 || w.Place.Exercise != 0 {
			t.Errorf("inhale %d: timer %+v place %+v", i, w.Timer, w.Place)
		}
		if got := w.Timer.Seconds(); got != 4 {
			t.Errorf("inhale %d: %d s left, want 4", i, got)
		}
	}

	var breaks []Event
	for _, e := range segments(tl, "Seated marching", Rest) {
		if tl.Where(e.Start).Place.Rep == 0 {
			breaks = append(breaks, e)
		}
	}
	if len(breaks) != 2 {
		t.Fatalf("%d set breaks in seated marching, want 2", len(breaks))
	}
	for i, e := range breaks {
		w := tl.Where(e.Start + (e.End-e.Start)/2)
		if w.Timer.Kind != Rest || w.Timer.Length != 15*time.Second || w.Place.Set != i+1 || w.Place.Sets != 3 || w.Place.Reps != 8 {
			t.Errorf("set break %d: timer %+v place %+v", i, w.Timer, w.Place)
		}
		if n := w.Next; n.Chapter || n.Place.Set != i+2 || n.Place.Name != "Seated marching" {
			t.Errorf("set break %d: next %+v, want set %d", i, n, i+2)
		}
	}
	// Between sets the sides go right first, as the routine names them.
	w := tl.Where(breaks[0].End)
	// Next is the announcement of set 2, and what its first repetition says.
	if w.Next.Instruction != "Right knee." || w.Next.Place.Set != 2 || w.Next.Place.Rep != 0 {
		t.Errorf("at the end of the first set break: next %+v", w.Next)
	}
	var announce Where
	for _, e := range tl.Events {
		if e.Cue == w.Next.Cue {
			announce = tl.Where(e.Start)
			break
		}
	}
	if n := announce.Next; n.Place.Set != 2 || n.Place.Rep != 1 || n.Place.Side != "right" {
		t.Errorf("after the announcement of set 2: next %+v", n)
	}
}

func TestWhereChaptersAndEnds(t *testing.T) {
	tl := lowerBackTimeline(t)
	w := tl.Where(-5)
	if w.Pos != 0 || w.Chapter != 0 || w.Cue != -1 || w.Left != tl.Duration() || w.Next.Cue < 0 {
		t.Errorf("before the start: %+v", w)
	}
	if w.Next.Chapter != true || w.Next.Title != "Introduction" && w.Next.Title != tl.Chapters[0].Title {
		t.Errorf("before the start, next: %+v", w.Next)
	}
	w = tl.Where(tl.Length + 100)
	if w.Pos != tl.Length || w.Left != 0 || w.Chapter != len(tl.Chapters)-1 || w.Next.Cue != -1 || w.ChapterLeft != 0 {
		t.Errorf("past the end: %+v", w)
	}
	// The moment before each chapter: next is that chapter.
	for i := 1; i < len(tl.Chapters); i++ {
		c := tl.Chapters[i]
		w := tl.Where(c.Start - 1)
		if w.Chapter != i-1 || w.ChapterLeft != tl.Time(1) {
			t.Errorf("before chapter %d: chapter %d, %v left", i+1, w.Chapter+1, w.ChapterLeft)
		}
		if !w.Next.Chapter || w.Next.Title != c.Title {
			t.Errorf("before chapter %d (%s): next %+v", i+1, c.Title, w.Next)
		}
		if got := tl.Where(c.Start); got.Chapter != i || got.ChapterTitle != c.Title {
			t.Errorf("at chapter %d: %d %q", i+1, got.Chapter+1, got.ChapterTitle)
		}
	}
	// A timeline made by hand, with no cues: chapters and timers still answer.
	hand := &Timeline{SampleRate: 1000, Length: 5000,
		Chapters: []Chapter{{Title: "A", Start: 0}},
		Events:   []Event{{Kind: Speech, Start: 0, End: 1000, Text: "Go."}, {Kind: Hold, Start: 1000, End: 4000}}}
	w = hand.Where(1500)
	if w.ChapterTitle != "A" || w.Timer.Kind != Hold || w.Timer.Seconds() != 3 || w.Instruction != "Go." || w.Place != (routines.Place{}) {
		t.Errorf("hand-made timeline: %+v", w)
	}
}

func ExampleTimeline_Where() {
	r, _ := routines.Builtin("lower-back")
	s, _ := routines.Expand(r, routines.Standard)
	tl, _ := Compile(s, &mixertest.Clips{}, Options{})
	for _, e := range tl.Events {
		if e.Kind != Hold {
			continue
		}
		w := tl.Where(e.Start + int(tl.SampleRate)) // a second into the first hold
		fmt.Printf("chapter %d of %d: %s\n", w.Chapter+1, w.Chapters, w.Place.Name)
		fmt.Printf("%s side, rep %d of %d: %q\n", w.Place.Side, w.Place.Rep, w.Place.Reps, w.Instruction)
		fmt.Printf("%s, %d s left of %v\n", w.Timer.Kind, w.Timer.Seconds(), w.Timer.Length)
		fmt.Printf("next: %s side, rep %d\n", w.Next.Place.Side, w.Next.Place.Rep)
		break
	}
	// Output:
	// chapter 3 of 12: Lying trunk rotation
	// left side, rep 1 of 4: "Gently and slowly lower your knees to the left, until you feel a light stretch on the right side."
	// hold, 7 s left of 8s
	// next: right side, rep 1
}
