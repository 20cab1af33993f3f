// Package wasmhost runs the speech engines that are built into routinecast as
// WebAssembly modules, with wazero (pure Go, no cgo), on every platform the
// program builds for.
//
// One runtime serves the whole process. A module is compiled once per process
// (see [Compile]); its machine code is kept in the user's cache folder, so
// later runs skip most of the compilation, and a cache entry that does not
// load (damaged, or written by another build) is deleted and compiled again.
// Every call gets an instance of its own (see [Module.Run] and
// [Module.Instantiate]), so lines render on every core at once, each with a
// bounded memory, and stops when its context ends: a line that outlives its
// timeout fails instead of hanging the render.
package wasmhost

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	goruntime "runtime"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// MemoryLimit bounds the memory of one instance, in bytes. Flite needs about
// 20 MB for its voices and a few MB a line; Pico under 10 MB.
const MemoryLimit = 256 << 20

const pageSize = 64 << 10

// CacheDir is where compiled modules are kept: a folder of the user's cache
// (see os.UserCacheDir), or "" when there is none. Tests point it elsewhere.
var CacheDir = func() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "routinecast", "wasm")
	}
	return ""
}

// runtime is the process's wazero runtime, made at the first Compile.
var rt struct {
	once sync.Once
	r    wazero.Runtime
	err  error
}

// newRuntime makes the runtime with the compilation cache at dir ("" keeps
// compiled code in memory only).
func newRuntime(ctx context.Context, dir string) (wazero.Runtime, error) {
	cfg := wazero.NewRuntimeConfig().
		WithDebugInfoEnabled(false).
		WithMemoryLimitPages(MemoryLimit / pageSize)
	cache := wazero.NewCompilationCache()
	if dir != "" {
		if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
			cache = c
		}
		// A cache folder that cannot be made costs time, not correctness.
	}
	r := wazero.NewRuntimeWithConfig(ctx, cfg.WithCompilationCache(cache))
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r); err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("wasmhost: %w", err)
	}
	return r, nil
}

func runtimeFor(ctx context.Context) (wazero.Runtime, error) {
	rt.once.Do(func() { rt.r, rt.err = newRuntime(context.WithoutCancel(ctx), CacheDir()) })
	return rt.r, rt.err
}

// Module is a compiled module, ready to be instantiated any number of times,
// from any number of goroutines.
type Module struct {
	name     string
	r        wazero.Runtime
	compiled wazero.CompiledModule
	memory   experimental.MemoryAllocator // nil: wazero's own
}

// Compile compiles the module that load returns, with the process's runtime
// and its compilation cache. name is used in error messages.
func Compile(ctx context.Context, name string, load func() ([]byte, error)) (*Module, error) {
	r, err := runtimeFor(ctx)
	if err != nil {
		return nil, err
	}
	return compileWith(ctx, r, name, load, CacheDir())
}

func compileWith(ctx context.Context, r wazero.Runtime, name string, load func() ([]byte, error), cacheDir string) (*Module, error) {
	code, err := load()
	if err != nil {
		return nil, fmt.Errorf("wasmhost: %s: %w", name, err)
	}
	code, image, err := liftData(code, liftsData)
	if err != nil {
		return nil, fmt.Errorf("wasmhost: %s: %w", name, err)
	}
	var memory experimental.MemoryAllocator
	if liftsData {
		if memory, err = newAllocator(image); err != nil {
			return nil, fmt.Errorf("wasmhost: %s: %w", name, err)
		}
	}
	// Functions are compiled on every core: a first run waits for it.
	ctx = experimental.WithCompilationWorkers(ctx, goruntime.NumCPU())
	compiled, err := r.CompileModule(ctx, code)
	if err != nil && cacheDir != "" {
		// The cache entry did not load: the module itself compiled in
		// tests, so it is the cache. Start it again, on its own runtime.
		if rerr := os.RemoveAll(cacheDir); rerr != nil {
			return nil, fmt.Errorf("wasmhost: %s: the compilation cache %s is damaged and cannot be removed: %w", name, cacheDir, rerr)
		}
		fresh, ferr := newRuntime(ctx, cacheDir)
		if ferr != nil {
			return nil, ferr
		}
		r = fresh
		compiled, err = r.CompileModule(ctx, code)
	}
	if err != nil {
		return nil, fmt.Errorf("wasmhost: %s: %w", name, err)
	}
	return &Module{name: name, r: r, compiled: compiled, memory: memory}, nil
}

