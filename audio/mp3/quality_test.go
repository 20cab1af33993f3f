package mp3

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"routinecast/internal/testtool"
)

// TestQualityVsLAME encodes the same signals with LAME 3.100 and with this
// encoder at 64 kbps mono and 128 kbps joint stereo, decodes both with
// ffmpeg (which trims both encoders' delay and padding) and requires this
// encoder's SNR to be at most 3 dB under LAME's. The signals are synthetic
// (chords, beeps, noise bursts) and, when flite is installed, speech with
// beeps; bench/mp3/run.sh measures music too.
func TestQualityVsLAME(t *testing.T) {
	lame := testtool.Require(t, "lame")
	ffmpeg := testtool.Require(t, "ffmpeg")
	dir := t.TempDir()
	const rate = 44100
	signals := map[string][][2]float64{"synthetic": testSignal(4*rate, rate, 21)}
	flite, err := exec.LookPath("flite")
	switch {
	case err != nil && testtool.Required():
		t.Fatal("flite is not installed, and ROUTINECAST_REQUIRE_TOOLS=1 requires it")
	case err != nil:
		t.Log("flite is not installed: speech skipped, synthetic signals only")
	default:
		wav := filepath.Join(dir, "tts.wav")
		if _, stderr, err := testtool.Run(t, flite, "-voice", "kal16", "-t",
			"Lie on your back, pull one knee to your chest and hold for twenty seconds. Breathe in, and breathe out.",
			"-o", wav); err != nil {
			t.Fatalf("flite: %v\n%s", err, stderr)
		}
		out, stderr, err := testtool.Run(t, ffmpeg, "-nostdin", "-v", "error", "-i", wav, "-ar", "44100", "-ac", "1", "-f", "s16le", "-")
		if err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, stderr)
		}
		speech := s16(out, 1)
		for i := range speech {
			v := 0.8 * speech[i][0]
			if i%(2*rate) < rate/8 { // a beep every two seconds
				v = 0.6*v + 0.35*sine(1000, i, rate)
			}
			speech[i] = [2]float64{v, v}
		}
		signals["speech"] = speech
	}
	for name, in := range signals {
		for _, c := range []struct {
			kbps int
			mode Mode
			lame string
		}{{64, Mono, "m"}, {128, JointStereo, "j"}} {
			t.Run(name+"-"+c.mode.String(), func(t *testing.T) {
				nch := 2
				if c.mode == Mono {
					nch = 1
				}
				// LAME reads raw 16-bit PCM (one channel in mono mode); ours
				// gets the same samples.
				pcm := make([]byte, 0, 4*len(in))
				q := make([][2]float64, len(in))
				for i, s := range in {
					if nch == 1 {
						s[0] = (s[0] + s[1]) / 2
						s[1] = s[0]
					}
					for ch := 0; ch < 2; ch++ {
						v := int16(max(-32768, min(32767, s[ch]*32768)))
						if ch < nch {
							pcm = append(pcm, byte(v), byte(uint16(v)>>8))
						}
						q[i][ch] = float64(v) / 32768
					}
				}
				raw := filepath.Join(dir, "in.raw")
				if err := os.WriteFile(raw, pcm, 0o644); err != nil {
					t.Fatal(err)
				}
				lameOut := filepath.Join(dir, "lame.mp3")
				if _, stderr, err := testtool.Run(t, lame, "--silent", "-r", "-s", "44.1", "--bitwidth", "16", "--signed", "--little-endian",
					"-b", itoa(c.kbps), "-m", c.lame, raw, lameOut); err != nil {
					t.Fatalf("lame: %v\n%s", err, stderr)
				}
				ours := filepath.Join(dir, "ours.mp3")
				if err := os.WriteFile(ours, encodeToMem(t, q, Options{SampleRate: rate, Bitrate: c.kbps, Mode: c.mode}, 4096), 0o644); err != nil {
					t.Fatal(err)
				}
				var snrs [2]float64
				for i, f := range []string{lameOut, ours} {
					out, stderr, err := testtool.Run(t, ffmpeg, "-nostdin", "-v", "error", "-i", f, "-f", "s16le", "-")
					if err != nil {
						t.Fatalf("ffmpeg %s: %v\n%s", f, err, stderr)
					}
					snrs[i] = snr(q, s16(out, nch), 0, nch)
				}
				t.Logf("SNR LAME %.2f dB, ours %.2f dB", snrs[0], snrs[1])
				if snrs[1] < snrs[0]-3 {
					t.Errorf("SNR %.2f dB, more than 3 dB under LAME's %.2f dB", snrs[1], snrs[0])
				}
			})
		}
	}
}
