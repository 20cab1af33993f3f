package narration

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPCMCache: a decoded clip reads back as written; a file cut short, with
// a flipped bit, or empty (what a crash can leave of an unsynced write) reads
// as missing, so the clip is decoded again.
func TestPCMCache(t *testing.T) {
	dir := t.TempDir()
	key := pcmKey([]byte("clip bytes"), 44100)
	pcm := []int16{0, 1, -1, 32767, -32768, 1234}
	writePCM(dir, key, pcm)
	got := readPCM(dir, key)
	if len(got) != len(pcm) {
		t.Fatalf("read %v, wrote %v", got, pcm)
	}
	for i := range pcm {
		if got[i] != pcm[i] {
			t.Fatalf("read %v, wrote %v", got, pcm)
		}
	}
	path := filepath.Join(dir, key[:2], key+".s16")
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), whole...)
	flipped[len(flipped)-1] ^= 1
	for name, b := range map[string][]byte{"cut short": whole[:len(whole)-2], "a flipped bit": flipped, "empty": nil} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := readPCM(dir, key); got != nil {
			t.Errorf("%s: read %v", name, got)
		}
	}
	if readPCM("", key) != nil || readPCM(dir, pcmKey([]byte("other"), 44100)) != nil {
		t.Error("a clip read from no cache, or one never written")
	}
}
