//go:build unix

package narration

import (
	"os/exec"
	"syscall"
)

// killGroup makes a timeout kill the program and everything it started:
// an engine may be a script or wrapper that starts other programs.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
