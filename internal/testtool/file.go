package testtool

import (
	"os"
	"path/filepath"
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

// AddSeeds adds every file that the glob patterns match to a fuzz test's
// seed corpus. A pattern that matches nothing fails the test, so that a
// corpus cannot go missing unnoticed.
func AddSeeds(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil || len(paths) == 0 {
			f.Fatalf("no seed files match %s: %v", pattern, err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}
