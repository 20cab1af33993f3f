package main

import (
	"path/filepath"
	"testing"

	"routinecast/audio"
	"routinecast/audio/loudness"
)

// TestExportWithBuiltInBed exports lower-back over the calm bed, made by the
// program (no file, no tool), and measures the MP3 as a player decodes it:
// -16 LUFS, true peak at or under -1 dBTP, stereo.
func TestExportWithBuiltInBed(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a whole routine")
	}
	dir := t.TempDir()
	r := runIn(t, dir, "", "export", "lower-back", "--level", "gentle", "--music", "calm", "-o", "x.mp3")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	s, f, err := audio.Open(filepath.Join(dir, "x.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := loudness.Measure(s, int(f.SampleRate), f.NumChannels)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("export --music calm: %.2f LUFS, true peak %.2f dBTP, %d channels, took %v", res.Integrated, res.TruePeak, f.NumChannels, r.took)
	if res.Integrated < -16.5 || res.Integrated > -15.5 || res.TruePeak > -1 || f.NumChannels != 2 {
		t.Errorf("%.2f LUFS, true peak %.2f dBTP, %d channels; want -16 LUFS, at most -1 dBTP, stereo", res.Integrated, res.TruePeak, f.NumChannels)
	}
	// A file named like a bed is still a file when given as a path.
	r = runIn(t, dir, "", "export", "lower-back", "--music", "./calm", "-o", "y.mp3")
	if r.code != 2 {
		t.Errorf("--music ./calm with no such file: exit %d, want 2: %s", r.code, r.stderr)
	}
}
