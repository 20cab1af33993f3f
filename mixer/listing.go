package mixer

import (
	"encoding/json"
	"io"
	"math"

	"routinecast/routines"
)

// Listing is a track's script for reading: every cue at its start time, by
// chapter, and the total, as 'routinecast show' prints it. Its field names
// are the JSON format's, which scripts may rely on.
type Listing struct {
	Title        string  `json:"title"`
	Level        string  `json:"level"`
	TotalSeconds float64 `json:"total_seconds"`
	// Estimated is set when spoken lines are timed from their words, not
	// from clips (see ScriptListing).
	Estimated bool             `json:"estimated,omitempty"`
	Chapters  []ListingChapter `json:"chapters"`
	Cues      []ListingCue     `json:"cues"`
}

// ListingChapter is a chapter of a Listing.
type ListingChapter struct {
	Title        string  `json:"title"`
	StartSeconds float64 `json:"start_seconds"`
}

// ListingCue is a cue of a Listing: a spoken line, phrase, timed segment or
// tone. Kind is the script cue's kind for spoken lines (say, count), else
// the event's.
type ListingCue struct {
	AtSeconds float64 `json:"at_seconds"`
	Kind      string  `json:"kind"`
	Text      string  `json:"text,omitempty"`
	Seconds   float64 `json:"seconds"`
	// Place is where in the routine the cue falls (exercise, side, set,
	// rep, breath), left out outside the exercises and the breaths.
	Place *FollowPlace `json:"place,omitempty"`
}

// listingPlace is p for a listing: nil when it places nothing.
func listingPlace(p routines.Place) *FollowPlace {
	fp := followPlace(Where{Place: p})
	if fp == (FollowPlace{}) {
		return nil
	}
	return &fp
}

// NewListing lists what tl plays, compiled from s: each event at its real
// start, from the voice's clips.
func NewListing(s *routines.Script, tl *Timeline) Listing {
	l := Listing{Title: s.Title, Level: string(s.Level), Chapters: []ListingChapter{}, Cues: []ListingCue{}}
	secs := func(n int) float64 { return round3(float64(n) / float64(tl.SampleRate)) }
	for _, c := range tl.Chapters {
		l.Chapters = append(l.Chapters, ListingChapter{Title: c.Title, StartSeconds: secs(c.Start)})
	}
	for _, e := range tl.Events {
		kind := string(e.Kind)
		var place *FollowPlace
		if e.Cue >= 0 && e.Cue < len(s.Cues) {
			place = listingPlace(s.Cues[e.Cue].Place)
			if e.Kind == Speech {
				kind = string(s.Cues[e.Cue].Kind)
			}
		}
		if e.Kind == Phrase && e.Text == s.Phrases.Hold && e.Cue >= 0 && e.Cue < len(s.Cues) && s.Cues[e.Cue].Kind.Timed() {
			kind = string(HoldStart) // a spoken hold-start
		}
		l.Cues = append(l.Cues, ListingCue{AtSeconds: secs(e.Start), Kind: kind, Text: e.Text, Seconds: secs(e.End - e.Start), Place: place})
	}
	l.TotalSeconds = secs(tl.Length)
	return l
}

// ScriptListing lists the script without a timeline: its cues end to end at
// their nominal durations, for a voice whose clips are not there to time it.
func ScriptListing(s *routines.Script) Listing {
	l := Listing{Title: s.Title, Level: string(s.Level), Estimated: true, Chapters: []ListingChapter{}, Cues: []ListingCue{}}
	var at float64
	for _, c := range s.Cues {
		if c.Kind == routines.Chapter {
			l.Chapters = append(l.Chapters, ListingChapter{Title: c.Text, StartSeconds: round3(at)})
			continue
		}
		if c.Settle > 0 {
			l.Cues = append(l.Cues, ListingCue{AtSeconds: round3(at), Kind: string(Settle), Seconds: round3(c.Settle.Seconds()), Place: listingPlace(c.Place)})
			at += c.Settle.Seconds()
		}
		l.Cues = append(l.Cues, ListingCue{AtSeconds: round3(at), Kind: string(c.Kind), Text: c.Text, Seconds: round3(c.Duration.Seconds()), Place: listingPlace(c.Place)})
		at += c.Duration.Seconds()
	}
	l.TotalSeconds = round3(at)
	return l
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// WriteJSON writes the listing as indented JSON.
func (l Listing) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}
