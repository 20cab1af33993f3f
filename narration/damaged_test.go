package narration

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/audio"
	"routinecast/routines"
)

// TestDamagedClipsAreRenderedAgain: a rendered clip cut short and one
// overwritten with text are reported by voice check, and voice render
// removes and renders them again, saying so in one line each; then every
// line has a clip that decodes.
func TestDamagedClipsAreRenderedAgain(t *testing.T) {
	t.Setenv(PCMCacheEnv, t.TempDir())
	v := fakeVoice(t, "speak", ClipFormat{})
	tasks, out, log := testTasks(t, "")
	if err := tasks.RenderVoice(context.Background(), renderTask(v.Dir(), false)); err != nil {
		t.Fatal(err)
	}
	check := CheckTask{Routines: []string{"shoulders.yaml"}, Levels: []routines.Level{routines.Gentle}, Voice: v.Dir()}
	out.Reset()
	if err := tasks.CheckVoice(check); err != nil {
		t.Fatalf("a fresh voice: %v\n%s", err, out)
	}

	clips := folderFiles(t, v.Dir())
	if len(clips) < 2 {
		t.Fatalf("%d clips rendered", len(clips))
	}
	cut, garbage := filepath.Join(v.Dir(), clips[0]), filepath.Join(v.Dir(), clips[1])
	whole, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(garbage, []byte("this is not audio, but it is long enough to be sniffed as something"), 0o644); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	err = tasks.CheckVoice(check)
	if err == nil || !strings.Contains(err.Error(), "2 clips do not decode") || !strings.Contains(err.Error(), "voice render") {
		t.Errorf("voice check over damaged clips: %v", err)
	}
	for _, name := range []string{clips[0], clips[1]} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("voice check does not name %s:\n%s", name, out)
		}
	}

	out.Reset()
	log.Reset()
	if err := tasks.RenderVoice(context.Background(), renderTask(v.Dir(), false)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rendering 2 missing clips") {
		t.Errorf("voice render:\n%s", out)
	}
	for _, p := range []string{cut, garbage} {
		if !strings.Contains(log.String(), "note: clip "+p+" does not decode") {
			t.Errorf("no notice for %s:\n%s", p, log)
		}
	}
	if n := strings.Count(log.String(), "note: "); n != 2 {
		t.Errorf("%d notices, want 2:\n%s", n, log)
	}
	again, err := os.ReadFile(cut)
	if err != nil || !bytes.Equal(again, whole) {
		t.Errorf("the clip cut short was not rendered again whole (%d bytes, was %d): %v", len(again), len(whole), err)
	}
	out.Reset()
	if err := tasks.CheckVoice(check); err != nil || !strings.Contains(out.String(), "every line has a clip") {
		t.Errorf("after render: %v\n%s", err, out)
	}
}

// TestDamagedFLACClips: in a voice of FLAC clips, a clip cut short and one
// whose frames are overwritten are each an error naming the file (never a
// panic), for Damaged and for the mixer's Open; a whole one plays.
func TestDamagedFLACClips(t *testing.T) {
	t.Setenv(PCMCacheEnv, "off")
	v, err := Create(filepath.Join(t.TempDir(), "v"), Manifest{Name: "f", Language: "en", Engine: EngineSpec{Name: Recorded}, Clips: ClipFormat{Format: "flac", SampleRate: 22050}})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{"Whole.", "Cut short.", "Overwritten."}
	var whole []byte
	for _, l := range lines {
		var b bytes.Buffer
		e, err := audio.NewFLACEncoder(&b, audio.EncodeOptions{SampleRate: 22050, Channels: 1, Length: 22050})
		if err != nil {
			t.Fatal(err)
		}
		s := make([][2]float64, 22050)
		for i := range s {
			x := 0.3 * math.Sin(2*math.Pi*220*float64(i)/22050)
			s[i] = [2]float64{x, x}
		}
		if err := e.Write(s); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		whole = b.Bytes()
		data := whole
		switch l {
		case "Cut short.":
			data = whole[:len(whole)/2]
		case "Overwritten.":
			data = bytes.Clone(whole)
			for i := 200; i < len(data); i++ {
				data[i] = byte(i * 7)
			}
		}
		if err := os.WriteFile(filepath.Join(v.Dir(), v.FileName(l)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	v, err = Open(v.Dir())
	if err != nil {
		t.Fatal(err)
	}
	set := v.Clips(44100)
	if s, err := set.Open("Whole."); err != nil || s.Len() != 44100 {
		t.Fatalf("the whole clip: %v", err)
	}
	damaged := v.Damaged(lines)
	if len(damaged) != 2 {
		t.Fatalf("%d clips reported damaged, want 2: %+v", len(damaged), damaged)
	}
	for _, d := range damaged {
		t.Logf("%s: %v", d.File, d.Err)
		if !strings.Contains(d.Err.Error(), d.File) {
			t.Errorf("%q: the error does not name %s: %v", d.Line, d.File, d.Err)
		}
		if _, err := set.Open(d.Line); err == nil || !strings.Contains(err.Error(), d.File) {
			t.Errorf("%q: Open: %v, want an error naming %s", d.Line, err, d.File)
		}
	}
}
