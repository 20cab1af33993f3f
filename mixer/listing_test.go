package mixer_test

import (
	"fmt"
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

func ExampleNewListing() {
	s := neckScript()
	tl, _ := mixer.Compile(s, &mixertest.Clips{}, mixer.Options{})
	l := mixer.NewListing(s, tl)
	for _, c := range l.Chapters {
		fmt.Printf("chapter at %gs: %s\n", c.StartSeconds, c.Title)
	}
	for _, c := range l.Cues {
		fmt.Printf("%gs %s %q %gs\n", c.AtSeconds, c.Kind, c.Text, c.Seconds)
	}
	fmt.Printf("total %gs\n", l.TotalSeconds)
	// Output:
	// chapter at 0s: Neck tilt
	// chapter at 9.05s: Closing
	// 0.1s say "Tilt your head to the left." 2.05s
	// 2.15s settle "" 1s
	// 3.15s hold "" 5s
	// 3.15s hold_start "" 0.3s
	// 5.15s beep "" 0.12s
	// 6.15s beep "" 0.12s
	// 7.15s beep "" 0.12s
	// 8.15s end_tone "" 0.4s
	// 9.05s say "And back." 0.85s
	// total 10.9s
}
