package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
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
