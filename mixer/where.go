package mixer

import (
	"time"

	"routinecast/routines"
)

// Where is what is going on at one sample of a timeline: what a display that
// follows the track shows, and what a person on the floor looks up for.
type Where struct {
	Pos            int           // the sample asked about, within [0, Length]
	Elapsed, Total time.Duration // from the start of the track; its length
	Left           time.Duration // until the end of the track

	// Chapter is the index of the chapter playing (into Timeline.Chapters),
	// -1 before the first one starts.
	Chapter      int
	Chapters     int
	ChapterTitle string
	ChapterLeft  time.Duration // until the next chapter starts, or the track ends
	// ChapterLength is the chapter's own length (the time before the first
	// chapter, before it starts).
	ChapterLength time.Duration

	// Cue is the index of the script cue being run (into Timeline.Cues), -1
	// before the first; Place is where that cue falls in the routine.
	Cue   int
	Place routines.Place

	// Instruction is the last line said in this chapter that tells what to do
	// (counts are not instructions): it stays through the hold that follows it.
	Instruction string
	// Speaking is the line being said at Pos, or "".
	Speaking string
	// Timer is the hold, rest or breath running at Pos; its Kind is "" when none.
	Timer Timer
	// Next is the next step of the routine that is not the one being run.
	Next Next
}

// Timer is a timed segment of the track seen from one sample of it.
type Timer struct {
	Kind       EventKind // Hold, Rest, BreatheIn, BreatheOut, or "" for none
	Start, End int       // samples
	Length     time.Duration
	Left       time.Duration // from the sample asked about to End
}

// Seconds is the time left in whole seconds, rounded up: a countdown shows 1
// through its last second and reaches 0 only at the end.
func (t Timer) Seconds() int {
	return int((t.Left + time.Second - 1) / time.Second)
}

// Next is the next step: another repetition, side, set, breath or exercise.
type Next struct {
	// Cue is the index of its first cue, -1 when nothing follows.
	Cue   int
	Place routines.Place
	// Chapter is set when the step starts another chapter; Title is its title.
	Chapter bool
	Title   string
	// Instruction is the first line said in the step (after the
	// announcement of a set or a side: in its first repetition), or "".
	Instruction string
}

// Where answers what is going on at sample pos (clamped to the track). It
// reads the events up to pos once, so it costs time in proportion to them: a
// display asking ten times a second over a routine of hours does not notice.
func (tl *Timeline) Where(pos int) Where {
	pos = min(max(pos, 0), tl.Length)
	w := Where{
		Pos:      pos,
		Elapsed:  tl.Time(pos),
		Total:    tl.Duration(),
		Left:     tl.Time(tl.Length - pos),
		Chapter:  -1,
		Chapters: len(tl.Chapters),
		Cue:      -1,
		Next:     Next{Cue: -1},
	}
	chapterStart, chapterEnd := 0, tl.Length
	for i, c := range tl.Chapters {
		if c.Start > pos {
			chapterEnd = c.Start
			break
		}
		w.Chapter, w.ChapterTitle, chapterStart = i, c.Title, c.Start
	}
	w.ChapterLeft = tl.Time(chapterEnd - pos)
	w.ChapterLength = tl.Time(chapterEnd - chapterStart)

	for _, e := range tl.Events {
		if e.Start > pos {
			break
		}
		// Events sort by start, and the cues placed later start later (the
		// end tone of a hold shares its sample with the rest after it), so
		// the highest cue started is the one being run.
		w.Cue = max(w.Cue, e.Cue)
		inside := pos < e.End
		switch {
		case e.Kind.Voice() && inside:
			w.Speaking = e.Text
		case e.Kind.Segment() && inside:
			w.Timer = Timer{Kind: e.Kind, Start: e.Start, End: e.End, Length: tl.Time(e.Len()), Left: tl.Time(e.End - pos)}
		}
		if e.Kind == Speech && e.Start >= chapterStart && tl.cueKind(e.Cue) != routines.Count {
			w.Instruction = e.Text
		}
	}
	if w.Cue >= 0 && w.Cue < len(tl.Cues) {
		w.Place = tl.Cues[w.Cue].Place
	}
	w.Next = tl.next(w.Cue)
	return w
}

// cueKind is the kind of cue i, or "" when the timeline has no such cue.
func (tl *Timeline) cueKind(i int) routines.CueKind {
	if i < 0 || i >= len(tl.Cues) {
		return ""
	}
	return tl.Cues[i].Kind
}

// next finds the step after the one cue cur belongs to: the first later cue
// at another place in the routine, or in another chapter.
func (tl *Timeline) next(cur int) Next {
	n := Next{Cue: -1}
	if cur >= len(tl.Cues) {
		return n
	}
	var here routines.Place
	if cur >= 0 {
		here = tl.Cues[cur].Place
	}
	for i := cur + 1; i < len(tl.Cues); i++ {
		c := tl.Cues[i]
		if c.Kind == routines.Chapter {
			if n.Cue >= 0 {
				break
			}
			n.Chapter, n.Title = true, c.Text
			continue
		}
		if n.Cue < 0 {
			if !n.Chapter && c.Place == here {
				continue
			}
			n.Cue, n.Place = i, c.Place
		}
		if c.Place != n.Place {
			break
		}
		if c.Kind == routines.Say {
			n.Instruction = c.Text
			break
		}
	}
	// A step that only announces a set or a side ("Set two of three.") says
	// nothing of what to do: the first repetition after it does.
	if n.Cue >= 0 && !n.Chapter && n.Place.Exercise > 0 && n.Place.Rep == 0 && n.Place.Set > 0 {
		for i := n.Cue + 1; i < len(tl.Cues); i++ {
			c := tl.Cues[i]
			if c.Kind == routines.Chapter || c.Place.Exercise != n.Place.Exercise || c.Place.Set != n.Place.Set {
				break
			}
			if c.Kind == routines.Say && c.Place.Rep > 0 {
				n.Instruction = c.Text
				break
			}
		}
	}
	return n
}
