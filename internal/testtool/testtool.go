// Package testtool holds what the tests of many packages need: it finds the
// external programs they use and decides whether a missing one skips the
// test or fails it, runs those programs with a timeout (ffmpeg to decode
// and to measure loudness), compares golden files, drains and feeds
// beep streams, writes WAV inputs and files, and fetches over HTTP.
//
// It imports nothing of routinecast's, so that any package's internal tests
// can use it; below it, package chromium drives a browser and package
// routinetest expands the built-in routines.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Required reports whether tests must fail, not skip, when a tool is missing.
// CI sets ROUTINECAST_REQUIRE_TOOLS=1 after installing every tool.
func Required() bool { return os.Getenv("ROUTINECAST_REQUIRE_TOOLS") == "1" }

// Require returns the path of program name, or skips the test when it is not
// installed (fails it when ROUTINECAST_REQUIRE_TOOLS=1).
func Require(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if Required() {
		tb.Fatalf("%s is not installed, and ROUTINECAST_REQUIRE_TOOLS=1 requires it", name)
	}
	tb.Skipf("%s is not installed; skipping (set ROUTINECAST_REQUIRE_TOOLS=1 to fail instead)", name)
	return ""
}
