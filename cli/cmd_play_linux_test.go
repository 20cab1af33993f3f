//go:build linux

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"routinecast/internal/pulsetest"
)

// openPTY opens a pseudo-terminal: the test talks to master, the child gets
// the slave as its terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 30, Col: 90}); err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestPlayTerminal runs play on a terminal: it shows the live display in the
// alternate screen, takes keys unechoed, and leaves the terminal as it found
// it however it stops.
func TestPlayTerminal(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	tests := []struct {
		name string
		stop func(c *exec.Cmd, master *os.File)
		from string
	}{
		{"q", func(_ *exec.Cmd, m *os.File) { m.Write([]byte("q")) }, ""},
		{"ctrl-c key", func(_ *exec.Cmd, m *os.File) { m.Write([]byte{3}) }, ""},
		{"SIGINT", func(c *exec.Cmd, _ *os.File) { c.Process.Signal(syscall.SIGINT) }, ""},
		{"SIGTERM", func(c *exec.Cmd, _ *os.File) { c.Process.Signal(syscall.SIGTERM) }, ""},
		{"end of the track", nil, "3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			master, slave := openPTY(t)
			before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"play", routine, "--voice", voice}
			if tc.from != "" {
				args = append(args, "--from", tc.from)
			}
			c := startPlayOn(t, srv.Env(), slave, args...)
			out := &syncBuffer{}
			go func() {
				buf := make([]byte, 4096)
				for {
					n, err := master.Read(buf)
					out.Write(buf[:n])
					if err != nil {
						return
					}
				}
			}()
			deadline := time.Now().Add(20 * time.Second)
			for !strings.Contains(out.String(), "Chapter ") {
				if time.Now().After(deadline) {
					t.Fatalf("no live display:\n%q\nstderr:\n%s", out, c.stderr)
				}
				time.Sleep(10 * time.Millisecond)
			}
			// Raw while playing: no echo, no line editing.
			raw, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if raw.Lflag&(unix.ECHO|unix.ICANON) != 0 {
				t.Errorf("terminal not in raw mode while playing: lflag %#x", raw.Lflag)
			}
			if tc.stop != nil {
				tc.stop(c.cmd, master)
			}
			c.wait(t, 30*time.Second)
			if c.code != 0 {
				t.Errorf("exit %d, want 0\nstderr:\n%s", c.code, c.stderr)
			}
			after, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag || after.Cflag != before.Cflag {
				t.Errorf("terminal not restored: before %+v\nafter %+v", before, after)
			}
			time.Sleep(50 * time.Millisecond) // let the reader drain
			screen := out.String()
			for _, want := range []string{"\x1b[?1049h", "\x1b[?25l", "Neck (standard)", "space pause", "\x1b[?25h", "\x1b[?1049l"} {
				if !strings.Contains(screen, want) {
					t.Errorf("terminal output lacks %q", want)
				}
			}
			exit := strings.LastIndex(screen, "\x1b[?1049l")
			if strings.LastIndex(screen, "\x1b[H") > exit {
				t.Error("the display was drawn after leaving the alternate screen")
			}
			// Then one line says where playback stopped.
			last := screen[exit:]
			want := "stopped at "
			if tc.stop == nil {
				want = "played to the end"
			}
			if !strings.Contains(last, "Neck (standard): "+want) {
				t.Errorf("after the display, %q; want a line with %q", last, want)
			}
		})
	}
}

// startPlayOn starts play in a child whose standard input and output are the
// terminal tty.
func startPlayOn(t *testing.T, env []string, tty *os.File, args ...string) *playChild {
	t.Helper()
	c := newPlayChild(env, args)
	c.cmd.Stdin, c.cmd.Stdout = tty, tty
	c.launch(t)
	return c
}
