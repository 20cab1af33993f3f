package mp3

import (
	"io"
	"testing"
)

// BenchmarkEncode measures encoding ten seconds of testSignal; the
// comparison with LAME is bench/mp3/run.sh.
func BenchmarkEncode(b *testing.B) {
	for _, c := range []rtCase{{44100, 128, JointStereo}, {44100, 64, Mono}, {24000, 40, Mono}} {
		b.Run(c.name(), func(b *testing.B) {
			in := testSignal(10*c.rate, c.rate, 9)
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				encodeTo(b, io.Discard, in, Options{SampleRate: c.rate, Bitrate: c.kbps, Mode: c.mode, TotalSamples: int64(len(in))}, len(in))
			}
		})
	}
}
