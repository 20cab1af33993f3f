package wasmhost

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The modules in testdata are built from the .wat files beside them with
// wabt's wat2wasm.
func compileTestdata(t *testing.T, name, cacheDir string) *Module {
	t.Helper()
	ctx := context.Background()
	r, err := newRuntime(ctx, cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(ctx) })
	m, err := compileWith(ctx, r, name, func() ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name+".wasm")) }, cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRunExitStatus(t *testing.T) {
	if err := compileTestdata(t, "ok", "").Run(context.Background(), RunOptions{}); err != nil {
		t.Errorf("a module returning from _start: %v, want nil", err)
	}
	err := compileTestdata(t, "exit7", "").Run(context.Background(), RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "exit7 exited with status 7") {
		t.Errorf("a module exiting 7: %v, want its status", err)
	}
}

// TestRunTimeout: an instance that outlives its context fails at once with
// DeadlineExceeded; the instance finishes on its own afterwards.
func TestRunTimeout(t *testing.T) {
	m := compileTestdata(t, "spin", "")
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := m.Run(ctx, RunOptions{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "spin did not finish in time") {
		t.Fatalf("a module that never ends: %v, want a timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Run returned %v after the deadline of 50ms", d)
	}
	deadline := time.Now().Add(60 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines a minute after the timed-out run, %d before: the instance never ended", n, before)
	}
}

// TestDamagedCacheIsRebuilt: a compilation cache entry that does not load
// is deleted and the module compiled again, and the cache works after.
func TestDamagedCacheIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	compileTestdata(t, "exit7", dir) // fills the cache
	var entries []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			entries = append(entries, p)
		}
		return nil
	})
	if len(entries) == 0 {
		t.Fatal("compiling wrote nothing into the cache")
	}
	for _, p := range entries {
		if err := os.WriteFile(p, []byte("WAZEVO damaged"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	m := compileTestdata(t, "exit7", dir)
	if err := m.Run(context.Background(), RunOptions{}); err == nil || !strings.Contains(err.Error(), "status 7") {
		t.Errorf("after a damaged cache: %v, want the module to run (status 7)", err)
	}
	for _, p := range entries {
		if b, err := os.ReadFile(p); err == nil && string(b) == "WAZEVO damaged" {
			t.Errorf("%s is still the damaged entry", p)
		}
	}
}
