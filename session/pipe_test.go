package session

import (
	"os"
	"testing"
)

// ioPipe is an input that gives no keys until closed.
func ioPipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, w
}
