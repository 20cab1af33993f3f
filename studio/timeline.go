package studio

import (
	"slices"

	"routinecast/mixer"
	"routinecast/routines"
)

// timelineView is the timeline pane's data: the routine's listing as show
// prints it, without the countdown's tones (the hold implies them).
type timelineView struct {
	mixer.Listing
	Estimated bool `json:"estimated"` // times from the words, not from clips
}

func newTimelineView(l mixer.Listing, estimated bool) timelineView {
	l.Cues = slices.DeleteFunc(l.Cues, func(c mixer.ListingCue) bool { return mixer.EventKind(c.Kind).Tone() })
	return timelineView{Listing: l, Estimated: estimated}
}

// estimatedView lays a script's cues end to end at their nominal durations,
// for a routine whose lines do not all have clips yet.
func estimatedView(r *routines.Routine, level routines.Level) (timelineView, error) {
	sc, err := routines.Expand(r, level)
	if err != nil {
		return timelineView{}, err
	}
	return newTimelineView(mixer.ScriptListing(sc), true), nil
}
