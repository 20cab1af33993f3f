package narration

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

func TestFinishClip(t *testing.T) {
	tests := []struct {
		name       string
		format     ClipFormat
		wantRate   int
		toneLength float64
		loops      int
	}{
		{"wav at the source rate", ClipFormat{}, 16000, 1.5, 0},
		{"wav at 44.1 kHz, -16 LUFS", ClipFormat{SampleRate: 44100, Loudness: -16}, 44100, 1.5, 0},
		{"flac at 22.05 kHz", ClipFormat{Format: "flac", SampleRate: 22050}, 22050, 1.5, 0},
		{"mp3 at 24 kHz, 40 kbit/s", ClipFormat{Format: "mp3"}, 24000, 1.5, 0},
		{"mp3 at 16 kHz, 32 kbit/s", ClipFormat{Format: "mp3", SampleRate: 16000, Bitrate: 32}, 16000, 1.5, 0},
		{"shorter than a gating block", ClipFormat{}, 16000, 0.25, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "in.wav")
			if err := writeTestWAV(src, 16000, toneBurst(16000, 0.4, tc.toneLength, 0.5, 0.05)); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(dir, "out"+tc.format.ext())
			if err := finishClip(src, dst, tc.format); err != nil {
				t.Fatal(err)
			}
			c, err := decodeFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			if int(c.Rate) != tc.wantRate {
				t.Errorf("stored at %d Hz, want %d", c.Rate, tc.wantRate)
			}
			// Trimmed to the tone, give or take the margin kept and one
			// 10 ms detection window at each end.
			got := c.Duration().Seconds()
			lo, hi := tc.toneLength, tc.toneLength+2*(trimMargin.Seconds()+0.010)
			if strings.HasPrefix(tc.format.resolved().Format, "mp3") {
				lo -= 0.005 // a decoder's first samples after the encoder delay are faint
			}
			if got < lo || got > hi {
				t.Errorf("clip lasts %.3f s, want %.3f to %.3f s (the tone plus margins)", got, lo, hi)
			}
			target := tc.format.resolved().Loudness
			if l := testtool.FFmpegLoudness(t, dst, tc.loops).Integrated; math.Abs(l-target) > 0.5 {
				t.Errorf("ffmpeg measures %.1f LUFS, want %.1f ± 0.5", l, target)
			}
		})
	}
}

func TestNormalizeHoldsPeak(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in.wav")
	// A click train: very peaky, so -20 LUFS would need far more than the
	// 1 dB of headroom it has.
	s := make([][2]float64, 16000)
	for i := 0; i < len(s); i += 800 {
		for k := range 20 {
			s[i+k] = [2]float64{0.1, 0.1}
		}
	}
	if err := writeTestWAV(src, 16000, s); err != nil {
		t.Fatal(err)
	}
	c, err := decodeFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := normalize(c, -6); err != nil {
		t.Fatal(err)
	}
	var peak float64
	for _, v := range c.Samples {
		peak = max(peak, math.Abs(v[0]))
	}
	if db := 20 * math.Log10(peak); db > peakCeiling+0.01 || db < peakCeiling-0.1 {
		t.Errorf("peak at %.2f dBFS after normalizing, want %.1f", db, peakCeiling)
	}
}

// TestRenderedSpeechIsEven renders one line with each installed engine and
// checks every clip is speech at the voice loudness.
func TestRenderedSpeechIsEven(t *testing.T) {
	tests := []struct {
		program string
		spec    EngineSpec
	}{
		{"text2wave", EngineSpec{Name: "festival"}},
		{"flite", EngineSpec{Name: "flite", Voice: "kal16"}},
		{"espeak-ng", EngineSpec{Name: "espeak-ng"}},
	}
	for _, tc := range tests {
		t.Run(tc.spec.Name, func(t *testing.T) {
			testtool.Require(t, tc.program)
			v, err := Create(filepath.Join(t.TempDir(), "v"), Manifest{Language: "en", Engine: tc.spec})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Render(context.Background(), v, []string{testLine}, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			name, _ := v.ClipFile(testLine)
			c, err := decodeFile(filepath.Join(v.Dir(), name))
			if err != nil {
				t.Fatal(err)
			}
			checkSpeech(t, c.Samples, c.Rate, len(strings.Fields(testLine)))
			if l := testtool.FFmpegLoudness(t, filepath.Join(v.Dir(), name), 0).Integrated; math.Abs(l-DefaultLoudness) > 0.5 {
				t.Errorf("ffmpeg measures %.1f LUFS, want %.1f ± 0.5", l, DefaultLoudness)
			}
		})
	}
}
