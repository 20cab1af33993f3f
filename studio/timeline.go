package studio

import (
	"math"

	"routinecast/routines"
)

// estimatedView lays a script's cues end to end at their nominal durations,
// for a routine whose lines do not all have clips yet.
func estimatedView(r *routines.Routine, level routines.Level) (timelineView, error) {
	sc, err := routines.Expand(r, level)
	if err != nil {
		return timelineView{}, err
	}
	v := timelineView{Title: sc.Title, Level: string(sc.Level), Estimated: true, Chapters: []chapterView{}, Cues: []cueView{}}
	var at float64
	for _, c := range sc.Cues {
		if c.Kind == routines.Chapter {
			v.Chapters = append(v.Chapters, chapterView{Title: c.Text, Start: round3(at)})
			continue
		}
		v.Cues = append(v.Cues, cueView{At: round3(at), Kind: string(c.Kind), Text: c.Text, Seconds: round3(c.Duration.Seconds())})
		at += c.Duration.Seconds()
	}
	v.Total = round3(at)
	return v, nil
}

// timelineView is the timeline pane's data. Times are in seconds.
type timelineView struct {
	Title     string        `json:"title"`
	Level     string        `json:"level"`
	Total     float64       `json:"total"`
	Estimated bool          `json:"estimated"` // times from the words, not from clips
	Chapters  []chapterView `json:"chapters"`
	Cues      []cueView     `json:"cues"`
}

type chapterView struct {
	Title string  `json:"title"`
	Start float64 `json:"start"`
}

type cueView struct {
	At      float64 `json:"at"`
	Kind    string  `json:"kind"`
	Text    string  `json:"text,omitempty"`
	Seconds float64 `json:"seconds"`
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
