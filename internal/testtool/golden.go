package testtool

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden compares got with the golden file at path, or rewrites the file
// when update is set (each package owns its -update flag, so that this
// package registers none). A difference fails the test, naming the first
// line that differs.
func Golden(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to write it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	at := min(len(gl), len(wl))
	for i := range at {
		if gl[i] != wl[i] {
			at = i
			break
		}
	}
	line := func(l []string) string {
		if at < len(l) {
			return l[at]
		}
		return "(end of file)"
	}
	tb.Errorf("%s differs at line %d (run go test -update if the change is right):\n got %s\nwant %s\nwhole output:\n%s",
		path, at+1, line(gl), line(wl), got)
}
