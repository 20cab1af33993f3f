package audio_test

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
)

// A one-twentieth-second LAME file decodes to exactly its 2205 samples:
// the Info frame, the encoder delay and the padding are gone.
func ExampleOpen() {
	s, format, err := audio.Open("testdata/tone.mp3")
	if err != nil {
		panic(err)
	}
	defer s.Close()
	fmt.Println(format.SampleRate, format.NumChannels, s.Len())
	// Output: 44100 2 2205
}

// Narration clips are loaded whole at the output rate, trimmed and
// levelled.
func ExampleLoadFile() {
	clip, err := audio.LoadFile("testdata/lsf32.mp3", 44100, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(clip.Len(), clip.Duration().Round(time.Millisecond))
	// Output: 6912 157ms
}

func ExampleClip_TrimSilence() {
	// 100 ms of silence, 200 ms of a tone, 100 ms of silence at 8 kHz.
	c := &audio.Clip{Rate: 8000, Channels: 1, Samples: make([][2]float64, 3200)}
	for i := 800; i < 2400; i++ {
		v := 0.5 * math.Sin(float64(i))
		c.Samples[i] = [2]float64{v, v}
	}
	c.TrimSilence(-50, 10*time.Millisecond)
	fmt.Println(c.Duration())
	// Output: 220ms
}

// A WAV can go to a plain writer (a pipe, a response) when the length is
// known first.
func ExampleNewWAVEncoder() {
	var buf bytes.Buffer
	e, err := audio.NewWAVEncoder(&buf, audio.EncodeOptions{SampleRate: 8000, Channels: 1, Length: 8000})
	if err != nil {
		panic(err)
	}
	silence := beep.StreamerFunc(func(s [][2]float64) (int, bool) {
		clear(s)
		return len(s), true
	})
	if _, err := audio.Encode(e, beep.Take(8000, silence)); err != nil {
		panic(err)
	}
	if err := e.Close(); err != nil {
		panic(err)
	}
	fmt.Println(buf.Len(), "bytes")
	// Output: 16044 bytes
}
