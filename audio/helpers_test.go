package audio

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/testtool"
)

// run runs a program with a timeout and fails the test with its output on
// error.
func run(t testing.TB, prog string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// ffmpegDecode decodes a file with ffmpeg to float samples in beep's layout.
func ffmpegDecode(t testing.TB, path string, channels int) [][2]float64 {
	t.Helper()
	ff := testtool.Require(t, "ffmpeg")
	raw := run(t, ff, "-nostdin", "-v", "error", "-i", path, "-f", "f64le", "-c:a", "pcm_f64le", "-")
	n := len(raw) / 8 / channels
	out := make([][2]float64, n)
	for i := range out {
		for c := range channels {
			out[i][c] = math.Float64frombits(binary.LittleEndian.Uint64(raw[(i*channels+c)*8:]))
		}
		if channels == 1 {
			out[i][1] = out[i][0]
		}
	}
	return out
}

// readAll drains a streamer, failing the test on a stream error.
func readAll(t testing.TB, s beep.Streamer) [][2]float64 {
	t.Helper()
	var out [][2]float64
	buf := make([][2]float64, 1000)
	for {
		n, ok := s.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			break
		}
		if n < len(buf) {
			// A streamer of ours fills the buffer until it ends.
			if n2, ok2 := s.Stream(buf); n2 != 0 || ok2 {
				t.Fatalf("short read of %d samples, then %d more", n, n2)
			}
			break
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("stream error: %v", err)
	}
	return out
}

// writeWAV writes samples to a 16-bit WAV file in a temp dir.
func writeWAV(t testing.TB, name string, rate, channels int, samples [][2]float64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := NewWAVEncoder(f, EncodeOptions{SampleRate: beep.SampleRate(rate), Channels: channels})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(samples); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// tone returns n samples of a sine (different frequencies left and right, so
// a channel swap shows), with amplitude a.
func tone(rate, n int, a float64) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		x := float64(i) / float64(rate)
		out[i] = [2]float64{a * math.Sin(2*math.Pi*440*x), a * math.Sin(2*math.Pi*660*x+0.3)}
	}
	return out
}

func maxDiff(a, b [][2]float64) (float64, int) {
	d, at := 0.0, -1
	for i := range min(len(a), len(b)) {
		for c := range 2 {
			if x := math.Abs(a[i][c] - b[i][c]); x > d {
				d, at = x, i
			}
		}
	}
	return d, at
}
