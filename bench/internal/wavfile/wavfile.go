// Package wavfile writes the 16-bit WAV files that the benchmark programs
// hand to other tools (LAME, ffmpeg, pocketsphinx), with package audio's
// encoder, so that they quantize as routinecast's own WAV output does.
package wavfile

import (
	"os"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
)

// Write writes one or two channels of samples, each a slice of the same
// length, at rate to path.
func Write(path string, rate int, channels ...[]float64) error {
	n := len(channels[0])
	s := make([][2]float64, n)
	for i := range s {
		s[i] = [2]float64{channels[0][i], channels[len(channels)-1][i]}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	e, err := audio.NewWAVEncoder(f, audio.EncodeOptions{SampleRate: beep.SampleRate(rate), Channels: len(channels), Length: n})
	if err == nil {
		err = e.Write(s)
	}
	if err == nil {
		err = e.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
