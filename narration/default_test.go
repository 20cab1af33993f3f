package narration

import (
	"io/fs"
	"math"
	"testing"

	"routinecast/audio/loudness"
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
// built-in routines at every level and nothing else, fits the 3 MB size budget,
// and every clip decodes to speech-length audio at the voice loudness.
func TestDefaultVoice(t *testing.T) {
	v := Default()
	if v.Manifest.Engine.Name != "festival" || v.Manifest.Engine.Voice != "cmu_us_slt_arctic_hts" || v.Manifest.Clips.Format != "mp3" {
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
	if size > 3<<20 {
		t.Errorf("the embedded voice takes %d bytes, over the 3 MB budget", size)
	}
	// At the clips' own rate: resampling is ClipSet's test, not this one's.
	const sr = 24000
	set := v.Clips(sr)
	var total float64
	for _, l := range lines {
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
