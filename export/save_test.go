package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

func TestSaveWritesSidecarsThenAudio(t *testing.T) {
	job, err := Compile(Options{Routine: tinyRoutine(t), Level: routines.Gentle})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := Sidecars{Transcript: filepath.Join(dir, "x.vtt"), Chapters: filepath.Join(dir, "x.json")}
	if _, err := job.Save(context.Background(), filepath.Join(dir, "x.wav"), nil, WAV, s); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{s.Transcript: "WEBVTT", s.Chapters: `"title": "Bridge"`, filepath.Join(dir, "x.wav"): "RIFF"} {
		if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s lacks %q (%v)", path, want, err)
		}
	}

	// A sidecar that cannot be written leaves no audio behind.
	bad := Sidecars{Chapters: filepath.Join(dir, "gone", "x.json")}
	if _, err := job.Save(context.Background(), filepath.Join(dir, "y.wav"), nil, WAV, bad); err == nil {
		t.Error("saved with a sidecar in a missing folder")
	}
	if _, err := os.Stat(filepath.Join(dir, "y.wav")); err == nil {
		t.Error("y.wav written though its chapters were not")
	}

	// "-" streams to the writer given.
	var b bytes.Buffer
	res, err := job.Save(context.Background(), "-", &b, WAV, Sidecars{})
	if err != nil || int64(b.Len()) != res.Bytes || !bytes.HasPrefix(b.Bytes(), []byte("RIFF")) {
		t.Errorf("to a writer: %d bytes, result %+v, %v", b.Len(), res, err)
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("wrapped: %w", ErrFormat), true},
		{&MissingClipsError{Voice: "v", Lines: []string{"a"}}, true},
		{fmt.Errorf("mixer: %w: gap", mixer.ErrOptions), true},
		{fmt.Errorf("fit: %w", ErrLength), true},
		{fmt.Errorf("music: %w", fs.ErrNotExist), true},
		{errors.New("disk full"), false},
		{context.Canceled, false},
	} {
		if got := BadInput(c.err); got != c.want {
			t.Errorf("BadInput(%v) = %v", c.err, got)
		}
	}
}

func TestMissingClipsAdvice(t *testing.T) {
	e := &MissingClipsError{Voice: "my-voice", Lines: []string{"a", "b", "c", "d", "e", "f", "g"}}
	msg := e.Error()
	if !strings.HasPrefix(msg, "export: my-voice has no clip for 7 line(s)") || !strings.Contains(msg, "... and 2 more\nrender them with 'routinecast voice render") {
		t.Errorf("message:\n%s", msg)
	}
	e.Advice = "record them"
	if msg := e.Error(); !strings.HasSuffix(msg, "\n  ... and 2 more\nrecord them") {
		t.Errorf("with advice:\n%s", msg)
	}
}

// Script is what Compile plays, without the clips: at a level, the
// expanded script; at a length, the fitted one, labelled with its minutes.
func TestScript(t *testing.T) {
	r := tinyRoutine(t)
	s, err := Script(Options{Routine: r, Level: routines.Full})
	if err != nil || s.Level != routines.Full {
		t.Fatalf("at a level: %v, %v", s, err)
	}
	job, err := Compile(Options{Routine: r, Length: 12e9})
	if err != nil {
		t.Fatal(err)
	}
	s, err = Script(Options{Routine: r, Length: 12e9})
	if err != nil {
		t.Fatal(err)
	}
	if s.Level != job.Script.Level || s.Total() != job.Script.Total() {
		t.Errorf("fitted script %s lasting %v; Compile's %s lasting %v", s.Level, s.Total(), job.Script.Level, job.Script.Total())
	}
}

// Fix names the command that adds the clips, which depends on the voice:
// one an engine made renders them, a recorded one records them, and the
// built-in voice suggests an engine.
func TestMissingClipsFix(t *testing.T) {
	dir := t.TempDir()
	flite, recorded := filepath.Join(dir, "flite"), filepath.Join(dir, "mine")
	if _, err := narration.Create(flite, narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: "flite"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := narration.Create(recorded, narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: narration.Recorded}}); err != nil {
		t.Fatal(err)
	}
	none := func() string { return "" }
	for _, c := range []struct {
		voice, dir string
		engine     func() string
		want       string
	}{
		{"flite", flite, none, "export: the voice flite has no clip for 1 line(s) of this routine:\n  \"a\"\nrender them with 'routinecast voice render 'my routine.yaml' --voice flite', or add --engine flite to this command"},
		{"mine", recorded, none, "record them (see 'routinecast voice script 'my routine.yaml'') and import them with 'routinecast voice import FOLDER --voice mine --routine 'my routine.yaml''"},
		{"", "", none, "export: the built-in voice has no clip"},
		{"", "", none, "add --engine festival to this command"},
		{"", "", func() string { return "espeak-ng" }, "add --engine espeak-ng to this command"},
	} {
		e := &MissingClipsError{Voice: c.dir, Lines: []string{"a"}}
		e.Fix("my routine.yaml", c.voice, c.dir, c.engine)
		if !strings.Contains(e.Error(), c.want) {
			t.Errorf("voice %q: %s\nwant it to say %s", c.voice, e.Error(), c.want)
		}
	}
}
