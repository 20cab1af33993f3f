//go:build unix

package safefile

import (
	"os"
	"syscall"
)

const nonblock = syscall.O_NONBLOCK

// clearNonblock puts a regular file back in blocking mode: Go's runtime
// would otherwise treat it as pollable, which regular files are not.
func clearNonblock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) })
	if err != nil {
		return err
	}
	return serr
}
