package pack

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/pack/packtest"
)

// TestVoiceByCachedName: an episode's voice may name a cached voice, as
// --voice does, and the pack builds with it; a name that is neither a
// folder nor a cached voice says which voices there are.
func TestVoiceByCachedName(t *testing.T) {
	tmp := t.TempDir()
	cache := filepath.Join(tmp, "cache")
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := filepath.Join(tmp, "pack")
	os.Mkdir(dir, 0o755)
	file := packtest.Write(t, dir)
	cached := filepath.Join(cache, "routinecast", "voices", "flite-slt")
	os.MkdirAll(filepath.Dir(cached), 0o755)
	if err := os.Rename(filepath.Join(dir, packtest.VoiceDir), cached); err != nil {
		t.Fatal(err)
	}
	src := bytes.ReplaceAll(packtest.PackYAML(), []byte("voice: voice"), []byte("voice: flite-slt"))
	os.WriteFile(file, src, 0o644)
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Episodes {
		if e.Voice != cached {
			t.Errorf("episode %s: voice %q, want %q", e.Slug, e.Voice, cached)
		}
	}
	out := filepath.Join(tmp, "public")
	rep, err := Build(context.Background(), p, out, BuildOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Episodes {
		if st, err := os.Stat(filepath.Join(out, e.File)); err != nil || st.Size() == 0 {
			t.Errorf("episode %s: %v", e.Slug, err)
		}
	}

	os.WriteFile(file, bytes.ReplaceAll(packtest.PackYAML(), []byte("voice: voice"), []byte("voice: flite-stl")), 0o644)
	_, err = Load(file)
	want := "voice: flite-stl is neither a folder beside the pack nor a cached voice: did you mean flite-slt?"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("mistyped name: %v; want %q", err, want)
	}
}