// RunOptions are a command module's arguments and files.
type RunOptions struct {
	Args []string
	// Mounts maps guest folders ("/out") to host folders.
	Mounts map[string]string
	// Output, when set, receives the module's standard output; else it is
	// kept with standard error for the error message.
	Output io.Writer
}

// outputLimit bounds what is kept of a module's messages.
const outputLimit = 2000

// Run runs a WASI command module once, as its command line would, in an
// instance of its own. It fails when the module exits non-zero, traps, or
// outlives ctx.
//
// Compiled code is not made to check ctx as it runs (that check made Flite
// seven times slower), and wazero cannot close an instance while another
// goroutine runs it, so an instance that outlives ctx is left to finish on its
// own: Run returns at once, and nothing the instance does after that is read.
// Flite's work is bounded by the length of the line it says.
func (m *Module) Run(ctx context.Context, o RunOptions) error {
	msgs := &tail{}
	fs := wazero.NewFSConfig()
	for guest, host := range o.Mounts {
		fs = fs.WithDirMount(host, guest)
	}
	cfg := wazero.NewModuleConfig().
		WithName(""). // anonymous: many instances at once
		WithArgs(o.Args...).
		WithFSConfig(fs).
		WithStderr(msgs).
		WithStartFunctions() // _start is called below, with the instance in hand
	if o.Output != nil {
		cfg = cfg.WithStdout(o.Output)
	} else {
		cfg = cfg.WithStdout(msgs)
	}
	bg := context.WithoutCancel(ctx)
	mod, err := m.r.InstantiateModule(m.withMemory(bg), m.compiled, cfg)
	if err != nil {
		return m.exitError(ctx, err, msgs.String())
	}
	start := mod.ExportedFunction("_start")
	if start == nil {
		mod.Close(bg)
		return fmt.Errorf("%s: not a command module (no _start)", m.name)
	}
	done := make(chan error, 1)
	go func() {
		_, err := start.Call(bg)
		mod.Close(bg)
		done <- err
	}()
	select {
	case err := <-done:
		return m.exitError(ctx, err, msgs.String())
	case <-ctx.Done():
		return m.exitError(ctx, ctx.Err(), msgs.String())
	}
}

// Instantiate makes an instance of a library module whose host functions
// are in the host modules the caller instantiated on Runtime. Its start
// functions are not run: the caller calls its constructors.
func (m *Module) Instantiate(ctx context.Context) (api.Module, error) {
	mod, err := m.r.InstantiateModule(m.withMemory(ctx), m.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, m.exitError(ctx, err, "")
	}
	return mod, nil
}

// withMemory gives the instances made under ctx their memory from the
// module's allocator.
func (m *Module) withMemory(ctx context.Context) context.Context {
	if m.memory == nil {
		return ctx
	}
	return experimental.WithMemoryAllocator(ctx, m.memory)
}

// Runtime is the runtime the module was compiled on, for host modules.
func (m *Module) Runtime() wazero.Runtime { return m.r }

// Err makes an error of a call's failure, in the terms Run uses.
func (m *Module) Err(ctx context.Context, err error) error { return m.exitError(ctx, err, "") }

func (m *Module) exitError(ctx context.Context, err error, output string) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s did not finish in time%s: %w", m.name, suffix(output), context.DeadlineExceeded)
		}
		return fmt.Errorf("%s: %w", m.name, ctx.Err())
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() == 0 {
			return nil
		}
		return fmt.Errorf("%s exited with status %d%s", m.name, exit.ExitCode(), suffix(output))
	}
	return fmt.Errorf("%s failed: %v%s", m.name, err, suffix(output))
}

func suffix(s string) string {
	s = string(bytes.TrimSpace(bytes.ToValidUTF8([]byte(s), []byte("?"))))
	if s == "" {
		return ""
	}
	return ": " + string(bytes.Join(bytes.Fields([]byte(s)), []byte(" ")))
}

// tail keeps the last outputLimit bytes written to it.
type tail struct {
	mu sync.Mutex
	b  []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > outputLimit {
		t.b = t.b[len(t.b)-outputLimit:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
