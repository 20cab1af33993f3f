package loudness

import (
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/audio"
	"routinecast/internal/testtool"
)

// signals for the comparison with ffmpeg.
func testSignals(t *testing.T) []struct {
	name           string
	rate, channels int
	path           string
	idealTP        float64
} {
	rng := rand.New(rand.NewPCG(11, 12))
	noise := func(n int, level float64) [][2]float64 {
		s := make([][2]float64, n)
		for i := range s {
			s[i] = [2]float64{level * rng.NormFloat64(), level * rng.NormFloat64()}
		}
		return s
	}
	type sig = struct {
		name           string
		rate, channels int
		path           string
		idealTP        float64 // when ffmpeg's true peak is known to be off: the ideal, dBTP
	}
	var out []sig
	add := func(name string, rate, channels int, s [][2]float64) {
		out = append(out, sig{name, rate, channels, testtool.TempWAV(t, strings.ReplaceAll(name, " ", "_")+".wav", rate, channels, s), 0})
	}

	add("sine 1k -23 stereo 48k", 48000, 2, sineSegments(48000, 1000, segment{10, -23}))
	add("sine 997 -18 stereo 44.1k", 44100, 2, sineSegments(44100, 997, segment{10, -18}))
	add("EBU case 4 stereo 44.1k", 44100, 2, sineSegments(44100, 1000,
		segment{10, -72}, segment{10, -36}, segment{30, -23}, segment{10, -36}, segment{10, -72}))

	// Bursts: 0.5 s of tone, 1.5 s of low noise; gating drops the gaps.
	var bursts [][2]float64
	for range 10 {
		bursts = append(bursts, sineSegments(44100, 1500, segment{0.5, -12})...)
		bursts = append(bursts, noise(66150, 0.0003)...)
	}
	add("tone bursts with gaps 44.1k", 44100, 2, bursts)

	// Different content left and right.
	lr := sineSegments(48000, 440, segment{8, -16})
	nz := noise(len(lr), 0.03)
	for i := range lr {
		lr[i][1] = nz[i][1]
	}
	add("440 Hz left, noise right 48k", 48000, 2, lr)

	add("white noise -20 dBFS 44.1k", 44100, 2, noise(44100*8, 0.1))

	// High frequencies, where true peak differs from sample peak.
	hf := make([][2]float64, 44100*5)
	for i := range hf {
		x := float64(i) / 44100
		v := 0.45*math.Sin(2*math.Pi*11025*x+0.7) + 0.4*math.Sin(2*math.Pi*15000*x)
		hf[i] = [2]float64{v, v * 0.8}
	}
	add("11 and 15 kHz 44.1k", 44100, 2, hf)
	// ffmpeg reads this 0.4 dB above the band-limited signal's peak (its
	// resampler to 192 kHz lets images of the 15 kHz tone through, it
	// seems): compare with the ideal, computed over the left channel's
	// edges and a stretch of its steady part, as written to the file.
	left := make([]float64, len(hf))
	for i := range hf {
		left[i] = math.Max(-1, math.Min(math.Round(hf[i][0]*32768), 32767)/32768)
	}
	n := len(left)
	out[len(out)-1].idealTP = 20 * math.Log10(max(refTruePeakIn(left, 0, 300),
		refTruePeakIn(left, 20000, 30000), refTruePeakIn(left, n-300, n)))

	// A square wave (odd harmonics up to Nyquist): strong overshoot.
	sq := make([][2]float64, 48000*4)
	for i := range sq {
		v := 0.5
		if (i/40)%2 == 1 {
			v = -0.5
		}
		sq[i] = [2]float64{v, v}
	}
	add("square 600 Hz 48k", 48000, 2, sq)

	add("mono tone and noise 16k", 16000, 1, func() [][2]float64 {
		s := sineSegments(16000, 300, segment{6, -15})
		n := noise(len(s), 0.01)
		for i := range s {
			v := s[i][0] + n[i][0]
			s[i] = [2]float64{v, v}
		}
		return s
	}())
	add("stereo 32k", 32000, 2, sineSegments(32000, 2500, segment{3, -30}, segment{3, -10}, segment{3, -40}))
	add("stereo 96k", 96000, 2, sineSegments(96000, 6000, segment{4, -20}))

	if espeak, err := exec.LookPath("espeak-ng"); err == nil {
		path := filepath.Join(t.TempDir(), "speech.wav")
		text := "Lie on your back with both knees bent. Slowly pull your right knee to your chest, hold for thirty seconds, then switch sides. Breathe in, and breathe out."
		testtool.Output(t, espeak, "-w", path, text)
		out = append(out, sig{"speech espeak-ng 22.05k mono", 22050, 1, path, 0})
		// The same speech, at 48 kHz stereo, quieter.
		c, err := audio.LoadFile(path, 48000, 2)
		if err != nil {
			t.Fatal(err)
		}
		c.Gain(-6)
		add("speech 48k stereo -6 dB", 48000, 2, c.Samples)
	} else if testtool.Required() {
		t.Fatal("espeak-ng is not installed, and ROUTINECAST_REQUIRE_TOOLS=1 requires it")
	} else {
		t.Log("espeak-ng is not installed: no speech signal")
	}
	return out
}

// TestAgainstFFmpeg measures the same files with the Meter and with
// ffmpeg's ebur128 filter: integrated loudness within 0.1 LU, true peak
// within 0.2 dB, sample peak within ffmpeg's rounding.
func TestAgainstFFmpeg(t *testing.T) {
	testtool.Require(t, "ffmpeg")
	for _, sig := range testSignals(t) {
		t.Run(sig.name, func(t *testing.T) {
			s, format, err := audio.Open(sig.path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if format.NumChannels != sig.channels || int(format.SampleRate) != sig.rate {
				t.Fatalf("format %+v", format)
			}
			got, err := Measure(s, sig.rate, sig.channels)
			if err != nil {
				t.Fatal(err)
			}
			want := testtool.FFmpegLoudness(t, sig.path, 0)
			dI := got.Integrated - want.Integrated
			dTP := got.TruePeak - want.TruePeak
			dSP := got.SamplePeak - want.SamplePeak
			t.Logf("I %.3f LUFS (ffmpeg %.3f, Δ %+.3f)  TP %.3f dBTP (ffmpeg %.3f, Δ %+.3f)  SP %.3f dBFS (ffmpeg %.3f, Δ %+.3f)",
				got.Integrated, want.Integrated, dI, got.TruePeak, want.TruePeak, dTP, got.SamplePeak, want.SamplePeak, dSP)
			if math.Abs(dI) > 0.1 {
				t.Errorf("integrated %.3f LUFS, ffmpeg %.3f", got.Integrated, want.Integrated)
			}
			if sig.idealTP != 0 {
				t.Logf("ideal true peak %.3f dBTP: meter %+.3f, ffmpeg %+.3f", sig.idealTP, got.TruePeak-sig.idealTP, want.TruePeak-sig.idealTP)
				if math.Abs(got.TruePeak-sig.idealTP) > 0.2 {
					t.Errorf("true peak %.3f dBTP, ideal %.3f", got.TruePeak, sig.idealTP)
				}
			} else if math.Abs(dTP) > 0.2 {
				t.Errorf("true peak %.3f dBTP, ffmpeg %.3f", got.TruePeak, want.TruePeak)
			}
			if math.Abs(dSP) > 0.051 {
				t.Errorf("sample peak %.3f dBFS, ffmpeg %.3f", got.SamplePeak, want.SamplePeak)
			}
		})
	}
}
