//go:build linux || darwin || freebsd || netbsd || openbsd

package wasmhost

import (
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// Each instance's linear memory is kept outside the Go heap: one mapping of
// the largest size the memory may reach, whose pages the kernel gives only
// when they are first touched, freed at once when the instance closes. On
// the Go heap, a few instances of Flite (tens of megabytes each) sat far over
// the program's soft memory limit (main's memlimit.go), and the collector ran
// without pause: rendering a routine took 2.8 times as long, most of it in
// the kernel.

// liftsData says the allocator takes a module's data as an image (see
// liftData).
const liftsData = true

// newAllocator returns the allocator for the instances of a module whose
// lifted data is image.
func newAllocator(image []byte) (experimental.MemoryAllocator, error) {
	src, err := newImageSource(image)
	if err != nil {
		return nil, err
	}
	return experimental.MemoryAllocatorFunc(func(_, max uint64) experimental.LinearMemory {
		return newMapped(max, src)
	}), nil
}

type mapped struct{ buf []byte }

func newMapped(max uint64, src *imageSource) experimental.LinearMemory {
	if max == 0 || max > MemoryLimit {
		max = MemoryLimit
	}
	buf, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return &mapped{} // the instance fails to start: no memory
	}
	if err := src.mapInto(buf); err != nil {
		syscall.Munmap(buf)
		return &mapped{}
	}
	return &mapped{buf: buf}
}

// Reallocate grows the memory in place: the mapping never moves.
func (m *mapped) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil // the module sees a failed grow
	}
	return m.buf[:size:size]
}

func (m *mapped) Free() {
	if m.buf != nil {
		syscall.Munmap(m.buf)
		m.buf = nil
	}
}
