//go:build linux

package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"golang.org/x/sys/unix"

	"routinecast/internal/pulsetest"
	"routinecast/internal/testtool"
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
// it however it stops, with a line saying where and how to resume.
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
			// Some terminal libraries take any CI variable to mean no terminal: the
			// child gets none.
			c := startPlayOn(t, append(srv.Env(), "TERM=xterm-256color", "CI="), slave, args...)
			out := readPTY(master)
			out.waitFor(t, c, "Chapter ")
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
			// A key quits, a signal interrupts (README: 130).
			wantCode := 0
			if strings.HasPrefix(tc.name, "SIG") {
				wantCode = 130
			}
			if c.code != wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", c.code, wantCode, c.stderr)
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
			if !strings.Contains(screen, "\x1b[38;5;") {
				t.Error("no colour on a 256-colour terminal")
			}
			exit := strings.LastIndex(screen, "\x1b[?1049l")
			// Then one line says where playback stopped, and how to go on.
			last := screen[exit:]
			want := "Neck (standard): stopped at "
			if tc.stop == nil {
				want = "Neck (standard): played to the end"
			}
			if !strings.Contains(last, want) || strings.Count(last, "\n") != 1 {
				t.Errorf("after the display, %q; want one line with %q", last, want)
			}
			if tc.stop != nil && !strings.Contains(last, "; resume with: routinecast play "+routine+" --voice "+voice+" --from 1") {
				t.Errorf("the closing line %q has no resume command", last)
			}
		})
	}
}

// twistRoutine writes a routine with a hold on alternating sides.
func twistRoutine(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "twist.yaml")
	src := `title: Twist
language: en
intro:
  - Hello there.
exercises:
  - name: Seated twist
    sides: alternate
    reps: 2
    steps:
      - say: Turn to the {side}.
      - hold: 6s
      - count: true
outro:
  - Well done, see you tomorrow.
`
	return testtool.WriteFile(t, p, src)
}

// TestPlayTerminalScreen plays a routine with holds on both sides on a
// terminal without colour, presses keys and resizes the terminal, and reads
// the screen: the exercise, the side and the repetition (large) during the hold, the
// countdown, a paused state with its own help, and a layout for 40×12.
func TestPlayTerminalScreen(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixtureOf(t, twistRoutine)
	master, slave := openPTY(t)
	c := startPlayOn(t, append(srv.Env(), "TERM=xterm-256color", "NO_COLOR=1"), slave, "play", routine, "--voice", voice, "--level", "gentle", "--from", "2")
	out := readPTY(master)
	// The name, and the side with the repetition, in large letters (the
	// first of their three rows), and the side again in words.
	out.waitFor(t, c, "█▀▀ █▀▀ ▄▀▄ ▀█▀ █▀▀ █▀▄   ▀█▀ █   █ ▀█▀ █▀▀ ▀█▀")
	out.waitFor(t, c, "█   █▀▀ █▀▀ ▀█▀       █▀▄ █▀▀ █▀█    ▀█   █ ▀▀█")
	out.waitFor(t, c, "LEFT SIDE")
	out.waitFor(t, c, "HOLD")
	for _, want := range []string{"Exercise 1 of 1", "rep 1 of 2", "Turn to the left.", "of 6 s", "space pause"} {
		out.waitFor(t, c, want)
	}
	// The large countdown beside its label: the fourth row of a 6 (or 8),
	// and later that of an odd number, as the hold counts down.
	out.waitFor(t, c, "of 6 s  █ █")
	out.waitFor(t, c, "of 6 s    █")

	mark := out.Len()
	master.Write([]byte(" "))
	out.waitFrom(t, c, mark, "PAUSED")
	out.waitFrom(t, c, mark, "space resume")
	mark = out.Len()
	master.Write([]byte(" "))
	out.waitFrom(t, c, mark, "space pause")

	// Smaller: the terminal says so with SIGWINCH, and the layout follows.
	if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 12, Col: 40}); err != nil {
		t.Fatal(err)
	}
	mark = out.Len()
	c.cmd.Process.Signal(syscall.SIGWINCH)
	out.waitMatch(t, c, mark, regexp.MustCompile(`▕[█░]{5,30}▏ \d+:\d\d left`)) // a bar of a narrow screen

	master.Write([]byte("q"))
	c.wait(t, 30*time.Second)
	if c.code != 0 {
		t.Errorf("exit %d\nstderr:\n%s", c.code, c.stderr)
	}
	time.Sleep(50 * time.Millisecond)
	screen := out.String()
	if strings.Contains(screen, "\x1b[38;5;") || strings.Contains(screen, "\x1b[1m") {
		t.Error("colour or bold under NO_COLOR")
	}
	last := screen[strings.LastIndex(screen, "\x1b[?1049l"):]
	want := "; resume with: routinecast play " + routine + " --level gentle --voice " + voice + " --from 2"
	if !strings.Contains(last, want) {
		t.Errorf("closing line %q lacks %q", last, want)
	}
}

// ptyOutput collects what a child writes to its terminal, as bytes and as
// the screen a terminal shows for them: a renderer that redraws only the
// cells that changed never writes a changed row whole.
type ptyOutput struct {
	syncBuffer
	mu  sync.Mutex
	emu *vt.Emulator
}

func readPTY(master *os.File) *ptyOutput {
	out := &ptyOutput{emu: vt.NewEmulator(90, 30)}
	go io.Copy(io.Discard, out.emu) // its answers to queries: the child gets none
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			out.Write(buf[:n])
			out.mu.Lock()
			out.emu.Write(buf[:n])
			out.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return out
}

