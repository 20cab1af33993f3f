package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/narration"
)

// These tests run the built program as a user would, with real special files
// and real signals, and check its exit codes and messages.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "routinecast-main-test-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "routinecast")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type run struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runIn runs the program in dir with TMPDIR set to tmp (when not empty),
// bounded so that a hang fails the test instead of stalling it.
func runIn(t *testing.T, dir, tmp string, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	if tmp != "" {
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := run{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("routinecast %v did not finish in 2 minutes", args)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// startIn starts the program in dir as runIn runs it, and returns it with what
// it writes to stderr.
func startIn(t *testing.T, dir, tmp string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	if tmp != "" {
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &errb
}

// interrupt sends a started program SIGINT, as Ctrl-C does, and returns its
// exit code; it must exit within 30 s.
func interrupt(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no exit 30 s after SIGINT")
	}
	return cmd.ProcessState.ExitCode()
}

const routineYAML = `title: Signals
exercises:
  - name: First
    steps:
      - Lift one arm.
      - Lower it slowly.
      - Lift the other arm.
      - Lower that one too.
      - Hang on here.
`

// voiceWith makes a voice folder whose command engine runs the shell script.
func voiceWith(t *testing.T, dir, script string) string {
	t.Helper()
	v := filepath.Join(dir, "voice")
	_, err := narration.Create(v, narration.Manifest{Name: "fake", Language: "en",
		Engine: narration.EngineSpec{Name: "command", Command: []string{"/bin/sh", "-c", script, "{out}", "{text}"}}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func clipCount(t *testing.T, voice string) int {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(voice, "*.wav"))
	return len(m)
}

// TestEngineExitStatusDoesNotLeak: an engine that exits 3, or crashes, makes
// routinecast exit 1, with a message naming the engine, the line and what
// the engine printed.
func TestEngineExitStatusDoesNotLeak(t *testing.T) {
	for _, tc := range []struct {
		name, script, want string
	}{
		{"exit 3", `echo "fake engine: out of cheese" >&2; exit 3`, `failed: exit status 3: fake engine: out of cheese`},
		{"crash", `echo "fake engine: about to crash" >&2; kill -SEGV $$`, `failed: signal: segmentation fault: fake engine: about to crash`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testtool.WriteFile(t, filepath.Join(dir, "r.yaml"), routineYAML)
			voice := voiceWith(t, dir, tc.script)
			r := runIn(t, dir, "", "voice", "render", "r.yaml", "--voice", voice, "--jobs", "1")
			if r.code != 1 {
				t.Errorf("exit code %d, want 1\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, `narration: line "Signals.": command: /bin/sh `+tc.want) && !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, r.stderr)
			}
			if !strings.Contains(r.stderr, `line "`) || !strings.Contains(r.stderr, "command: /bin/sh") {
				t.Errorf("stderr does not name the line and the engine:\n%s", r.stderr)
			}
			if n := clipCount(t, voice); n != 0 {
				t.Errorf("%d clips cached", n)
			}
		})
	}
}

// TestInterruptedRenderSaysWhatItKept sends a real SIGINT to a voice render
// whose engine hangs on the last line: exit 130, and the message counts the
// clips kept, which are in the folder.
func TestInterruptedRenderSaysWhatItKept(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	tone := filepath.Join(dir, "tone.wav")
	testtool.WriteWAV(t, tone, 16000, 1, testtool.Sawtooth(8000, 40, 0.3)) // for the fake engine to copy
	testtool.WriteFile(t, filepath.Join(dir, "r.yaml"), routineYAML)
	voice := voiceWith(t, dir, `case "$1" in *Hang*) exec sleep 60;; esac; cp `+tone+` "$0"`)
	cmd, errb := startIn(t, dir, tmp, "voice", "render", "r.yaml", "--voice", voice, "--jobs", "1")
	deadline := time.Now().Add(time.Minute)
	for clipCount(t, voice) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// The hanging line is the last of the routine's but one (the closing
	// line follows); give the render time to reach it.
	time.Sleep(500 * time.Millisecond)
	if code := interrupt(t, cmd); code != 130 {
		t.Errorf("exit code %d, want 130\n%s", code, errb.String())
	}
	n := clipCount(t, voice)
	want := "routinecast: interrupted; kept " + itoa(n) + " clips rendered before the interrupt in " + voice + "; run it again to finish"
	if n == 0 || !strings.Contains(errb.String(), want) {
		t.Errorf("stderr:\n%s\nwant %q (%d clips in the folder)", errb.String(), want, n)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the interrupted render left %d entries in TMPDIR", len(left))
	}
}

// TestKilledRenderScratchRemovedByNextRun kills a render with SIGKILL: its
// scratch folder stays in TMPDIR until the next render, which removes it.
func TestKilledRenderScratchRemovedByNextRun(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	testtool.WriteFile(t, filepath.Join(dir, "r.yaml"), routineYAML)
	voice := voiceWith(t, dir, `exec sleep 60`)
	cmd, _ := startIn(t, dir, tmp, "voice", "render", "r.yaml", "--voice", voice, "--jobs", "1")
	var left []os.DirEntry
	for deadline := time.Now().Add(time.Minute); len(left) == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		left, _ = os.ReadDir(tmp)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	// The killed run's engine (sleep) is in its own process group and
	// lives on; it holds nothing in the folder.
	if len(left) != 1 || !strings.HasPrefix(left[0].Name(), "routinecast-render-"+itoa(cmd.Process.Pid)+"-") {
		t.Fatalf("TMPDIR holds %v, want the killed run's scratch folder", left)
	}
	r := runIn(t, dir, tmp, "voice", "render", "r.yaml", "--voice", voice, "--timeout", "1s")
	if r.code != 1 || !strings.Contains(r.stderr, "did not finish in time") {
		t.Errorf("second run: exit %d\n%s", r.code, r.stderr)
	}
	if after, _ := os.ReadDir(tmp); len(after) != 0 {
		t.Errorf("TMPDIR still holds %v", after)
	}
}

// TestInterruptedExportWritesNothing: SIGINT during an export exits 130 and
// says nothing was written, which is so.
func TestInterruptedExportWritesNothing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), nil, 0o644)
	// The full level of the built-in routine renders for tens of seconds.
	cmd, errb := startIn(t, dir, "", "export", "lower-back", "--level", "full", "-o", "out.mp3")
	time.Sleep(time.Second)
	if code := interrupt(t, cmd); code != 130 {
		t.Fatalf("exit code %d, want 130\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "routinecast: interrupted; nothing was written\n") {
		t.Errorf("stderr:\n%s", errb.String())
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("the folder holds %v, want only what was there", left)
	}
}

// TestSpecialFilesAreBadInput names devices, FIFOs and folders where files
// belong: exit 2 at once, naming the file (and the field's place in a pack).
func TestSpecialFilesAreBadInput(t *testing.T) {
	dir := t.TempDir()
	testtool.Mkfifo(t, filepath.Join(dir, "pipe.yaml"))
	pack := "title: T\nauthor: A\ndescription: D\ncover: /dev/zero\nbase_url: https://example.org/p/\ncategories: [Education]\nepisodes:\n  - routine: /dev/zero\n    published: 2026-01-05\n  - routine: pipe.yaml\n    published: 2026-01-06\n"
	testtool.WriteFile(t, filepath.Join(dir, "pack.yaml"), pack)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"validate", "/dev/zero"}, []string{"/dev/zero: is a character device, not a routine file"}},
		{[]string{"show", "pipe.yaml"}, []string{"pipe.yaml: is a FIFO (named pipe), not a routine file"}},
		{[]string{"export", "pipe.yaml", "-o", "x.mp3"}, []string{"pipe.yaml: is a FIFO (named pipe), not a routine file"}},
		{[]string{"validate", "."}, []string{".: is a folder, not a routine file"}},
		{[]string{"export", "lower-back", "-o", "x.mp3", "--cover", "/dev/zero"}, []string{"export: cover: /dev/zero: it is a character device, not a regular file"}},
		{[]string{"export", "lower-back", "-o", "x.mp3", "--music", "pipe.yaml"}, []string{"pipe.yaml: it is a FIFO (named pipe), not a regular file"}},
		{[]string{"pack", "validate", "pack.yaml"}, []string{
			"pack.yaml:4:8: cover: /dev/zero is a character device, not an image",
			"pack.yaml:8:14: episode 1: routine: /dev/zero: is a character device, not a routine file",
			"pack.yaml:10:14: episode 2: routine: pipe.yaml: is a FIFO (named pipe), not a routine file",
		}},
		{[]string{"pack", "build", "pack.yaml", "-o", "site"}, []string{"pack.yaml:8:14: episode 1: routine: /dev/zero"}},
	} {
		r := runIn(t, dir, "", tc.args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", tc.args, r.code, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr does not say %q:\n%s", tc.args, w, r.stderr)
			}
		}
		if r.took > 20*time.Second { // a hang or a read of /dev/zero, not slowness
			t.Errorf("%v took %v", tc.args, r.took)
		}
	}
}

