package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// longRoutine says only lines the embedded voice has, and lasts 20 minutes:
// at 16 kHz it renders in a second or two.
const longRoutine = `title: Long
exercises:
  - name: Bridge
    steps:
      - Lower back down.
      - hold: 10m
      - Lower back down.
      - hold: 10m
`

// writing reports whether process pid has begun writing the export's file
// (its temporary file beside path has bytes in it).
func writing(dir, path string, pid int) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+path+".tmp-"+strconv.Itoa(pid)+"-") {
			if info, err := e.Info(); err == nil && info.Size() > 0 {
				return true
			}
		}
	}
	return false
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s in a minute", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestConcurrentExportsToOneFile: two exports to one file, both rendering
// at once: one writes it and says so, the other says it was superseded and
// exits 1; the file is the winner's, whole.
func TestConcurrentExportsToOneFile(t *testing.T) {
	dir := t.TempDir()
	testtool.WriteFile(t, filepath.Join(dir, "long.yaml"), longRoutine)
	args := []string{"export", "long.yaml", "-o", "same.mp3", "--sample-rate", "16000"}
	first, firstErr := startIn(t, dir, "", args...)
	// The first is held while the second starts, so that both are writing
	// before either ends.
	waitFor(t, "first export writing", func() bool { return writing(dir, "same.mp3", first.Process.Pid) })
	first.Process.Signal(syscall.SIGSTOP)
	second, secondErr := startIn(t, dir, "", args...)
	waitFor(t, "second export writing", func() bool { return writing(dir, "same.mp3", second.Process.Pid) })
	first.Process.Signal(syscall.SIGCONT)
	codes := []int{exitCode(t, first), exitCode(t, second)}
	stderrs := []string{firstErr.String(), secondErr.String()}
	wrote := 0
	for i, code := range codes {
		said := strings.Contains(stderrs[i], "wrote same.mp3")
		switch {
		case code == 0 && said:
			wrote++
		case code == 1 && !said && strings.Contains(stderrs[i], "same.mp3 was replaced by another writer"):
		default:
			t.Errorf("export %d: exit %d\n%s", i+1, code, stderrs[i])
		}
	}
	if wrote != 1 {
		t.Errorf("%d exports say they wrote same.mp3, want 1", wrote)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %v, want long.yaml and same.mp3", entries)
	}
	if st, err := os.Stat(filepath.Join(dir, "same.mp3")); err != nil || st.Size() < 1<<20 {
		t.Errorf("same.mp3: %v, %v", st, err)
	}
}

func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("an export did not finish in 2 minutes")
	}
	return cmd.ProcessState.ExitCode()
}

// TestSidecarCheckedBeforeRendering: export --level full over an earlier
// gentle export, with its chapters in a folder now read-only, exits 2
// before rendering, and the earlier MP3, transcript and chapters are left
// as they were, together.
func TestSidecarCheckedBeforeRendering(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root writes into read-only folders: the export package's test covers the case with a folder in the way")
	}
	dir := t.TempDir()
	testtool.WriteFile(t, filepath.Join(dir, "long.yaml"), longRoutine)
	ro := filepath.Join(dir, "RO")
	os.Mkdir(ro, 0o755)
	common := []string{"long.yaml", "-o", "a.mp3", "--sample-rate", "16000", "--transcript", "a.vtt", "--chapters", "RO/a.json"}
	if r := runIn(t, dir, "", append([]string{"export", "--level", "gentle"}, common...)...); r.code != 0 {
		t.Fatalf("gentle export: exit %d\n%s", r.code, r.stderr)
	}
	before := map[string]string{}
	for _, f := range []string{"a.mp3", "a.vtt", "RO/a.json"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		before[f] = string(b)
	}
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	r := runIn(t, dir, "", append([]string{"export", "--level", "full"}, common...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "--chapters RO/a.json") || strings.Contains(r.stderr, "rendering") {
		t.Errorf("full export into a read-only folder: exit %d\n%s", r.code, r.stderr)
	}
	for f, b := range before {
		if now, _ := os.ReadFile(filepath.Join(dir, f)); string(now) != b {
			t.Errorf("%s changed", f)
		}
	}
}
