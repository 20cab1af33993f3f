package mp3

import (
	"fmt"
	"testing"
)

func TestRoundTripGoMP3(t *testing.T) {
	cases := []struct {
		rate, kbps, ch int
		mode           Mode
		minSNR         float64
	}{
		{24000, 40, 1, Mono, 12},
		{22050, 40, 1, Mono, 12},
		{44100, 64, 1, Mono, 12},
		{44100, 128, 2, JointStereo, 12},
		{44100, 128, 2, Stereo, 12},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d-%dk-%v", c.rate, c.kbps, c.mode), func(t *testing.T) {
			in := testSignal(c.rate*2, c.rate, 1)
			b := encodeToMem(t, in, Options{SampleRate: c.rate, Bitrate: c.kbps, Channels: c.ch, Mode: c.mode}, 1000)
			dec := decodeGoMP3(t, b)
			spf := 1152
			if c.rate < 32000 {
				spf = 576
			}
			// go-mp3 decodes the Info frame as silence and trims nothing.
			lag := spf + codecDelay
			if got, want := len(dec), ((len(in)+codecDelay+spf-1)/spf+1)*spf; got != want {
				t.Errorf("decoded %d samples, want %d", got, want)
			}
			if s := snr(in, dec, lag, c.ch); s < c.minSNR {
				t.Errorf("SNR %.1f dB, want >= %.1f", s, c.minSNR)
			} else {
				t.Logf("SNR %.1f dB, %d bytes", s, len(b))
			}
		})
	}
}
