package testtool

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// wavFormat is the canonical header's fmt chunk of 16-bit PCM.
type wavFormat struct {
	Size                uint32
	Format, Channels    uint16
	Rate, ByteRate      uint32
	BlockAlign, BitSize uint16
}

// WAV returns samples as a 16-bit PCM WAV file (mono takes the mean of the
// two channels). It is written here, not by package audio, so that a test's
// input does not hang on the encoder under test; it rounds to the nearest
// step without dither, so a file is exactly reproducible.
func WAV(rate, channels int, samples [][2]float64) []byte {
	data := len(samples) * 2 * channels
	b := make([]byte, 0, 44+data)
	b = binary.LittleEndian.AppendUint32(append(b, "RIFF"...), uint32(36+data))
	b, _ = binary.Append(append(b, "WAVEfmt "...), binary.LittleEndian,
		wavFormat{16, 1, uint16(channels), uint32(rate), uint32(rate * 2 * channels), uint16(2 * channels), 16})
	b = binary.LittleEndian.AppendUint32(append(b, "data"...), uint32(data))
	for _, s := range samples {
		if channels == 1 {
			b = binary.LittleEndian.AppendUint16(b, uint16(pcm16((s[0]+s[1])/2)))
			continue
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(pcm16(s[0])))
		b = binary.LittleEndian.AppendUint16(b, uint16(pcm16(s[1])))
	}
	return b
}

// pcm16 rounds a sample in [-1, 1) to 16 bits, clipping beyond.
func pcm16(x float64) int16 {
	if x != x { // NaN
		return 0
	}
	return int16(max(-32768, min(32767, math.Floor(x*32768+0.5))))
}

// WriteWAV writes samples to path as WAV makes them.
func WriteWAV(tb testing.TB, path string, rate, channels int, samples [][2]float64) {
	tb.Helper()
	if err := os.WriteFile(path, WAV(rate, channels, samples), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TempWAV writes samples as WAV makes them to a file called name in a new
// temporary folder of the test's, and returns its path.
func TempWAV(tb testing.TB, name string, rate, channels int, samples [][2]float64) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	WriteWAV(tb, path, rate, channels, samples)
	return path
}

// Sawtooth is n samples of a sawtooth wave of the given period in samples,
// peaking at amp: a sound with harmonics, for a test that needs any sound.
func Sawtooth(n, period int, amp float64) [][2]float64 {
	s := make([][2]float64, n)
	for i := range s {
		x := amp * float64(i%period-period/2) / float64(period/2)
		s[i] = [2]float64{x, x}
	}
	return s
}
