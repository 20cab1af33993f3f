package mp3_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/generators"

	"routinecast/audio"
	"routinecast/audio/mp3"
)

// The encoder is one of package audio's encoders, beside WAV and FLAC.
var _ audio.Encoder = (*mp3.Encoder)(nil)

// Encode one second of a 1 kHz beep as 64 kbps mono MP3. With
// TotalSamples set, the Info frame is complete even on a writer that cannot
// seek, like a bytes.Buffer.
func Example() {
	sr := beep.SampleRate(44100)
	tone, err := generators.SineTone(sr, 1000)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	err = mp3.Encode(&out, beep.Take(sr.N(1e9), tone), mp3.Options{
		SampleRate:   int(sr),
		Bitrate:      64,
		Mode:         mp3.Mono,
		TotalSamples: int64(sr.N(1e9)),
	})
	if err != nil {
		log.Fatal(err)
	}
	b := out.Bytes()
	fmt.Printf("%d bytes, header % x, tag %q\n", len(b), b[:4], b[21:25])
	// Output:
	// 8567 bytes, header ff fb 50 c4, tag "Info"
}