// TestNoControlSequenceFromAFile: a routine whose text carries terminal
// escapes and bidi controls, raw or as YAML escapes, is refused with its
// places, and neither output carries a control character.
func TestNoControlSequenceFromAFile(t *testing.T) {
	dir := t.TempDir()
	src := "title: \"Clear\\e[2J\"\nexercises:\n  - name: Arm\x1b[0m raise\x07\n    steps:\n      - \"Lift \\u202eright\"\n"
	testtool.WriteFile(t, filepath.Join(dir, "evil.yaml"), src)
	for _, args := range [][]string{{"show", "evil.yaml"}, {"validate", "evil.yaml"}, {"export", "evil.yaml", "-o", "x.mp3"}} {
		r := runIn(t, dir, "", args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
		for _, b := range []byte(r.stdout + r.stderr) {
			if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f {
				t.Errorf("%v: output holds control byte %#x:\n%q", args, b, r.stdout+r.stderr)
				break
			}
		}
		if strings.Contains(r.stdout+r.stderr, "\u202e") {
			t.Errorf("%v: output holds a bidi override", args)
		}
		if !strings.Contains(r.stderr, "evil.yaml:1:8: title: ESC (U+001B)") || !strings.Contains(r.stderr, "steps: bidirectional control U+202E") {
			t.Errorf("%v: stderr does not give the escaped controls:\n%s", args, r.stderr)
		}
		if !strings.Contains(r.stderr, "evil.yaml:3:14: ESC (U+001B)") || !strings.Contains(r.stderr, "evil.yaml:3:24: control character U+0007") {
			t.Errorf("%v: stderr does not place the raw controls:\n%s", args, r.stderr)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestImportOfA24kHzFLACIsQuiet: recordings at any rate import without the
// FLAC decoder's notes reaching the terminal.
func TestImportOfA24kHzFLACIsQuiet(t *testing.T) {
	ffmpeg := testtool.Require(t, "ffmpeg")
	dir := t.TempDir()
	routine := testtool.WriteFile(t, filepath.Join(dir, "r.yaml"), "title: Quiet\nintro: [Breathe in slowly.]\nexercises:\n  - name: Rest\n    steps: [Rest.]\n")
	sheet := runIn(t, dir, "", "voice", "script", routine, "--csv", "-", "--markdown", filepath.Join(dir, "sheet.md"))
	var file string
	for _, row := range strings.Split(sheet.stdout, "\n") {
		if f := strings.Split(row, ","); len(f) > 2 && f[2] == "Breathe in slowly." {
			file = strings.TrimSuffix(f[1], filepath.Ext(f[1])) + ".flac"
		}
	}
	if file == "" {
		t.Fatalf("the recording sheet names no file for the line:\n%s", sheet.stdout)
	}
	recs := filepath.Join(dir, "recs")
	os.Mkdir(recs, 0o755)
	testtool.Output(t, ffmpeg, "-v", "error", "-f", "lavfi", "-i", "sine=f=300:d=3", "-af", "volume=0.3",
		"-ar", "24000", "-ac", "1", filepath.Join(recs, file))
	r := runIn(t, dir, "", "voice", "import", recs, "--voice", filepath.Join(dir, "v"), "--routine", routine)
	if r.code != 0 {
		t.Fatalf("import: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "frame.") || strings.Count(r.stderr, "\n") > 5 {
		t.Errorf("import of one 24 kHz FLAC printed:\n%s", r.stderr)
	}
}
