package wasmhost

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// imageSource holds a module's lifted data in a memory file, mapped into
// each instance copy-on-write: the pages an instance only reads are shared
// by all of them, and no instance copies the image.
type imageSource struct {
	fd    int
	pages int // the image's length, rounded up to whole pages
}

func newImageSource(image []byte) (*imageSource, error) {
	if len(image) == 0 {
		return nil, nil
	}
	fd, err := unix.MemfdCreate("routinecast-wasm-data", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("wasmhost: memory image: %w", err)
	}
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

// size is how much of an instance's memory the image covers.
func (s *imageSource) size() int {
	if s == nil {
		return 0
	}
	return s.pages
}

// mapInto maps the image over the start of buf, a private mapping at least
// as long.
func (s *imageSource) mapInto(buf []byte) error {
	if s == nil {
		return nil
	}
	if len(buf) < s.pages {
		return fmt.Errorf("wasmhost: a memory of %d bytes cannot hold its data (%d bytes)", len(buf), s.pages)
	}
	_, err := unix.MmapPtr(s.fd, 0, unsafe.Pointer(&buf[0]), uintptr(s.pages),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_FIXED)
	return err
}
