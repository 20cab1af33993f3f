package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A temporary name carries the process that made it: PREFIX + PID + "-" +
// random. A run killed with SIGKILL cannot remove its temporaries; the next
// run of the same kind removes those whose owner is gone, which only the
// PID in the name can tell.

// runStart is when this process started, near enough: a temporary made
// after it may belong to a process that has just started and whose PID was
// reused, so only older ones are removed.
var runStart = time.Now()

// tempPrefix is the start of a temporary name of this process.
func tempPrefix(prefix string) string {
	return prefix + strconv.Itoa(os.Getpid()) + "-"
}

// MkdirTemp makes a new temporary folder in dir (os.TempDir() when dir is
// "") named prefix, this process's ID, "-" and a random part, after
// removing the folders and files of that prefix that a killed run left
// there (see RemoveStale).
func MkdirTemp(dir, prefix string) (string, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	RemoveStale(dir, prefix)
	return os.MkdirTemp(dir, tempPrefix(prefix)+"*")
}

// cleaned remembers the folders and prefixes already cleaned by this
// process, so that writing many files to one folder reads it once.
var cleaned sync.Map

// RemoveStale removes, from dir, the files and folders named prefix + PID +
// "-" + anything whose process is gone and which are older than this run.
// It returns how many it removed. Errors are ignored: a leftover that cannot
// be removed now is no worse than before.
func RemoveStale(dir, prefix string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(runStart) {
			continue
		}
		if os.RemoveAll(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

// removeStaleOnce is RemoveStale for the temporaries of Create in dir
// (".NAME.tmp-PID-*" for any NAME), done once per folder per process.
func removeStaleOnce(dir string) {
	if _, done := cleaned.LoadOrStore(dir, true); done {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefixes := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if i := strings.LastIndex(name, ".tmp-"); i > 0 && name[0] == '.' {
			prefixes[name[:i+len(".tmp-")]] = true
		}
	}
	for p := range prefixes {
		RemoveStale(dir, p)
	}
}
