package testtool

import (
	"bytes"
	"context"
	"os/exec"
	"testing"
	"time"
)

// timeout bounds every program a test runs: a tool that hangs fails the
// test instead of holding it until go test's own deadline.
const timeout = 5 * time.Minute

// Run runs a program (found with Require, or the test binary itself) with
// argv and a timeout, and returns what it wrote to stdout and stderr. The
// error is the program's; the caller decides what failure means.
func Run(tb testing.TB, name string, args ...string) (stdout, stderr []byte, err error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), timeout)
	defer cancel()
	var o, e bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// Output runs a program as Run does and returns its stdout, failing the test
// with its stderr when it does not succeed.
func Output(tb testing.TB, name string, args ...string) []byte {
	tb.Helper()
	out, stderr, err := Run(tb, name, args...)
	if err != nil {
		tb.Fatalf("%s %q: %v\n%s", name, args, err, stderr)
	}
	return out
}
