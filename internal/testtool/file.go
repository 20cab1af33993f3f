package testtool

import (
	"os"
	"testing"
)

// WriteFile writes content (a routine, a pack, a manifest) to path and
// returns path, failing the test when it cannot.
func WriteFile(tb testing.TB, path, content string) string {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Names lists the names in a folder, in order, failing the test when it
// cannot be read.
func Names(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}
