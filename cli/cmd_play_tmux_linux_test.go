package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"routinecast/internal/pulsetest"
	"routinecast/internal/testtool"
)

// TestPlayScreenInTmux plays a routine in a 100×30 tmux window and captures
// it while a line is said: the exercise's name and the side with the
// repetition are in large letters, and the line being said is on the
// screen in its own colour.
func TestPlayScreenInTmux(t *testing.T) {
	tmux := testtool.Require(t, "tmux")
	srv := pulsetest.Start(t)
	// Several lines a side, several repetitions: a busy machine may miss
	// one 0.8 s line between two captures, not all of them.
	routine, voice := playFixtureOf(t, talkativeTwistRoutine)
	dir := t.TempDir()
	sock, conf := filepath.Join(dir, "tmux.sock"), filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g default-terminal screen-256color\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args, _ := json.Marshal([]string{"play", routine, "--voice", voice, "--level", "gentle", "--from", "2"})
	env := append(srv.Env(), playHelperEnv+"=1", playArgsEnv+"="+string(args))
	// The server runs in the foreground (-D), as this test's child: it
	// needs no daemon, and goes with the test.
	server := exec.Command(tmux, "-D", "-S", sock, "-f", conf)
	server.Env = pulsetest.MergeEnv(os.Environ(), env...)
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		exec.Command(tmux, "-S", sock, "kill-server").Run()
		server.Process.Kill()
		server.Wait()
	})
	cmdline := []string{"-S", sock, "new-session", "-d", "-x", "100", "-y", "30"}
	for _, kv := range env {
		cmdline = append(cmdline, "-e", kv)
	}
	cmdline = append(cmdline, os.Args[0], "-test.run=^TestPlayHelperProcess$")
	var err error
	for i := 0; i < 50; i++ { // until the server listens
		var out []byte
		if out, err = exec.Command(tmux, cmdline...).CombinedOutput(); err == nil {
			break
		}
		err = fmt.Errorf("%w: %s", err, out)
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("tmux new-session: %v", err)
	}

	capture := func(escapes bool) string {
		a := []string{"-S", sock, "capture-pane", "-p", "-t", "0"}
		if escapes {
			a = append(a, "-e")
		}
		out, _ := exec.Command(tmux, a...).Output()
		return string(out)
	}
	name := "█▀▀ █▀▀ ▄▀▄ ▀█▀ █▀▀ █▀▄   ▀█▀ █   █ ▀█▀ █▀▀ ▀█▀" // "SEATED TWIST", first row
	saying := regexp.MustCompile(`\x1b\[[0-9;]*38;5;229m([^\x1b]*[A-Za-z][^\x1b]*)`)
	deadline := time.Now().Add(40 * time.Second)
	for time.Now().Before(deadline) {
		coloured := capture(true)
		m := saying.FindStringSubmatch(coloured)
		if m != nil && strings.Contains(coloured, name) && strings.Contains(coloured, " SIDE ") {
			plain := capture(false)
			out := filepath.Join(screenDir(t), "play-tmux-100x30.txt")
			os.WriteFile(out, []byte(plain), 0o644)
			t.Logf("said %q; capture (%s):\n%s", strings.TrimSpace(m[1]), out, plain)
			if lines := strings.Split(strings.TrimRight(plain, "\n"), "\n"); len(lines) > 30 {
				t.Errorf("%d rows in a 30-row window", len(lines))
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no capture showed the large name and side during a spoken line; last:\n%s", capture(false))
}

// talkativeTwistRoutine writes a routine with three lines said on each
// side before its hold.
func talkativeTwistRoutine(t *testing.T, dir string) string {
	t.Helper()
	return testtool.WriteFile(t, filepath.Join(dir, "twist.yaml"), `title: Twist
language: en
intro:
  - Hello there.
exercises:
  - name: Seated twist
    sides: alternate
    reps: 6
    steps:
      - say: Turn to the {side}.
      - say: Keep your back tall.
      - say: Breathe out slowly.
      - hold: 3s
outro:
  - Well done, see you tomorrow.
`)
}

// screenDir is where screen captures are kept: $ROUTINECAST_SCREENSHOTS, or
// the test's temporary folder.
func screenDir(t *testing.T) string {
	if d := os.Getenv("ROUTINECAST_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}
