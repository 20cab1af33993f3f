package audio

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// BenchmarkDecodeMP3 decodes 60 s of 128 kbit/s stereo MP3 per iteration
// and reports the speed as a multiple of real time, next to ffmpeg's on the
// same file (decoding to a null sink) in the same run.
func BenchmarkDecodeMP3(b *testing.B) {
	lame := testtool.Require(b, "lame")
	ff := testtool.Require(b, "ffmpeg")
	in := testtool.TempWAV(b, "in.wav", 44100, 2, noisyTone(44100, 60*44100))
	path := filepath.Join(b.TempDir(), "x.mp3")
	testtool.Output(b, lame, "--quiet", "-b", "128", in, path)
	os.Remove(in)

	start := time.Now()
	const ffRuns = 3
	for range ffRuns {
		testtool.Output(b, ff, "-nostdin", "-v", "error", "-i", path, "-f", "null", "-")
	}
	ffSpeed := 60 * ffRuns / time.Since(start).Seconds()

	buf := make([][2]float64, 4096)
	b.ResetTimer()
	for b.Loop() {
		s, _, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		testtool.Drain(b, s, buf)
		s.Close()
	}
	reportSpeed(b, 60, ffSpeed)
}

// BenchmarkEncodeFLAC encodes 60 s of stereo 44.1 kHz per iteration.
func BenchmarkEncodeFLAC(b *testing.B) {
	src := noisyTone(44100, 60*44100)
	ff := testtool.Require(b, "ffmpeg")
	in := testtool.TempWAV(b, "in.wav", 44100, 2, src)
	start := time.Now()
	testtool.Output(b, ff, "-nostdin", "-v", "error", "-y", "-i", in, "-c:a", "flac", filepath.Join(b.TempDir(), "ff.flac"))
	ffSpeed := 60 / time.Since(start).Seconds()
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Create(filepath.Join(b.TempDir(), "x.flac"))
		if err != nil {
			b.Fatal(err)
		}
		e, err := NewFLACEncoder(f, EncodeOptions{SampleRate: 44100, Channels: 2})
		if err != nil {
			b.Fatal(err)
		}
		if err := e.Write(src); err != nil {
			b.Fatal(err)
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	reportSpeed(b, 60, ffSpeed)
}

// reportSpeed reports how many times faster than real time each iteration
// of b went over seconds of audio, beside ffmpeg's speed on the same work.
func reportSpeed(b *testing.B, seconds, ffSpeed float64) {
	ours := seconds * float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(ours, "x-realtime")
	b.ReportMetric(ffSpeed, "ffmpeg-x-realtime")
	b.ReportMetric(ours/ffSpeed, "ratio-to-ffmpeg")
}
