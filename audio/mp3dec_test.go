package audio

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"routinecast/internal/testtool"
)

// TestMP3MatchesFFmpeg encodes tones with LAME (and ffmpeg's libmp3lame) in
// several modes and checks that our decode has exactly ffmpeg's length and
// its samples, to within the decoders' rounding.
func TestMP3MatchesFFmpeg(t *testing.T) {
	lame := testtool.Require(t, "lame")
	ff := testtool.Require(t, "ffmpeg")
	cases := []struct {
		name     string
		rate     int
		channels int
		samples  int
		encode   func(in, out string)
	}{
		{"cbr128 stereo 1s", 44100, 2, 44100, func(in, out string) { testtool.Output(t, lame, "--quiet", "-b", "128", in, out) }},
		{"vbr stereo odd length", 44100, 2, 31337, func(in, out string) { testtool.Output(t, lame, "--quiet", "-V", "2", in, out) }},
		{"cbr32 mono", 44100, 1, 20000, func(in, out string) {
			testtool.Output(t, lame, "--quiet", "-m", "m", "-b", "32", "--resample", "44.1", in, out)
		}},
		// 22.05 kHz at 32 kbit/s pads frames in the way go-mp3 sizes wrong.
		{"mpeg2 22050 mono 32k", 22050, 1, 15000, func(in, out string) { testtool.Output(t, lame, "--quiet", "-b", "32", in, out) }},
		{"mpeg2 22050 stereo 96k", 22050, 2, 15000, func(in, out string) { testtool.Output(t, lame, "--quiet", "-b", "96", in, out) }},
		{"mpeg2 24k mono", 24000, 1, 24000, func(in, out string) { testtool.Output(t, lame, "--quiet", "-b", "48", in, out) }},
		{"mpeg2 16k 8kbps", 16000, 1, 16000, func(in, out string) {
			testtool.Output(t, lame, "--quiet", "-b", "8", "--resample", "16", in, out)
		}},
		{"crc", 44100, 2, 20000, func(in, out string) { testtool.Output(t, lame, "--quiet", "-p", "-b", "112", in, out) }},
		{"48k stereo", 48000, 2, 48000, func(in, out string) { testtool.Output(t, lame, "--quiet", "-b", "192", in, out) }},
		{"no info tag", 44100, 2, 30000, func(in, out string) { testtool.Output(t, lame, "--quiet", "-t", "-b", "128", in, out) }},
		{"no info tag, ID3v1 at the end", 44100, 2, 30000, func(in, out string) {
			testtool.Output(t, lame, "--quiet", "-t", "--id3v1-only", "--tt", "A title \xff\xfb", "-b", "128", in, out)
		}},
		{"ID3v2 at the start", 44100, 1, 30000, func(in, out string) {
			testtool.Output(t, lame, "--quiet", "--id3v2-only", "--tt", "A title", "--tc", "a comment", "-b", "64", in, out)
		}},
		{"tiny", 44100, 1, 100, func(in, out string) { testtool.Output(t, lame, "--quiet", "-b", "64", in, out) }},
		{"ffmpeg libmp3lame", 44100, 2, 44100, func(in, out string) {
			testtool.Output(t, ff, "-nostdin", "-v", "error", "-i", in, "-c:a", "libmp3lame", "-b:a", "96k", out)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := tone(tc.rate, tc.samples, 0.5)
			in := testtool.TempWAV(t, "in.wav", tc.rate, tc.channels, src)
			out := filepath.Join(t.TempDir(), "out.mp3")
			tc.encode(in, out)

			s, format, err := Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if int(format.SampleRate) != tc.rate || format.NumChannels != tc.channels {
				t.Errorf("format = %+v, want %d Hz, %d channels", format, tc.rate, tc.channels)
			}
			got := testtool.ReadAll(t, s, 1000)
			want := testtool.FFmpegDecode(t, out, tc.channels)
			if len(got) != len(want) || s.Len() != len(want) {
				t.Fatalf("decoded %d samples (Len %d), ffmpeg %d", len(got), s.Len(), len(want))
			}
			d, at := maxDiff(got, want)
			t.Logf("%d samples, max difference from ffmpeg %.2g at %d", len(got), d, at)
			if d > 1e-4 { // go-mp3 rounds to 16 bits, ffmpeg does not
				t.Errorf("max difference from ffmpeg %.3g at sample %d", d, at)
			}
		})
	}
}

// TestMP3Seek checks that after a seek the samples equal those of a straight
// decode, bit for bit, including low bitrates whose bit reservoir reaches
// back over many frames.
func TestMP3Seek(t *testing.T) {
	lame := testtool.Require(t, "lame")
	for _, tc := range []struct {
		name           string
		rate, channels int
		args           []string
	}{
		{"cbr128", 44100, 2, []string{"-b", "128"}},
		{"vbr", 44100, 2, []string{"-V", "5"}},
		{"mpeg1 32k mono", 32000, 1, []string{"-b", "32"}},
		{"mpeg2 8k", 16000, 1, []string{"-b", "8", "--resample", "16"}},
		{"mpeg2 22050 32k", 22050, 1, []string{"-b", "32"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := testtool.TempWAV(t, "in.wav", tc.rate, tc.channels, noisyTone(tc.rate, 3*tc.rate))
			out := filepath.Join(t.TempDir(), "out.mp3")
			testtool.Output(t, lame, append(append([]string{"--quiet"}, tc.args...), in, out)...)
			s, _, err := Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			all := testtool.ReadAll(t, s, 1000)
			rng := rand.New(rand.NewPCG(1, 2))
			targets := []int{0, 1, 1151, 1152, 5000, len(all) - 1, len(all)}
			for range 12 {
				targets = append(targets, rng.IntN(len(all)))
			}
			for _, p := range targets {
				if err := s.Seek(p); err != nil {
					t.Fatalf("Seek(%d): %v", p, err)
				}
				if s.Position() != p {
					t.Fatalf("Position() = %d after Seek(%d)", s.Position(), p)
				}
				buf := make([][2]float64, 3000)
				n, _ := s.Stream(buf)
				if want := min(len(buf), len(all)-p); n != want {
					t.Fatalf("after Seek(%d): %d samples, want %d", p, n, want)
				}
				for i := range n {
					if buf[i] != all[p+i] {
						t.Fatalf("after Seek(%d): sample %d = %v, straight decode %v", p, p+i, buf[i], all[p+i])
					}
				}
			}
		})
	}
}

// noisyTone is a tone with noise, which makes LAME use its bit reservoir.
func noisyTone(rate, n int) [][2]float64 {
	rng := rand.New(rand.NewPCG(3, 4))
	out := tone(rate, n, 0.3)
	for i := range out {
		out[i][0] += 0.2 * (rng.Float64() - 0.5)
		out[i][1] += 0.2 * (rng.Float64() - 0.5)
	}
	return out
}

func TestMP3MPEG25Unsupported(t *testing.T) {
	lame := testtool.Require(t, "lame")
	in := testtool.TempWAV(t, "in.wav", 11025, 1, tone(11025, 11025, 0.5))
	out := filepath.Join(t.TempDir(), "out.mp3")
	testtool.Output(t, lame, "--quiet", "-b", "16", in, out)
	_, _, err := Open(out)
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Open(MPEG-2.5 file) = %v, want ErrUnsupported", err)
	}
	t.Log(err)
}
