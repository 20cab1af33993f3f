package narration

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/audio"
)

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
