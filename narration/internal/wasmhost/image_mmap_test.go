//go:build linux || darwin || freebsd || netbsd || openbsd

package wasmhost

import (
	"os"
	"testing"
)

// TestTempFileImageIsCopyOnWrite: the image in an unlinked temporary file
// (the only kind on macOS and the BSDs, Linux's when it has no memory files)
// maps into every memory as a private copy, and leaves no file behind.
func TestTempFileImageIsCopyOnWrite(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	fd, err := tempImageFile()
	if err != nil {
		t.Fatal(err)
	}
	src, err := fillImage(fd, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the image left %d files in the temporary folder", len(left))
	}
	a, b := newMapped(2*pageSize, src), newMapped(2*pageSize, src)
	defer a.Free()
	defer b.Free()
	ma, mb := a.Reallocate(pageSize), b.Reallocate(pageSize)
	ma[0] = 'j'
	if string(ma[:5]) != "jello" || string(mb[:5]) != "hello" {
		t.Errorf("memories hold %q and %q, want jello and hello: a write showed through", ma[:5], mb[:5])
	}
}

// TestImageWithoutAFileIsCopied: where no file can be made for the image
// (an unwritable temporary folder on macOS), each memory gets a copy.
func TestImageWithoutAFileIsCopied(t *testing.T) {
	src := &imageSource{fd: -1, image: []byte("hello")}
	a, b := newMapped(2*pageSize, src), newMapped(2*pageSize, src)
	defer a.Free()
	defer b.Free()
	ma, mb := a.Reallocate(pageSize), b.Reallocate(pageSize)
	ma[0] = 'j'
	if string(ma[:5]) != "jello" || string(mb[:5]) != "hello" || mb[5] != 0 {
		t.Errorf("memories hold %q and %q, want jello and hello", ma[:6], mb[:6])
	}
}
