package cli

import (
	"strings"
	"testing"
	"time"

	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

// TestWriteListing: show's text leaves out the countdown's tones, and
// right-aligns the times to the total's.
func TestWriteListing(t *testing.T) {
	s := &routines.Script{Title: "Neck", Level: routines.Gentle, Cues: []routines.Cue{
		{Kind: routines.Chapter, Text: "Neck tilt"},
		{Kind: routines.Say, Text: "Tilt your head to the left."},
		{Kind: routines.Hold, Duration: 5 * time.Second, Settle: time.Second},
		{Kind: routines.Chapter, Text: "Closing"},
		{Kind: routines.Say, Text: "And back."},
	}}
	tl, err := mixer.Compile(s, &mixertest.Clips{}, mixer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeListing(&b, mixer.NewListing(s, tl)); err != nil {
		t.Fatal(err)
	}
	const want = `Neck (level gentle), 0:10

0:00  1. Neck tilt
0:00    say         Tilt your head to the left.
0:02    settle      1s
0:03    hold        5s

0:09  2. Closing
0:09    say         And back.

total 0:10
`
	if b.String() != want {
		t.Errorf("listing:\n%s\nwant:\n%s", b.String(), want)
	}
}
