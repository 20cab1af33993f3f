package mixer

import (
	"bufio"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"routinecast/audio"
	"routinecast/internal/testtool"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

// writeWAV renders a timeline into a 16-bit WAV file and returns the largest
// sample magnitude written.
func writeWAV(t *testing.T, tl *Timeline, clips Clips, ro RenderOptions, path string) float64 {
	t.Helper()
	r, err := Render(tl, clips, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc, err := audio.NewWAVEncoder(w, audio.EncodeOptions{SampleRate: tl.SampleRate, Channels: tl.Channels, Length: tl.Length, Dither: true})
	if err != nil {
		t.Fatal(err)
	}
	peak := 0.0
	buf := make([][2]float64, 4096)
	for {
		n, ok := r.Stream(buf)
		for _, v := range buf[:n] {
			peak = max(peak, math.Abs(v[0]), math.Abs(v[1]))
		}
		if err := enc.Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return peak
}

// TestNormalizeAgainstFFmpeg normalises tracks of very different levels and
// checks the result with ffmpeg's BS.1770 meter: -16 LUFS within 0.5 LU, true
// peak at or under -1 dBTP, no clipping, and ffmpeg agreeing with our meter
// within 0.3 LU and 0.3 dB.
func TestNormalizeAgainstFFmpeg(t *testing.T) {
	testtool.Require(t, "ffmpeg")
	tests := []struct {
		name  string
		s     func(t testing.TB) *routines.Script
		clips *mixertest.Clips
		o     Options
		long  bool
	}{
		{"speech-like voice", func(testing.TB) *routines.Script { return mixed() }, fake(), Options{}, false},
		{"very quiet voice", func(testing.TB) *routines.Script { return mixed() }, &mixertest.Clips{SampleRate: sr, Level: 0.003}, Options{}, false},
		{"voice near full scale", func(testing.TB) *routines.Script { return mixed() }, &mixertest.Clips{SampleRate: sr, Level: 0.6}, Options{}, false},
		{"mono 48 kHz with a music bed", func(testing.TB) *routines.Script { return mixed() }, &mixertest.Clips{SampleRate: 48000},
			Options{SampleRate: 48000, Channels: 1, Music: MusicOptions{Source: sineMusic{22050, 330, 22050 * 2, nil}}}, false},
		{"target -19 LUFS, -2 dBTP", func(testing.TB) *routines.Script { return mixed() }, fake(),
			Options{Loudness: LoudnessOptions{Target: -19, MaxTruePeak: -2}}, false},
		{"lower-back standard", func(t testing.TB) *routines.Script { return lowerBack(t, routines.Standard) }, fake(), Options{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("a 30-minute track; skipped with -short")
			}
			tl := compile(t, tc.s(t), tc.clips, tc.o)
			target, maxTP := tl.Options.Loudness.Target, tl.Options.Loudness.MaxTruePeak
			n, err := Normalize(tl, tc.clips)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("before %.2f LUFS / %.2f dBTP; gain %+.2f dB, ceiling %.2f dBTP, %d passes, %d limited blocks: %.2f LUFS, %.2f dBTP",
				n.Before, n.BeforePeak, n.Gain, n.Ceiling, n.Passes, n.LimitedBlocks, n.Integrated, n.TruePeak)
			if math.Abs(n.Integrated-target) > 0.5 || n.TruePeak > maxTP {
				t.Errorf("normalised to %.2f LUFS, %.2f dBTP; want %.0f±0.5 and at most %.0f", n.Integrated, n.TruePeak, target, maxTP)
			}
			path := filepath.Join(t.TempDir(), "track.wav")
			peak := writeWAV(t, tl, tc.clips, n.RenderOptions(), path)
			if peak >= 1 {
				t.Errorf("sample peak %.3f: clipping", peak)
			}
			ff := testtool.FFmpegLoudness(t, path, 0)
			lufs, tp := ff.Integrated, ff.TruePeak
			t.Logf("ffmpeg ebur128: %.1f LUFS, true peak %.1f dBTP", lufs, tp)
			if math.Abs(lufs-n.Integrated) > 0.3 || math.Abs(tp-n.TruePeak) > 0.3 {
				t.Errorf("ffmpeg measures %.1f LUFS and %.1f dBTP, we %.2f and %.2f: more than 0.3 apart", lufs, tp, n.Integrated, n.TruePeak)
			}
			if math.Abs(lufs-target) > 0.5 || tp > maxTP {
				t.Errorf("ffmpeg measures %.1f LUFS and %.1f dBTP; want %.0f±0.5 and at most %.0f", lufs, tp, target, maxTP)
			}
		})
	}
}

func TestNormalizeSilent(t *testing.T) {
	silent := &mixertest.Clips{SampleRate: sr, Level: 1e-9}
	tl := compile(t, script(say("Shh."), rest(time.Second)), silent, Options{Countdown: CountdownOptions{Count: -1}})
	if _, err := Normalize(tl, silent); err == nil {
		t.Fatal("no error for a silent track")
	}
	c := fake()
	tl = compile(t, script(say("A."), hold(2*time.Second)), c, Options{})
	tl.Options.Loudness.Target = -10
	tl.Events = nil // nothing but silence now
	tl.Lines = nil
	_, err := Normalize(tl, c)
	if err == nil || errors.Is(err, ErrLoudness) {
		t.Fatalf("error %v, want the silent-track error", err)
	}
}
