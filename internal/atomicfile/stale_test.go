package atomicfile

import (
	"bufio"
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

// TestMain lets the test binary be a run of a command: with
// ATOMICFILE_HELPER=leave it makes a temporary file and folder in
// ATOMICFILE_DIR and waits to be killed; with =clean it writes a file there
// and makes a temporary folder, as a later run would.
func TestMain(m *testing.M) {
	dir := os.Getenv("ATOMICFILE_DIR")
	switch os.Getenv("ATOMICFILE_HELPER") {
	case "leave":
		f, err := Create(filepath.Join(dir, "out.wav"))
		if err != nil {
			os.Exit(1)
		}
		f.WriteString("half")
		if _, err := MkdirTemp(dir, "routinecast-render-"); err != nil {
			os.Exit(1)
		}
		os.Stdout.WriteString("ready\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	case "clean":
		if err := Write(filepath.Join(dir, "done.txt"), func(f *File) error { _, err := f.WriteString("ok"); return err }); err != nil {
			os.Exit(1)
		}
		d, err := MkdirTemp(dir, "routinecast-render-")
		if err != nil {
			os.Exit(1)
		}
		os.Remove(d)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helper starts the test binary as a helper run and waits for it to be
// ready.
func helper(t *testing.T, dir, mode string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_HELPER="+mode, "ATOMICFILE_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
		cmd.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	return cmd
}

// TestKilledRunsLeftoversRemoved kills a run with a real SIGKILL, leaving its
// temporary file and folder; the next run removes them, and nothing else:
// not those of a run still going, not a newer file of a dead process's
// pattern, not other files.
func TestKilledRunsLeftoversRemoved(t *testing.T) {
	dir := t.TempDir()
	killed := helper(t, dir, "leave")
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	deadPid := killed.Process.Pid
	left := testtool.Names(t, dir)
	if len(left) != 2 {
		t.Fatalf("the killed run left %v, want a temporary file and folder", left)
	}

	alive := helper(t, dir, "leave")
	defer func() { alive.Process.Kill(); alive.Wait() }()

	// A name of the pattern, of a process that cannot exist (beyond Linux's
	// pid_max), but newer than any later run: it stays.
	future := filepath.Join(dir, ".out.wav.tmp-999999999-1")
	os.WriteFile(future, nil, 0o600)
	later := time.Now().Add(time.Hour)
	os.Chtimes(future, later, later)
	other := filepath.Join(dir, "routinecast-render-notapid")
	os.Mkdir(other, 0o700)

	clean := exec.Command(os.Args[0], "-test.run=^$")
	clean.Env = append(os.Environ(), "ATOMICFILE_HELPER=clean", "ATOMICFILE_DIR="+dir)
	if out, err := clean.CombinedOutput(); err != nil {
		t.Fatalf("cleaning run: %v %s", err, out)
	}

	got := testtool.Names(t, dir)
	for _, n := range got {
		if strings.Contains(n, "-"+itoa(deadPid)+"-") {
			t.Errorf("the killed run's %s is still there", n)
		}
	}
	var aliveOnes int
	for _, n := range got {
		if strings.Contains(n, "-"+itoa(alive.Process.Pid)+"-") {
			aliveOnes++
		}
	}
	if aliveOnes != 2 {
		t.Errorf("the running process's temporaries were touched: %v", got)
	}
	for _, keep := range []string{future, other, filepath.Join(dir, "done.txt")} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(keep), err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
