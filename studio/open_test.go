package studio

import (
	"runtime"
	"testing"
)

// Without a display there is no browser to open: OpenBrowser says so at
// once instead of starting xdg-open, which would wait or fail later.
func TestOpenBrowserWithoutDisplay(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the desktop always has a display")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if err := OpenBrowser("http://127.0.0.1:1/"); err == nil || err.Error() != "no display" {
		t.Errorf("OpenBrowser without a display: %v", err)
	}
}
