//go:build unix

package testtool

import (
	"syscall"
	"testing"
)

// Mkfifo makes a named pipe at path, a special file where a test wants a
// regular one, and returns path.
func Mkfifo(tb testing.TB, path string) string {
	tb.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		tb.Fatalf("mkfifo: %v", err)
	}
	return path
}
