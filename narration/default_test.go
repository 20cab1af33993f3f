package narration

import (
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"

	"routinecast/audio"
	"routinecast/audio/loudness"
	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/routines"
)

// builtinLines are the lines of every built-in routine in English (the
// embedded voice's language) at every level, and the phrases a track may add.
func builtinLines(t *testing.T) []string {
	t.Helper()
	var scripts []*routines.Script
	for _, name := range routines.BuiltinsIn("en") {
		scripts = append(scripts, routinetest.Scripts(t, name)...)
	}
	return append(Texts(Lines(scripts...)), MayAdd(scripts...)...)
}

// TestDefaultVoice checks the embedded voice: it covers every line of the
// built-in routines at every level and nothing else, is stored losslessly (16-bit
// FLAC at 22.05 kHz) within its 12 MB share of the program's 60 MB, and every clip
// decodes to speech-length audio at the voice loudness.
func TestDefaultVoice(t *testing.T) {
	v := Default()
	if v.Manifest.Engine.Name != "festival" || v.Manifest.Engine.Voice != "cmu_us_slt_arctic_hts" || v.Manifest.Clips.Format != "flac" || v.Manifest.Clips.SampleRate != 22050 {
		t.Errorf("embedded voice manifest %+v", v.Manifest)
	}
	lines := builtinLines(t)
	if missing := v.Missing(lines); len(missing) > 0 {
		t.Fatalf("the embedded voice lacks %d of %d lines, e.g. %q: regenerate it (see the package documentation)", len(missing), len(lines), missing[0])
	}
	if unused := v.Unused(lines); len(unused) > 0 {
		t.Errorf("the embedded voice holds %d clips no built-in line needs, e.g. %s: regenerate it with --prune", len(unused), unused[0])
	}
	var size int64
	fs.WalkDir(defaultFiles, ".", func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	if size > 12e6 {
		t.Errorf("the embedded voice takes %d bytes, over its 12 MB budget", size)
	}
	// At the clips' own rate: resampling is ClipSet's test, not this one's.
	const sr = 22050
	set := v.Clips(sr)
	var total float64
	for _, l := range lines {
		if name, _ := v.ClipFile(l); filepath.Ext(name) != ".flac" {
			t.Errorf("%q: clip %s is not FLAC", l, name)
		}
		s, err := set.Open(l)
		if err != nil {
			t.Fatal(err)
		}
		m := loudness.NewMeter(sr, 1)
		buf := make([][2]float64, s.Len())
		n, _ := s.Stream(buf)
		m.Write(buf[:n])
		if n != s.Len() {
			t.Errorf("%q: streamed %d of %d samples", l, n, s.Len())
		}
		d := float64(n) / sr
		total += d
		if d < 0.2 || d > 20 {
			t.Errorf("%q: clip lasts %.2f s", l, d)
		}
		if lu := m.Integrated(); math.Abs(lu-DefaultLoudness) > 1 {
			t.Errorf("%q: %.1f LUFS, want %.0f ± 1", l, lu, DefaultLoudness)
		}
	}
	t.Logf("%d clips, %.0f s of speech, %d bytes", len(lines), total, size)
}

// TestEmbeddedVoiceIsTheFreshRender: an independent check of the embedded
// voice's clarity beside the recogniser of bench/voice. Lines rendered now
// by the engine its manifest names, through the same steps, give the
// samples stored: the voice keeps every sample of what the engine said, up
// to the rounding of 16 bits, so it cannot be less clear than a fresh render.
func TestEmbeddedVoiceIsTheFreshRender(t *testing.T) {
	testtool.Require(t, "text2wave")
	embedded := Default()
	fresh, err := Create(filepath.Join(t.TempDir(), "fresh"), embedded.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	all := builtinLines(t)
	lines := []string{all[0], all[len(all)/2]}
	for _, l := range all {
		if len(l) > len(lines[1]) {
			lines[1] = l // the longest line
		}
	}
	if _, err := Render(context.Background(), fresh, lines, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		load := func(v *Voice) *audio.Clip {
			t.Helper()
			name, ok := v.ClipFile(l)
			if !ok {
				t.Fatalf("%q: no clip", l)
			}
			b, err := v.readClip(name)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := audio.LoadFile(p, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		want, got := load(fresh), load(embedded)
		if got.Len() != want.Len() {
			t.Errorf("%q: %d samples stored, %d rendered now", l, got.Len(), want.Len())
			continue
		}
		var signal, noise float64
		for i := range want.Samples {
			d := got.Samples[i][0] - want.Samples[i][0]
			signal += want.Samples[i][0] * want.Samples[i][0]
			noise += d * d
		}
		snr := 10 * math.Log10(signal/max(noise, 1e-30))
		t.Logf("%q: %d samples, stored vs fresh %.1f dB", l, got.Len(), snr)
		if snr < 60 {
			t.Errorf("%q: the stored clip is %.1f dB from a fresh render, want 60 dB or more", l, snr)
		}
	}
}
