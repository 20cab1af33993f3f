package mp3

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

// s16 reads interleaved 16-bit samples of nch channels.
func s16(b []byte, nch int) [][2]float64 {
	out := make([][2]float64, len(b)/(2*nch))
	for i := range out {
		for c := 0; c < nch; c++ {
			v := float64(int16(binary.LittleEndian.Uint16(b[2*(i*nch+c):]))) / 32768
			out[i][c] = v
		}
	}
	return out
}

// writeCase encodes in as the round-trip case c asks, into dir.
func writeCase(t *testing.T, dir string, c rtCase, in [][2]float64) string {
	t.Helper()
	path := filepath.Join(dir, c.name()+".mp3")
	if err := os.WriteFile(path, encodeToMem(t, in, Options{SampleRate: c.rate, Bitrate: c.kbps, Mode: c.mode}, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkDecoded checks a tool's 16-bit decoding of a round-trip case: the
// tool ran without a word on stderr and gave back exactly the input's
// samples (its delay and padding trimmed), aligned, at the case's SNR.
func checkDecoded(t *testing.T, tool string, c rtCase, in [][2]float64, pcm, stderr []byte, err error) {
	t.Helper()
	if err != nil || len(stderr) > 0 {
		t.Fatalf("%s: %v\n%s", tool, err, stderr)
	}
	dec := s16(pcm, c.channels())
	if len(dec) != len(in) {
		t.Errorf("%s decoded %d samples, want %d", tool, len(dec), len(in))
	}
	if s := snr(in, dec, 0, c.channels()); s < c.minSNR() {
		t.Errorf("SNR %.1f dB after %s's trim, want >= %.1f", s, tool, c.minSNR())
	}
}

// TestFFmpeg decodes every round-trip case with ffmpeg's strictest error
// detection, which must print nothing, and checks that ffmpeg trims the
// delay and padding to give back exactly the input's samples, aligned.
func TestFFmpeg(t *testing.T) {
	ffmpeg := testtool.Require(t, "ffmpeg")
	ffprobe := testtool.Require(t, "ffprobe")
	dir := t.TempDir()
	probed := map[int]bool{}
	for _, c := range roundTripCases() {
		t.Run(c.name(), func(t *testing.T) {
			in := testSignal(c.rate, c.rate, 11)
			path := writeCase(t, dir, c, in)
			pcm, stderr, err := testtool.Run(t, ffmpeg, "-nostdin", "-v", "warning", "-err_detect", "crccheck+bitstream+buffer+explode",
				"-i", path, "-f", "s16le", "-")
			checkDecoded(t, "ffmpeg", c, in, pcm, stderr, err)
			// ffprobe's duration is the Info frame's count of whole frames, as
			// for LAME's files: the input plus the codec delay, rounded up to
			// a frame; its start time is the delay it trims (1057 samples).
			// What plays, duration - start time, is within one frame of the
			// input. Once per rate: ffprobe is slow to start.
			if probed[c.rate] {
				return
			}
			probed[c.rate] = true
			out, stderr, err := testtool.Run(t, ffprobe, "-v", "error", "-show_entries", "format=duration,start_time", "-of", "csv=p=0", path)
			if err != nil || len(stderr) > 0 {
				t.Fatalf("ffprobe: %v\n%s", err, stderr)
			}
			f := strings.Split(strings.TrimSpace(string(out)), ",")
			if len(f) != 2 {
				t.Fatalf("ffprobe printed %q", out)
			}
			start, err1 := strconv.ParseFloat(f[0], 64)
			d, err2 := strconv.ParseFloat(f[1], 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("ffprobe printed %q", out)
			}
			spf := frameSamples(c.rate)
			want := float64((len(in)+codecDelay+spf-1)/spf*spf) / float64(c.rate)
			if d < want-0.0005 || d > want+0.0005 {
				t.Errorf("ffprobe duration %.6f s, want %.6f", d, want)
			}
			if w := float64(codecDelay) / float64(c.rate); start < w-0.0005 || start > w+0.0005 {
				t.Errorf("ffprobe start time %.6f s, want %.6f", start, w)
			}
			input := float64(len(in)) / float64(c.rate)
			if played := d - start; played < input-0.0005 || played > input+float64(spf)/float64(c.rate) {
				t.Errorf("ffprobe plays %.6f s of a %.6f s input", played, input)
			}
		})
	}
}

// complains reports whether mpg123's messages hold a warning or an error
// besides its banner and progress lines.
func complains(stderr []byte) bool {
	s := strings.ToLower(string(stderr))
	for _, w := range []string{"warn", "error", "illegal", "note:", "resync", "bad", "fail"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// TestMpg123 checks every round-trip case with mpg123's test mode, which
// must report nothing, and that mpg123's gapless decoding gives back the
// input's length.
func TestMpg123(t *testing.T) {
	mpg123 := testtool.Require(t, "mpg123")
	dir := t.TempDir()
	for _, c := range roundTripCases() {
		t.Run(c.name(), func(t *testing.T) {
			in := testSignal(c.rate, c.rate, 12)
			path := writeCase(t, dir, c, in)
			// Not -q: it silences warnings too.
			_, stderr, err := testtool.Run(t, mpg123, "-t", path)
			if err != nil || complains(stderr) {
				t.Fatalf("mpg123 -t: %v\n%s", err, stderr)
			}
			pcm, stderr, err := testtool.Run(t, mpg123, "-q", "-s", path)
			checkDecoded(t, "mpg123 -s", c, in, pcm, stderr, err)
		})
	}
}
