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
