// Package flite is the Flite speech synthesizer (Carnegie Mellon University)
// built into routinecast: Flite compiled to WebAssembly (see wasm/SOURCE.md),
// run in-process by package wasmhost, with its voices compiled in.
package flite

import (
	"context"
	_ "embed"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"routinecast/narration/internal/wasmhost"
)

// Zstandard rather than gzip: it decompresses in a quarter of the time, and
// every render waits for it.
//
//go:embed wasm/flite.wasm.zst
var compressed []byte

// Voices are the voices compiled into the module, as flite -lv lists them.
var Voices = []string{"kal", "awb_time", "kal16", "awb", "rms", "slt"}

// SampleRate is the rate of the WAV files Speak writes.
const SampleRate = 16000

// wasmSize bounds the decompressed module (it is 21,530,456 bytes).
const wasmSize = 32 << 20

var module struct {
	once sync.Once
	m    *wasmhost.Module
	err  error
}

// load decompresses the embedded module.
func load() ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(wasmSize))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	b, err := d.DecodeAll(compressed, nil)
	if err != nil {
		return nil, fmt.Errorf("the embedded module does not decompress: %w", err)
	}
	return b, nil
}

// Module compiles the module once per process.
func Module(ctx context.Context) (*wasmhost.Module, error) {
	module.once.Do(func() { module.m, module.err = wasmhost.Compile(ctx, "flite", load) })
	return module.m, module.err
}

// Speak says text with voice into a new 16 kHz mono WAV file at out, whose
// folder must exist.
func Speak(ctx context.Context, voice, text, out string) error {
	if !slices.Contains(Voices, voice) {
		return fmt.Errorf("flite: unknown voice %q: use one of %s", voice, strings.Join(Voices, ", "))
	}
	m, err := Module(ctx)
	if err != nil {
		return err
	}
	return m.Run(ctx, wasmhost.RunOptions{
		Args:   []string{"flite", "-voice", voice, "-t", text, "-o", "/out/" + filepath.Base(out)},
		Mounts: map[string]string{"/out": filepath.Dir(out)},
	})
}
