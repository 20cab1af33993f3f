package safefile

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// specials returns real special files of each kind that Open must refuse.
func specials(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	fifo := testtool.Mkfifo(t, filepath.Join(dir, "fifo"))
	link := filepath.Join(dir, "zero-link")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"device /dev/zero":     "/dev/zero",
		"device /dev/null":     "/dev/null",
		"fifo with no writer":  fifo,
		"folder":               dir,
		"symlink to /dev/zero": link,
	}
}

func TestOpenRefusesSpecialFilesAtOnce(t *testing.T) {
	want := map[string]string{
		"device /dev/zero":     "a character device, not a regular file",
		"device /dev/null":     "a character device, not a regular file",
		"fifo with no writer":  "a FIFO (named pipe), not a regular file",
		"folder":               "a folder",
		"symlink to /dev/zero": "a character device, not a regular file",
	}
	for name, path := range specials(t) {
		t.Run(name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := ReadFile(context.Background(), path, 1<<20)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, ErrNotRegular) {
					t.Fatalf("err = %v, want ErrNotRegular", err)
				}
				if !strings.Contains(err.Error(), want[name]) || !strings.Contains(err.Error(), path) {
					t.Errorf("message %q does not name %s and %q", err, path, want[name])
				}
			case <-time.After(10 * time.Second): // a hang, not slowness
				t.Fatal("ReadFile did not return")
			}
		})
	}
}

func TestReadFileBounds(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("12345"), 0o644)
	if b, err := ReadFile(context.Background(), p, 5); err != nil || string(b) != "12345" {
		t.Fatalf("ReadFile = %q, %v", b, err)
	}
	if _, err := ReadFile(context.Background(), p, 4); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if _, err := ReadFile(context.Background(), filepath.Join(dir, "none"), 4); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want ErrNotExist", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFile(ctx, p, 5); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestShort(t *testing.T) {
	_, err := Open("/no/such/file", 0)
	if got := Short(err).Error(); got != "/no/such/file: no such file or directory" {
		t.Fatalf("Short = %q", got)
	}
}
