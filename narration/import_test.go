package narration

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestImport(t *testing.T) {
	rec := t.TempDir()
	lines := []string{"Breathe in.", "Breathe out.", "Relax."}
	// Two recordings by name, one in another format and rate, a stray file,
	// a recording of a line not in the routine, and a broken recording.
	if err := writeTestWAV(filepath.Join(rec, RecordingFile("Breathe in.")), 48000, toneBurst(48000, 0.5, 1, 0.5, 0.3)); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(t.TempDir(), "x.wav")
	writeTestWAV(tmp, 22050, toneBurst(22050, 0.2, 0.8, 0.2, 0.02))
	out := strings.TrimSuffix(RecordingFile("Breathe out."), ".wav") + ".flac"
	if err := finishClip(tmp, filepath.Join(rec, out), ClipFormat{Format: "flac"}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(rec, "notes.txt"), []byte("take 2 was better"), 0o644)
	writeTestWAV(filepath.Join(rec, RecordingFile("Something else.")), 16000, toneBurst(16000, 0, 1, 0, 0.3))
	os.WriteFile(filepath.Join(rec, RecordingFile("Relax.")), []byte("RIFF....WAVEjunk"), 0o644)

	v, err := Create(filepath.Join(t.TempDir(), "mine"), Manifest{Language: "en", Engine: EngineSpec{Name: Recorded}, Clips: ClipFormat{Format: "flac"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(context.Background(), v, rec, ImportOptions{Expected: lines})
	if err == nil || !strings.Contains(err.Error(), RecordingFile("Relax.")) {
		t.Errorf("error %v, want one naming the broken recording", err)
	}
	if want := []string{RecordingFile("Breathe in."), out}; !slices.Equal(res.Imported, want) {
		t.Errorf("imported %v, want %v", res.Imported, want)
	}
	if want := []string{"notes.txt", RecordingFile("Something else.")}; !slices.Equal(res.Unexpected, want) {
		t.Errorf("unexpected %v, want %v", res.Unexpected, want)
	}
	if !slices.Equal(res.Missing, []string{"Relax."}) {
		t.Errorf("missing %v, want [Relax.]", res.Missing)
	}
	// Stored as the voice's format, found again when reopened.
	v2, err := Open(v.Dir())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[:2] {
		name, ok := v2.ClipFile(l)
		if !ok || filepath.Ext(name) != ".flac" {
			t.Errorf("line %q: clip %q, %v; want a .flac clip", l, name, ok)
		}
	}

	// Importing as is keeps the file.
	res, err = Import(context.Background(), v2, rec, ImportOptions{Expected: lines[:1], AsIs: true})
	if err != nil {
		t.Fatal(err)
	}
	name, _ := v2.ClipFile("Breathe in.")
	a, _ := os.ReadFile(filepath.Join(rec, RecordingFile("Breathe in.")))
	b, _ := os.ReadFile(filepath.Join(v2.Dir(), name))
	if name != RecordingFile("Breathe in.") || !slices.Equal(a, b) {
		t.Errorf("as-is import stored %q, not a copy of the recording", name)
	}
	if files := folderFiles(t, v2.Dir()); len(files) != 2 {
		t.Errorf("voice folder holds %v: the replaced clip should be gone", files)
	}
}

func TestImportRefusesEngineVoice(t *testing.T) {
	v := fakeVoice(t, "speak", ClipFormat{})
	if _, err := Import(context.Background(), v, t.TempDir(), ImportOptions{}); err == nil || !strings.Contains(err.Error(), "import recordings into a recorded voice") {
		t.Errorf("import into an engine voice: %v", err)
	}
}

// TestFileNamesWithControlsStayOut: a recording or clip whose file name holds
// a terminal escape is not taken, and is listed quoted.
func TestFileNamesWithControlsStayOut(t *testing.T) {
	rec := t.TempDir()
	evil := "\x1b[2J" + RecordingFile("Relax.")
	if err := writeTestWAV(filepath.Join(rec, evil), 16000, toneBurst(16000, 0.2, 1, 0.2, 0.3)); err != nil {
		t.Fatal(err)
	}
	v, err := Create(filepath.Join(t.TempDir(), "mine"), Manifest{Language: "en", Engine: EngineSpec{Name: Recorded}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(context.Background(), v, rec, ImportOptions{Expected: []string{"Relax."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Imported) != 0 || !slices.Equal(res.Unexpected, []string{strconv.Quote(evil)}) {
		t.Fatalf("imported %v, unexpected %v", res.Imported, res.Unexpected)
	}
	// The same name inside a voice folder is no clip.
	os.Rename(filepath.Join(rec, evil), filepath.Join(v.Dir(), evil))
	v2, err := Open(v.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if v2.Len() != 0 {
		t.Errorf("a clip with an escape in its name was taken")
	}
}
