package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// export -o - on a terminal would flood it with audio bytes: it exits 2 and
// writes nothing to it.
func TestExportRefusesTerminal(t *testing.T) {
	master, slave := openPTY(t)
	var errb bytes.Buffer
	err := Run(context.Background(), []string{"routinecast", "export", "lower-back", "-o", "-"}, strings.NewReader(""), slave, &errb)
	if code := ExitCode(err); code != 2 || !strings.Contains(fmt.Sprint(err), "would write audio to the terminal") {
		t.Fatalf("exit %d, error %v; want 2 refusing the terminal", code, err)
	}
	// Nothing reached the terminal: a non-blocking read from its other end
	// finds no byte.
	// (Fd puts the file back in blocking mode: take it once.)
	fd := int(master.Fd())
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, _ := syscall.Read(fd, buf); n > 0 {
		t.Errorf("%d bytes reached the terminal: %q", n, buf[:n])
	}
}

// An export interrupted while its bar is drawn on a terminal ends the bar's
// line before it returns, so that the message printed next starts a line of
// its own instead of running on from the bar.
func TestInterruptedExportEndsTheBarLine(t *testing.T) {
	master, slave := openPTY(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var seen bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			seen.Write(buf[:n])
			if bytes.Contains(seen.Bytes(), []byte("rendering [")) {
				cancel()
			}
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	err := Run(ctx, []string{"routinecast", "export", "lower-back", "-o", filepath.Join(dir, "out.mp3")}, strings.NewReader(""), io.Discard, slave)
	if code := ExitCode(err); code != ExitInterrupted {
		t.Fatalf("exit %d (%v), want %d", code, err, ExitInterrupted)
	}
	// What Run wrote reaches the master before the test's own marker.
	slave.WriteString("MARK")
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		out := seen.String()
		mu.Unlock()
		if i := strings.Index(out, "MARK"); i >= 0 {
			// The terminal turns "\n" into "\r\n".
			if !strings.HasSuffix(out[:i], "\n") || !strings.Contains(out[:i], "rendering [") {
				t.Errorf("the bar's line is not ended before what follows:\n%q", out)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal showed:\n%q", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
