package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"routinecast/internal/testtool"
)

func TestCommitReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.wav")
	os.WriteFile(p, []byte("old"), 0o644)
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("new")
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("target changed before Commit: %q", b)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Fatalf("target %q after Commit", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files left in the folder, want 1", len(entries))
	}
}

func TestCloseWithoutCommitLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.wav")
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	f.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files left after an abandoned write: %v", entries)
	}
}

// TestCreateRefusesSpecialFiles: a device, a FIFO or a folder at the target
// is refused, never replaced by a regular file (as root, a rename over
// /dev/null would succeed).
func TestCreateRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := testtool.Mkfifo(t, filepath.Join(dir, "fifo"))
	link := filepath.Join(dir, "null-link")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{os.DevNull, fifo, dir, link} {
		before, _ := os.Lstat(p)
		err := Write(p, func(f *File) error { _, err := f.WriteString("data"); return err })
		var nr *NotRegularError
		if !errors.As(err, &nr) {
			t.Errorf("%s: %v, want a NotRegularError", p, err)
		}
		after, _ := os.Lstat(p)
		if before.Mode() != after.Mode() {
			t.Errorf("%s was %v, is now %v", p, before.Mode(), after.Mode())
		}
	}
}
