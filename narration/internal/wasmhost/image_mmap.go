//go:build linux || darwin || freebsd || netbsd || openbsd

package wasmhost

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/unix"
)

// imageSource holds a module's lifted data in a file of its own (a memory
// file on Linux, an unlinked temporary file elsewhere), mapped into each
// instance copy-on-write: the pages an instance only reads are shared by all
// of them, and no instance copies the image.
type imageSource struct {
	fd    int
	pages int // the image's length, rounded up to whole pages
	// image is copied into each memory instead when no file could be
	// made or filled (a temporary folder that cannot be written, a full
	// disk): slower, but it speaks.
	image []byte
}

func newImageSource(image []byte) (*imageSource, error) {
	if len(image) == 0 {
		return nil, nil
	}
	if fd, err := imageFile(); err == nil {
		if src, err := fillImage(fd, image); err == nil {
			return src, nil
		}
	}
	return &imageSource{fd: -1, image: image}, nil
}

// fillImage writes image into the empty file fd, whole pages long.
func fillImage(fd int, image []byte) (*imageSource, error) {
	page := os.Getpagesize()
	size := (len(image) + page - 1) / page * page
	for b := image; len(b) > 0; {
		n, err := unix.Write(fd, b)
		if err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("wasmhost: memory image: %w", err)
		}
		b = b[n:]
	}
	// Whole pages: a page of a mapping past the file's end faults.
	if err := unix.Ftruncate(fd, int64(size)); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("wasmhost: memory image: %w", err)
	}
	// fd stays open for the life of the process, as the module does.
	return &imageSource{fd: fd, pages: size}, nil
}

// tempImageFile opens a new file in the temporary folder and unlinks it at
// once: nothing is left behind, whatever becomes of the process, and the
// system keeps its pages as long as the descriptor is open.
func tempImageFile() (int, error) {
	var name [8]byte
	rand.Read(name[:])
	path := filepath.Join(os.TempDir(), "routinecast-wasm-"+hex.EncodeToString(name[:]))
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return -1, err
	}
	if err := unix.Unlink(path); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// size is how much of an instance's memory the image covers.
func (s *imageSource) size() int {
	switch {
	case s == nil:
		return 0
	case s.fd < 0:
		return len(s.image)
	}
	return s.pages
}

// mapInto maps the image over the start of buf, a private mapping at least
// as long.
func (s *imageSource) mapInto(buf []byte) error {
	switch {
	case s == nil:
		return nil
	case s.fd < 0:
		copy(buf, s.image)
		return nil
	}
	if len(buf) < s.pages {
		return fmt.Errorf("wasmhost: a memory of %d bytes cannot hold its data (%d bytes)", len(buf), s.pages)
	}
	_, err := unix.MmapPtr(s.fd, 0, unsafe.Pointer(&buf[0]), uintptr(s.pages),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_FIXED)
	return err
}
