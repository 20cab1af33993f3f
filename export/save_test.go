package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"routinecast/internal/testtool/routinetest"
	"routinecast/job"
	"routinecast/mixer"
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

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("wrapped: %w", ErrFormat), true},
		{&job.MissingClipsError{Voice: "v", Lines: []string{"a"}}, true},
		{fmt.Errorf("mixer: %w: gap", mixer.ErrOptions), true},
		{fmt.Errorf("fit: %w", job.ErrLength), true},
		{fmt.Errorf("music: %w", fs.ErrNotExist), true},
		{errors.New("disk full"), false},
		{context.Canceled, false},
	} {
		if got := BadInput(c.err); got != c.want {
			t.Errorf("BadInput(%v) = %v", c.err, got)
		}
	}
}
