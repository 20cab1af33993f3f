package testtool

import (
	"path/filepath"
	"runtime"
	"testing"
)

// NoAudioOutput returns the environment under which a program finds no
// audio output: no PulseAudio (or PipeWire) server at PULSE_SERVER, and an
// ALSA configuration with no devices. How to hide every output is
// Linux-specific: elsewhere the test is skipped.
func NoAudioOutput(tb testing.TB) []string {
	tb.Helper()
	if runtime.GOOS != "linux" {
		tb.Skip("how to hide every output is Linux-specific")
	}
	dir := tb.TempDir()
	alsaConf := WriteFile(tb, filepath.Join(dir, "asound.conf"), "# no devices\n")
	return []string{
		"PULSE_SERVER=unix:" + filepath.Join(dir, "no-such-socket"),
		"XDG_RUNTIME_DIR=" + dir,
		"HOME=" + dir,
		"ALSA_CONFIG_PATH=" + alsaConf,
	}
}
