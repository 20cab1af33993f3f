//go:build linux || darwin || freebsd || netbsd || openbsd

package wasmhost

import "syscall"

// reserve maps n bytes of private, zeroed memory, backed page by page as the
// instance touches it.
func reserve(n int) ([]byte, error) {
	return syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
}

// commit has nothing to do: every page of the mapping is usable.
func commit([]byte) error { return nil }

func release(b []byte) { syscall.Munmap(b) }
