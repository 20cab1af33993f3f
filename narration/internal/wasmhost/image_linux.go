package wasmhost

import "golang.org/x/sys/unix"

// imageFile is a memory file; where the kernel has none (before 3.17, or a
// sandbox that refuses the call), a temporary file.
func imageFile() (int, error) {
	if fd, err := unix.MemfdCreate("routinecast-wasm-data", unix.MFD_CLOEXEC); err == nil {
		return fd, nil
	}
	return tempImageFile()
}
