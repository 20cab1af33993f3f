//go:build unix

package studio

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// TestStudioRefusesRoutineThatIsNoFile opens a FIFO as the routine: the
// studio says so at once rather than waiting for a writer.
func TestStudioRefusesRoutineThatIsNoFile(t *testing.T) {
	dir := t.TempDir()
	fifo := testtool.Mkfifo(t, filepath.Join(dir, "pipe.yaml"))
	done := make(chan error, 1)
	go func() {
		s, err := New(Options{Routine: fifo, Voice: filepath.Join(dir, "voice")})
		if err == nil {
			s.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "pipe.yaml is not a regular file") {
			t.Errorf("a FIFO as the routine: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the studio waits on a FIFO given as the routine")
	}
}
