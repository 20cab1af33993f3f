//go:build linux

package cli

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCommandsLeaveTerminalAlone runs commands that have nothing to do with
// the play screen on a terminal that never answers a query: what reaches it
// is their own output, with no escape sequence (no ESC]11;? background query
// from a terminal library's init), and they take no longer than off a
// terminal, where a query's 5 s timeout would show.
func TestCommandsLeaveTerminalAlone(t *testing.T) {
	// Some terminal libraries take any CI variable to mean no terminal: the
	// child gets none.
	env := []string{"TERM=xterm-256color", "CI=", "COLORTERM=truecolor"}
	// list with its output to a pipe: what the terminal should show for it,
	// and how long a command takes without a terminal.
	piped := startPlay(t, env, "list")
	piped.stdin.Close()
	piped.wait(t, 30*time.Second)
	pipedTook := time.Since(piped.start)
	if piped.code != 0 || piped.stdout.String() == "" {
		t.Fatalf("list off a terminal: exit %d, output %q\nstderr:\n%s", piped.code, piped.stdout, piped.stderr)
	}
	tests := []struct {
		args   []string
		code   int
		stdout string // what the terminal shows, with its \r\n
		stderr string // part of it; "" for none
	}{
		{[]string{"list"}, 0, strings.ReplaceAll(piped.stdout.String(), "\n", "\r\n"), ""},
		{[]string{"export", "lower-back", "-o", "-"}, 2, "", "would write audio to the terminal"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			master, slave := openPTY(t)
			// The terminal is the child's controlling one, and it is in the
			// foreground there: a terminal library would query no other.
			c := newPlayChild(env, tc.args)
			c.cmd.Stdin, c.cmd.Stdout = slave, slave
			c.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
			c.launch(t)
			out := readPTY(master)
			c.wait(t, 30*time.Second)
			took := time.Since(c.start)
			if c.code != tc.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", c.code, tc.code, c.stderr)
			}
			if tc.stderr != "" && !strings.Contains(c.stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", c.stderr, tc.stderr)
			}
			// The reader may lag behind the child's exit.
			for deadline := time.Now().Add(5 * time.Second); out.Len() < len(tc.stdout) && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			if got := out.String(); got != tc.stdout {
				if i := strings.IndexByte(got, 0x1b); i >= 0 {
					t.Errorf("an escape sequence reached the terminal: %q", got[i:min(len(got), i+40)])
				}
				t.Errorf("the terminal showed %q, want only the command's output %q", got, tc.stdout)
			}
			// A query waiting for its answer takes 5 s; anything near that is one.
			if took > pipedTook+2500*time.Millisecond {
				t.Errorf("took %v on a terminal, list %v off one", took.Round(time.Millisecond), pipedTook.Round(time.Millisecond))
			}
		})
	}
}
