package filecopy

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLinkOrCopy(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	if err := os.WriteFile(src, []byte("clip"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "b")
	if err := LinkOrCopy(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(dst); err != nil || string(b) != "clip" {
		t.Fatalf("dst holds %q, %v", b, err)
	}
	if err := LinkOrCopy(filepath.Join(dir, "missing"), filepath.Join(dir, "c")); err == nil {
		t.Error("a missing source gave no error")
	}
}
