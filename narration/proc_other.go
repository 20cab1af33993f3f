//go:build !unix

package narration

import "os/exec"

// killGroup leaves the default: on timeout only the program itself is killed.
func killGroup(*exec.Cmd) {}
