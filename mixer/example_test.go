package mixer_test

import (
	"fmt"
	"os"
	"time"

	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

func ExampleCompile() {
	script := &routines.Script{Title: "Neck", Cues: []routines.Cue{
		{Kind: routines.Chapter, Text: "Neck tilt"},
		{Kind: routines.Say, Text: "Tilt your head to the left."},
		{Kind: routines.Hold, Duration: 5 * time.Second},
		{Kind: routines.Say, Text: "And back."},
	}}
	clips := &mixertest.Clips{} // a stand-in voice: 250 ms plus 300 ms a word
	tl, err := mixer.Compile(script, clips, mixer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	mixer.WriteTimeline(os.Stdout, tl)
	// Output:
	// Neck: 44100 Hz stereo, 436590 samples (0:00:09.900), 8 events, 2 lines, 1 chapters
	// 0:00:00.000  chapter "Neck tilt"
	// 0:00:00.100  speech      [4410, 94815) 2.050s "Tilt your head to the left."
	// 0:00:02.150  hold        [94815, 315315) 5.000s
	// 0:00:02.150  hold_start  [94815, 108045) 0.300s 330 Hz
	// 0:00:04.150  beep        [183015, 188307) 0.120s 294 Hz
	// 0:00:05.150  beep        [227115, 232407) 0.120s 294 Hz
	// 0:00:06.150  beep        [271215, 276507) 0.120s 294 Hz
	// 0:00:07.150  end_tone    [315315, 332955) 0.400s 392 Hz
	// 0:00:08.050  speech      [355005, 392490) 0.850s "And back."
}
