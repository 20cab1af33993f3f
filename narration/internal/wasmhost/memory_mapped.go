//go:build linux || darwin || freebsd || netbsd || openbsd || windows

package wasmhost

import "github.com/tetratelabs/wazero/experimental"

// Each instance's linear memory is kept outside the Go heap: one reservation
// of the largest size the memory may reach, whose pages the system gives
// only when they are first touched, freed at once when the instance closes.
// On the Go heap, a few instances of Flite (tens of megabytes each) sat far
// over the program's soft memory limit (main's memlimit.go), and the
// collector ran without pause: rendering a routine took 2.8 times as long on
// Linux, and on Windows (under Wine) 340 collections took a quarter of the
// CPU and twice the wall time.

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

// mapped is a linear memory in a reservation of its own: buf is the whole
// reservation, of which the first committed bytes are usable.
type mapped struct {
	buf       []byte
	committed int
}

func newMapped(max uint64, src *imageSource) experimental.LinearMemory {
	if max == 0 || max > MemoryLimit {
		max = MemoryLimit
	}
	buf, err := reserve(int(max))
	if err != nil {
		return &mapped{} // the instance fails to start: no memory
	}
	m := &mapped{buf: buf}
	if !m.commit(src.size()) || src.mapInto(buf) != nil {
		m.Free()
		return &mapped{}
	}
	return m
}

// commit makes the first n bytes usable.
func (m *mapped) commit(n int) bool {
	if n <= m.committed {
		return true
	}
	if commit(m.buf[m.committed:n]) != nil {
		return false
	}
	m.committed = n
	return true
}

// Reallocate grows the memory in place: the reservation never moves.
func (m *mapped) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) || !m.commit(int(size)) {
		return nil // the module sees a failed grow
	}
	return m.buf[:size:size]
}

func (m *mapped) Free() {
	if m.buf != nil {
		release(m.buf)
		m.buf, m.committed = nil, 0
	}
}
