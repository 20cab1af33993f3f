package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// exportOpenTerminal opens a pseudo-terminal pair with the kernel's /dev/ptmx, so a test
// can hand a command a real terminal as its standard output.
func exportOpenTerminal(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("unlock pty: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("pty number: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pty: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// export -o - on a terminal would flood it with audio bytes: it exits 2 and
// writes nothing to it.
func TestExportRefusesTerminal(t *testing.T) {
	master, slave := exportOpenTerminal(t)
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
