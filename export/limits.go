package export

import (
	"cmp"

	"routinecast/audio/mp3"
	"routinecast/mixer"
)

// CheckMP3SampleRate reports a sample rate an MP3 export cannot have: one
// outside the mixer's range first, then one the encoder does not write.
// export, packs and the studio take MP3 rates through it, so they accept
// and refuse the same rates in the same words.
func CheckMP3SampleRate(hz int) error {
	return cmp.Or(mixer.CheckSampleRate(hz), mp3.CheckSampleRate(hz))
}
