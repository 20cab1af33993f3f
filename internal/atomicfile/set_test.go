package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A set replaces all its targets on Commit, and leaves no temporary files.
func TestSetCommitsTogether(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.mp3"), filepath.Join(dir, "a.vtt")
	os.WriteFile(a, []byte("old audio"), 0o644)
	s, err := CreateSet(a, b)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.File(0).WriteString("new audio")
	s.File(1).WriteString("new vtt")
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if readString(t, a) != "new audio" || readString(t, b) != "new vtt" {
		t.Errorf("after Commit: %q, %q", readString(t, a), readString(t, b))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files in the folder, want 2", len(entries))
	}
}

// A target that cannot be written (read-only folder, a folder in its place,
// a device) fails CreateSet, before any work, and nothing is left behind.
func TestSetRefusesUnwritableTargets(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o755)
	os.Mkdir(filepath.Join(dir, "folder.vtt"), 0o755)
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	ok := filepath.Join(dir, "a.mp3")
	for name, p := range map[string]string{"read-only folder": filepath.Join(ro, "a.json"), "a folder": filepath.Join(dir, "folder.vtt"), "a device": "/dev/null", "no folder": filepath.Join(dir, "gone", "a.json")} {
		if os.Getuid() == 0 && name == "read-only folder" {
			continue // root writes anywhere
		}
		if err := CheckTargets(ok, p); err == nil {
			t.Errorf("%s: %s accepted", name, p)
		}
	}
	var nr *NotRegularError
	if err := CheckTargets("/dev/null"); !errors.As(err, &nr) {
		t.Errorf("/dev/null: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left behind: %v", entries)
	}
}

// Two sets writing the same target at once: the first to commit wins, the
// second is told it was superseded, and the target holds the first's file
// whole.
func TestSetSuperseded(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "same.mp3")
	for _, existing := range []bool{false, true} {
		if existing {
			os.WriteFile(p, []byte("earlier"), 0o644)
		}
		first, err := CreateSet(p)
		if err != nil {
			t.Fatal(err)
		}
		second, err := CreateSet(p)
		if err != nil {
			t.Fatal(err)
		}
		first.File(0).WriteString("first")
		second.File(0).WriteString("second")
		if err := first.Commit(); err != nil {
			t.Fatal(err)
		}
		err = second.Commit()
		var se *SupersededError
		if !errors.Is(err, ErrSuperseded) || !errors.As(err, &se) || se.Path != p {
			t.Errorf("existing %v: the second commit: %v", existing, err)
		}
		if got := readString(t, p); got != "first" {
			t.Errorf("existing %v: target holds %q", existing, got)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("existing %v: files left: %v", existing, entries)
		}
		os.Remove(p)
	}
}

// Many sets committing at once to one target: exactly one wins.
func TestSetSupersededRace(t *testing.T) {
	p := filepath.Join(t.TempDir(), "same.mp3")
	const n = 8
	sets := make([]*Set, n)
	for i := range sets {
		s, err := CreateSet(p)
		if err != nil {
			t.Fatal(err)
		}
		s.File(0).WriteString("x")
		sets[i] = s
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, s := range sets {
		wg.Go(func() { errs[i] = s.Commit() })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrSuperseded):
			t.Error(err)
		}
	}
	if won != 1 {
		t.Errorf("%d commits won, want 1", won)
	}
}
