package cli

import (
	"cmp"
	"fmt"

	"routinecast/job"
	"routinecast/narration"
)

// fixMissingClips sets the advice of e to the command that adds the clips,
// for the routine and voice as the user named them: voice is "" for the
// built-in voice, else the voice in folder dir. For the built-in voice it
// suggests the speech engine installedEngine names ("" for festival).
func fixMissingClips(e *job.MissingClipsError, routine, voice, dir string) {
	var v *narration.Voice
	if e.Voice = "the built-in voice"; dir != "" {
		e.Voice = "the voice " + voice
		v, _ = narration.Open(dir)
	}
	r, vs := shellWords(routine), shellWords(voice)
	switch {
	case v != nil && v.Manifest.Engine.Name != narration.Recorded:
		e.Advice = fmt.Sprintf("render them with 'routinecast voice render %s --voice %s', or add --engine %s to this command", r, vs, v.Manifest.Engine.Name)
	case v != nil:
		e.Advice = fmt.Sprintf("record them (see 'routinecast voice script %s') and import them with 'routinecast voice import FOLDER --voice %s --routine %s'", r, vs, r)
	default:
		e.Advice = fmt.Sprintf("the built-in voice speaks only the built-in routines: add --engine %s to this command to render the lines with a speech engine (see 'routinecast voice engines'), or give --voice DIR", cmp.Or(installedEngine(), "festival"))
	}
}
