package export

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"routinecast/internal/testtool/routinetest"
	"routinecast/job"
	"routinecast/routines"
)

func TestSaveWritesSidecarsThenAudio(t *testing.T) {
	j, err := job.Compile(job.Options{Routine: routinetest.Tiny(t), Level: routines.Gentle})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := Sidecars{Transcript: filepath.Join(dir, "x.vtt"), Chapters: filepath.Join(dir, "x.json")}
	if _, err := Save(context.Background(), j, filepath.Join(dir, "x.wav"), nil, WAV, Options{}, s); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{s.Transcript: "WEBVTT", s.Chapters: `"title": "Bridge"`, filepath.Join(dir, "x.wav"): "RIFF"} {
		if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s lacks %q (%v)", path, want, err)
		}
	}

	// A sidecar that cannot be written leaves no audio behind.
	bad := Sidecars{Chapters: filepath.Join(dir, "gone", "x.json")}
	if _, err := Save(context.Background(), j, filepath.Join(dir, "y.wav"), nil, WAV, Options{}, bad); err == nil {
		t.Error("saved with a sidecar in a missing folder")
	}
	if _, err := os.Stat(filepath.Join(dir, "y.wav")); err == nil {
		t.Error("y.wav written though its chapters were not")
	}

	// "-" streams to the writer given.
	var b bytes.Buffer
	res, err := Save(context.Background(), j, "-", &b, WAV, Options{}, Sidecars{})
	if err != nil || int64(b.Len()) != res.Bytes || !bytes.HasPrefix(b.Bytes(), []byte("RIFF")) {
		t.Errorf("to a writer: %d bytes, result %+v, %v", b.Len(), res, err)
	}
}

// An export over an earlier one whose sidecar cannot be written (its folder
// read-only, or a folder in its place) fails before rendering anything, and
// the earlier audio and sidecars stay as they were, together.
func TestSaveChecksTheSetBeforeRendering(t *testing.T) {
	gentle, err := job.Compile(job.Options{Routine: routinetest.Tiny(t), Level: routines.Gentle})
	if err != nil {
		t.Fatal(err)
	}
	full, err := job.Compile(job.Options{Routine: routinetest.Tiny(t), Level: routines.Full})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "RO")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	audio := filepath.Join(dir, "a.mp3")
	earlier := Sidecars{Transcript: filepath.Join(dir, "a.vtt"), Chapters: filepath.Join(ro, "a.json")}
	if _, err := Save(context.Background(), gentle, audio, nil, MP3, Options{}, earlier); err != nil {
		t.Fatal(err)
	}
	snapshot := func() map[string]string {
		out := map[string]string{}
		for _, p := range []string{audio, earlier.Transcript, earlier.Chapters} {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return out
	}
	before := snapshot()
	cases := map[string]Sidecars{"a folder in the way": {Transcript: earlier.Transcript, Chapters: dir}}
	if os.Getuid() != 0 { // root writes into a read-only folder
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(ro, 0o755)
		cases["a read-only folder"] = earlier
	}
	for name, s := range cases {
		rendered := false
		o := Options{Measuring: func() { rendered = true }, Progress: func(int64, int64) { rendered = true }}
		if err := CheckOutputs(audio, s); err == nil {
			t.Errorf("%s: CheckOutputs accepted the set", name)
		}
		if _, err := Save(context.Background(), full, audio, nil, MP3, o, s); err == nil {
			t.Errorf("%s: saved", name)
		}
		if rendered {
			t.Errorf("%s: rendered before finding the sidecar cannot be written", name)
		}
		after := snapshot()
		for p, b := range before {
			if after[p] != b {
				t.Errorf("%s: %s changed", name, p)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 3 {
			t.Errorf("%s: files left behind: %v", name, entries)
		}
	}
}

// Two exports to one file at once: one writes it, the other is told it was
// superseded; the file holds the one that won, whole.
func TestConcurrentSavesOneWins(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "same.mp3")
	var started sync.WaitGroup
	started.Add(2)
	errs := make([]error, 2)
	results := make([]*Result, 2)
	var wg sync.WaitGroup
	for i, level := range []routines.Level{routines.Gentle, routines.Full} {
		j, err := job.Compile(job.Options{Routine: routinetest.Tiny(t), Level: level})
		if err != nil {
			t.Fatal(err)
		}
		// Both have begun before either ends.
		var once sync.Once
		o := Options{Measuring: func() { once.Do(func() { started.Done(); started.Wait() }) }}
		wg.Go(func() { results[i], errs[i] = Save(context.Background(), j, p, nil, MP3, o, Sidecars{}) })
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil && won < 0:
			won = i
		case err == nil:
			t.Fatal("both exports say they wrote the file")
		case !errors.Is(err, ErrSuperseded):
			t.Errorf("export %d: %v", i, err)
		}
	}
	if won < 0 {
		t.Fatalf("neither export wrote: %v", errs)
	}
	st, err := os.Stat(p)
	if err != nil || st.Size() != results[won].Bytes {
		t.Errorf("the file is not the winner's (%d bytes): %v, %v", results[won].Bytes, st, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
}
