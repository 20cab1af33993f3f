package mixer_test

import (
	"os"
	"time"

	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

func neckScript() *routines.Script {
	return &routines.Script{Title: "Neck", Level: routines.Gentle, Cues: []routines.Cue{
		{Kind: routines.Chapter, Text: "Neck tilt"},
		{Kind: routines.Say, Text: "Tilt your head to the left."},
		{Kind: routines.Hold, Duration: 5 * time.Second, Settle: time.Second},
		{Kind: routines.Chapter, Text: "Closing"},
		{Kind: routines.Say, Text: "And back."},
	}}
}

func ExampleNewListing() {
	s := neckScript()
	tl, _ := mixer.Compile(s, &mixertest.Clips{}, mixer.Options{})
	mixer.NewListing(s, tl).WriteText(os.Stdout)
	// Output:
	// Neck (level gentle), 0:10
	//
	// 0:00  1. Neck tilt
	// 0:00    say         Tilt your head to the left.
	// 0:02    settle      1s
	// 0:03    hold        5s
	//
	// 0:09  2. Closing
	// 0:09    say         And back.
	//
	// total 0:10
}

// Without clips, the script's cues lie end to end at their nominal
// durations: a line takes no time, a settle and a hold their own.
func ExampleScriptListing() {
	mixer.ScriptListing(neckScript()).WriteJSON(os.Stdout)
	// Output:
	// {
	//   "title": "Neck",
	//   "level": "gentle",
	//   "total_seconds": 6,
	//   "estimated": true,
	//   "chapters": [
	//     {
	//       "title": "Neck tilt",
	//       "start_seconds": 0
	//     },
	//     {
	//       "title": "Closing",
	//       "start_seconds": 6
	//     }
	//   ],
	//   "cues": [
	//     {
	//       "at_seconds": 0,
	//       "kind": "say",
	//       "text": "Tilt your head to the left.",
	//       "seconds": 0
	//     },
	//     {
	//       "at_seconds": 0,
	//       "kind": "settle",
	//       "seconds": 1
	//     },
	//     {
	//       "at_seconds": 1,
	//       "kind": "hold",
	//       "seconds": 5
	//     },
	//     {
	//       "at_seconds": 6,
	//       "kind": "say",
	//       "text": "And back.",
	//       "seconds": 0
	//     }
	//   ]
	// }
}
