//go:build darwin || freebsd || netbsd || openbsd

package wasmhost

// imageFile is an unlinked temporary file: these systems have no memory
// files that can be mapped.
func imageFile() (int, error) { return tempImageFile() }
