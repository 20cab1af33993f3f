// Package packtest writes a small pack for the tests of package pack and of
// the pack commands: two short episodes (about 15 and 20 seconds) of a tiny
// routine, a cover, and a voice whose clips are made without any speech
// engine (mixertest's speech-like noise), so the tests render real MP3s
// quickly and need no external program.
package packtest

import (
	_ "embed"
	"os"
	"path/filepath"
	"testing"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/mixer/mixertest"
	"routinecast/narration"
	"routinecast/routines"
)

var (
	//go:embed testdata/tiny-pack.yaml
	packFile []byte
	//go:embed testdata/tiny.yaml
	routineFile []byte
	//go:embed testdata/cover.png
	coverFile []byte
)

// Files of the pack, as Write lays them out in its folder.
const (
	PackFile    = "tiny-pack.yaml"
	RoutineFile = "tiny.yaml"
	CoverFile   = "cover.png"
	VoiceDir    = "voice"
)

// PackYAML returns the pack file's source, to be edited by tests.
func PackYAML() []byte { return append([]byte(nil), packFile...) }

// Write lays the pack out in dir (the pack file, the routine, the cover and
// the voice with a clip for every line of the routine at every level) and
// returns the pack file's path. The files are the same bytes every time.
func Write(tb testing.TB, dir string) string {
	tb.Helper()
	for name, data := range map[string][]byte{PackFile: packFile, RoutineFile: routineFile, CoverFile: coverFile} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	r, err := routines.Parse(filepath.Join(dir, RoutineFile), routineFile)
	if err != nil {
		tb.Fatal(err)
	}
	WriteVoice(tb, filepath.Join(dir, VoiceDir), r)
	return filepath.Join(dir, PackFile)
}

// WriteVoice makes dir a recorded voice with a clip for every line the
// routines say at any level: deterministic speech-like noise as long as the
// line's words take to say, as 16-bit mono WAV at 22050 Hz.
func WriteVoice(tb testing.TB, dir string, rs ...*routines.Routine) {
	tb.Helper()
	v, err := narration.Create(dir, narration.Manifest{Name: "test", Language: "en", Engine: narration.EngineSpec{Name: narration.Recorded}})
	if err != nil {
		tb.Fatal(err)
	}
	var scripts []*routines.Script
	for _, r := range rs {
		scripts = append(scripts, routinetest.Levels(tb, r)...)
	}
	const sr = 22050
	clips := &mixertest.Clips{SampleRate: sr, PerWord: 250e6}
	for _, line := range narration.Texts(narration.Lines(scripts...)) {
		s, err := clips.Open(line)
		if err != nil {
			tb.Fatal(err)
		}
		testtool.WriteWAV(tb, filepath.Join(dir, v.FileName(line)), sr, 1, testtool.ReadAll(tb, s, 4096))
		s.Close()
	}
}