func (o *ptyOutput) Len() int { return len(o.String()) }

// screen is the text the terminal shows now.
func (o *ptyOutput) screen() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.emu.String()
}

// waitFor waits until the terminal has shown s.
func (o *ptyOutput) waitFor(t *testing.T, c *playChild, s string) { t.Helper(); o.waitFrom(t, c, 0, s) }

// waitMatch waits until the terminal has shown a match of re after the first
// from bytes, in them or on its screen.
func (o *ptyOutput) waitMatch(t *testing.T, c *playChild, from int, re *regexp.Regexp) {
	t.Helper()
	o.waitUntil(t, c, from, re.String(), re.MatchString)
}

// waitFrom waits until the terminal has shown s after the first from bytes,
// in them or on its screen.
func (o *ptyOutput) waitFrom(t *testing.T, c *playChild, from int, s string) {
	t.Helper()
	o.waitUntil(t, c, from, strconv.Quote(s), func(text string) bool { return strings.Contains(text, s) })
}

func (o *ptyOutput) waitUntil(t *testing.T, c *playChild, from int, what string, shown func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		raw := o.String()[from:]
		if shown(raw) || raw != "" && shown(o.screen()) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %s:\n%q\nscreen:\n%s\nstderr:\n%s", what, raw, o.screen(), c.stderr)
		}
		time.Sleep(10 * time.Millisecond)
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

// TestPlayStalledOutput freezes the sound server (SIGSTOP) while play plays
// off a terminal: the device then takes no sound and reports nothing. play
// must notice, and exit 1 within 5 s with a message that says so and gives
// the command that resumes where the sound stopped.
func TestPlayStalledOutput(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	c := startPlay(t, srv.Env(), "play", routine, "--voice", voice)
	c.waitOutput(t, "Hello there.")
	time.Sleep(300 * time.Millisecond)
	if err := srv.Freeze(); err != nil {
		t.Fatal(err)
	}
	frozen := time.Now()
	c.wait(t, 30*time.Second)
	took := time.Since(frozen)
	srv.Thaw()
	errs := c.stderr.String()
	t.Logf("exit %d %v after the freeze; stderr:\n%s", c.code, took.Round(time.Millisecond), errs)
	if c.code != 1 {
		t.Errorf("exit %d, want 1", c.code)
	}
	if limit := 5*time.Second + raceSlack; took > limit {
		t.Errorf("play took %v to notice the frozen server, want within %v", took.Round(time.Millisecond), limit)
	}
	resume := "resume with: routinecast play " + routine + " --voice " + voice + " --from 1"
	for _, want := range []string{"audio output stopped taking sound", resume} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if out := c.stdout.String(); !strings.Contains(out, "Neck (standard): stopped at ") {
		t.Errorf("no closing line on stdout:\n%s", out)
	}
}

// TestPlaySignalsOffTerminal stops play, reading keys from a pipe and writing
// plain lines, with SIGINT and SIGTERM: it exits 130 as README says of an
// interrupted command, after its closing line with the resume command.
func TestPlaySignalsOffTerminal(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			c := startPlay(t, srv.Env(), "play", routine, "--voice", voice)
			c.waitOutput(t, "Hello there.")
			c.cmd.Process.Signal(sig)
			c.wait(t, 30*time.Second)
			if c.code != 130 {
				t.Errorf("exit %d, want 130\nstderr:\n%s", c.code, c.stderr)
			}
			want := "Neck (standard): stopped at "
			if out := c.stdout.String(); !strings.Contains(out, want) || !strings.Contains(out, "; resume with: routinecast play "+routine+" --voice "+voice+" --from 1\n") {
				t.Errorf("stdout lacks the closing line with its resume command:\n%s", out)
			}
		})
	}
}

// TestPlayDumbTerminal plays on a terminal whose TERM is dumb (Emacs' shell,
// a serial console): it cannot move its cursor, so play prints the plain
// lines, with no escape sequence, leaves the terminal cooked (keys are typed
// as lines, echoed), and q and Enter quit.
func TestPlayDumbTerminal(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	master, slave := openPTY(t)
	before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	c := startPlayOn(t, append(srv.Env(), "TERM=dumb", "CI="), slave, "play", routine, "--voice", voice)
	out := readPTY(master)
	out.waitFor(t, c, "Hello there.")
	during, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if during.Lflag != before.Lflag || during.Oflag != before.Oflag {
		t.Errorf("the terminal's modes changed while playing: lflag %#x, oflag %#x; before %#x, %#x", during.Lflag, during.Oflag, before.Lflag, before.Oflag)
	}
	master.Write([]byte("q\n"))
	c.wait(t, 30*time.Second)
	if c.code != 0 {
		t.Errorf("exit %d, want 0\nstderr:\n%s", c.code, c.stderr)
	}
	time.Sleep(50 * time.Millisecond) // let the reader drain
	got := out.String()
	if i := strings.IndexByte(got, 0x1b); i >= 0 {
		t.Errorf("an escape sequence reached the dumb terminal: %q", got[i:min(len(got), i+20)])
	}
	// Each line returns to the margin: the terminal's own \r\n.
	for _, want := range []string{"Neck (standard), ", "\r\n0:00 chapter 1/", "Hello there.\r\n", "Neck (standard): stopped at "} {
		if !strings.Contains(got, want) {
			t.Errorf("the terminal lacks %q:\n%q", want, got)
		}
	}
}
