package narration

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestPCMCache: a decoded clip reads back as written; a file cut short, with
// a flipped bit, empty (what a crash can leave of an unsynced write), made
// for another clip, grown huge or replaced by a link to a device is bad, so
// the clip is decoded again.
func TestPCMCache(t *testing.T) {
	dir := t.TempDir()
	const sr = 44100
	key := pcmKey([]byte("clip bytes"), sr)
	other := pcmKey([]byte("other clip"), sr)
	pcm := []int16{0, 1, -1, 32767, -32768, 1234}
	writePCM(dir, key, sr, pcm)
	writePCM(dir, other, sr, []int16{5, 6, 7})
	got, err := readPCM(dir, key, sr)
	if err != nil || len(got) != len(pcm) {
		t.Fatalf("read %v (%v), wrote %v", got, err, pcm)
	}
	for i := range pcm {
		if got[i] != pcm[i] {
			t.Fatalf("read %v, wrote %v", got, pcm)
		}
	}
	path := pcmPath(dir, key)
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	otherWhole, err := os.ReadFile(pcmPath(dir, other))
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), whole...)
	flipped[len(flipped)-1] ^= 1
	for name, b := range map[string][]byte{"cut short": whole[:len(whole)-2], "a flipped bit": flipped, "empty": nil, "another clip's entry": otherWhole} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := readPCM(dir, key, sr); got != nil || err == nil {
			t.Errorf("%s: read %v, %v", name, got, err)
		}
	}

	// A 1 GB sparse entry is refused from its size, before any reading.
	if err := os.WriteFile(path, whole, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 1<<30); err != nil {
		t.Fatal(err)
	}
	if got, err := readPCM(dir, key, sr); got != nil || err == nil {
		t.Errorf("1 GB entry: read %d samples, %v", len(got), err)
	}
	// A link, even to a device that never ends, is not opened.
	os.Remove(path)
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Fatal(err)
	}
	var bad *badPCM
	if got, err := readPCM(dir, key, sr); got != nil || !errors.As(err, &bad) {
		t.Errorf("link to /dev/zero: read %d samples, %v", len(got), err)
	}

	if got, err := readPCM("", key, sr); got != nil || err != nil {
		t.Error("a clip read from no cache")
	}
	if got, err := readPCM(dir, pcmKey([]byte("never"), sr), sr); got != nil || err != nil {
		t.Errorf("a clip never written: %v, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, key.name()[:2])); err != nil {
		t.Error(err)
	}
}
