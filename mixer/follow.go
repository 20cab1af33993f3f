package mixer

import (
	"encoding/json"
	"io"
	"slices"
)

// Follow is Where over a whole track, for a display that cannot ask: the
// track cut into spans during which Where says the same thing but for the
// time left. A follower finds the span holding its position and takes the
// time left from the span's ends, so it computes nothing else.
// Its field names are the JSON format's, which the follow-along page reads.
type Follow struct {
	Title    string          `json:"title"`
	Seconds  float64         `json:"seconds"`
	Chapters []FollowChapter `json:"chapters"`
	Spans    []FollowSpan    `json:"spans"`
}

// FollowChapter is a chapter of a Follow.
type FollowChapter struct {
	Title string  `json:"title"`
	Start float64 `json:"start"`
	End   float64 `json:"end"` // where the next chapter starts, or the track ends
}

// FollowSpan is what Where says from Start to End (seconds).
type FollowSpan struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	// Chapter is an index into Follow.Chapters, -1 before the first.
	Chapter     int         `json:"chapter"`
	Place       FollowPlace `json:"place"`
	Instruction string      `json:"instruction,omitempty"`
	Speaking    string      `json:"speaking,omitempty"`
	Timer       *FollowTime `json:"timer,omitempty"`
	Next        *FollowNext `json:"next,omitempty"`
}

// FollowPlace is routines.Place as the page shows it; zeros are left out.
type FollowPlace struct {
	Exercise  int    `json:"exercise,omitempty"`
	Exercises int    `json:"exercises,omitempty"`
	Name      string `json:"name,omitempty"`
	Side      string `json:"side,omitempty"`
	Set       int    `json:"set,omitempty"`
	Sets      int    `json:"sets,omitempty"`
	Rep       int    `json:"rep,omitempty"`
	Reps      int    `json:"reps,omitempty"`
	Breath    int    `json:"breath,omitempty"`
	Breaths   int    `json:"breaths,omitempty"`
}

// FollowTime is the timer running through a span: its kind and its ends,
// in seconds. Its countdown at time t is End-t rounded up, as
// Timer.Seconds counts.
type FollowTime struct {
	Kind  EventKind `json:"kind"`
	Start float64   `json:"start"`
	End   float64   `json:"end"`
}

// FollowNext is Where's Next.
type FollowNext struct {
	Chapter     bool        `json:"chapter,omitempty"`
	Title       string      `json:"title,omitempty"`
	Place       FollowPlace `json:"place"`
	Instruction string      `json:"instruction,omitempty"`
}

// Follow asks Where at every sample where its answer may change (the
// starts and ends of events and chapters) and keeps the answers that differ.
func (tl *Timeline) Follow() Follow {
	secs := func(n int) float64 { return round3(float64(n) / float64(tl.SampleRate)) }
	f := Follow{Title: tl.Title, Seconds: secs(tl.Length), Chapters: []FollowChapter{}, Spans: []FollowSpan{}}
	for i, c := range tl.Chapters {
		end := tl.Length
		if i+1 < len(tl.Chapters) {
			end = tl.Chapters[i+1].Start
		}
		f.Chapters = append(f.Chapters, FollowChapter{Title: c.Title, Start: secs(c.Start), End: secs(end)})
	}
	cuts := []int{0}
	for _, e := range tl.Events {
		cuts = append(cuts, e.Start, e.End)
	}
	for _, c := range tl.Chapters {
		cuts = append(cuts, c.Start)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	for i, at := range cuts {
		if at >= tl.Length {
			break
		}
		end := tl.Length
		if i+1 < len(cuts) {
			end = min(cuts[i+1], tl.Length)
		}
		s := followSpan(tl.Where(at), secs)
		s.Start, s.End = secs(at), secs(end)
		if n := len(f.Spans); n > 0 && sameSpan(f.Spans[n-1], s) {
			f.Spans[n-1].End = s.End
			continue
		}
		f.Spans = append(f.Spans, s)
	}
	return f
}

func followSpan(w Where, secs func(int) float64) FollowSpan {
	s := FollowSpan{Chapter: w.Chapter, Place: followPlace(w), Instruction: w.Instruction, Speaking: w.Speaking}
	if w.Timer.Kind != "" {
		s.Timer = &FollowTime{Kind: w.Timer.Kind, Start: secs(w.Timer.Start), End: secs(w.Timer.End)}
	}
	if w.Next.Cue >= 0 {
		n := w.Next
		s.Next = &FollowNext{Chapter: n.Chapter, Title: n.Title, Instruction: n.Instruction,
			Place: followPlace(Where{Place: n.Place})}
	}
	return s
}

func followPlace(w Where) FollowPlace {
	p := w.Place
	return FollowPlace{Exercise: p.Exercise, Exercises: p.Exercises, Name: p.Name, Side: p.Side,
		Set: p.Set, Sets: p.Sets, Rep: p.Rep, Reps: p.Reps, Breath: p.Breath, Breaths: p.Breaths}
}

// sameSpan tells whether two spans show the same, whatever their times.
func sameSpan(a, b FollowSpan) bool {
	a.Start, a.End, b.Start, b.End = 0, 0, 0, 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// WriteFollowJSON writes tl.Follow() as compact JSON.
func WriteFollowJSON(w io.Writer, tl *Timeline) error {
	return json.NewEncoder(w).Encode(tl.Follow())
}
