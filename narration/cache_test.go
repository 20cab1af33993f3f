package narration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A prepared voice touches the disk only with its first clip: a render that
// fails leaves no folder, and so nothing that ties the folder to an engine.
func TestPrepareWritesNothingUntilAClip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	v, err := Prepare(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "command", Command: fakeCommand("fail")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Render(context.Background(), v, someLines, RenderOptions{Jobs: 2}); err == nil {
		t.Fatal("render with a failing engine: no error")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("failed render left %s behind (%v)", dir, err)
	}
	// Another engine may use the folder; its first clip makes it.
	v, err = Prepare(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "command", Command: fakeCommand("speak")}})
	if err != nil {
		t.Fatal(err)
	}
	if v.OnDisk() {
		t.Fatal("prepared voice is on disk before any clip")
	}
	if _, err := Render(context.Background(), v, someLines[:2], RenderOptions{Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w.Len() != 2 || len(w.Manifest.Engine.Command) == 0 || w.Manifest.Engine.Command[2] != "speak" {
		t.Errorf("reopened voice: %d clips, engine %+v", w.Len(), w.Manifest.Engine)
	}
}

// A folder whose voice has no clip is taken over by another engine; one with
// clips is not.
func TestPrepareTakesOverAnEmptyVoice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	if _, err := Create(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "espeak-ng"}}); err != nil {
		t.Fatal(err)
	}
	speak := Manifest{Language: "en", Engine: EngineSpec{Name: "command", Command: fakeCommand("speak")}}
	v, err := Prepare(dir, speak)
	if err != nil {
		t.Fatalf("empty espeak-ng voice not taken over: %v", err)
	}
	if _, err := Render(context.Background(), v, someLines[:1], RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = Prepare(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "espeak-ng"}})
	if err == nil || !strings.Contains(err.Error(), "use another folder") {
		t.Fatalf("voice with a clip taken over by another engine: %v", err)
	}
}

func TestFindVoiceAndCachedVoices(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	t.Setenv("HOME", tmp)
	if got, err := CachedVoices(); err != nil || len(got) != 0 {
		t.Fatalf("empty cache: %v, %v", got, err)
	}
	root, err := CacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(tmp, "cache", "routinecast", "voices"); root != want {
		t.Fatalf("cache root %s, want %s", root, want)
	}
	cached := filepath.Join(root, "fake")
	v, err := Prepare(cached, Manifest{Language: "en", Engine: EngineSpec{Name: "command", Command: fakeCommand("speak")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Render(context.Background(), v, someLines[:3], RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "junk"), 0o755); err != nil { // not a voice: not listed
		t.Fatal(err)
	}
	list, err := CachedVoices()
	if err != nil || len(list) != 1 || list[0].Name != "fake" || list[0].Voice.Len() != 3 || list[0].Bytes == 0 {
		t.Fatalf("CachedVoices = %+v, %v", list, err)
	}

	if got, err := FindVoice("fake"); err != nil || got != cached {
		t.Errorf("FindVoice(fake) = %q, %v; want %s", got, err, cached)
	}
	t.Chdir(tmp)
	if err := os.Mkdir("fake", 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := FindVoice("fake"); err != nil || got != "fake" {
		t.Errorf("a folder should win over the cached voice: %q, %v", got, err)
	}
	_, err = FindVoice("nope")
	if !errors.Is(err, ErrNoVoice) || !strings.Contains(err.Error(), "cached: fake") {
		t.Errorf("FindVoice(nope) = %v", err)
	}
	if _, err := FindVoice("no/such/dir"); !errors.Is(err, ErrNoVoice) {
		t.Errorf("FindVoice(no/such/dir) = %v", err)
	}
}

func TestCacheName(t *testing.T) {
	for _, c := range []struct {
		spec EngineSpec
		want string
	}{
		{EngineSpec{Name: "flite"}, "flite-slt"},
		{EngineSpec{Name: "flite", Voice: "kal16"}, "flite-kal16"},
		{EngineSpec{Name: "festival"}, "festival-cmu_us_slt_arctic_hts"},
		{EngineSpec{Name: "espeak-ng"}, "espeak-ng-en"},
	} {
		if got, err := CacheName(c.spec, "en"); err != nil || got != c.want {
			t.Errorf("CacheName(%+v) = %q, %v; want %q", c.spec, got, err, c.want)
		}
	}
	if _, err := CacheName(EngineSpec{Name: Recorded}, "en"); err == nil {
		t.Error("recorded voice got a cache name")
	}
}
