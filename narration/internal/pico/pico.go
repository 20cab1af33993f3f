// Package pico is the SVOX Pico speech synthesizer built into routinecast
// for Spanish, German, French and Italian: Pico compiled to WebAssembly (see
// wasm/SOURCE.md), run in-process by package wasmhost, with its language
// data compiled in.
//
// The module was built with Emscripten for a JavaScript host. Instead of
// that glue, this package gives it the nine functions it imports, written in
// Go: file access served from the embedded language data, memory growth, and
// messages kept for errors. Every line gets an instance of its own, so lines
// render on every core at once.
package pico

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero/api"

	"routinecast/audio"
	"routinecast/narration/internal/wasmhost"
)

//go:embed wasm/svoxpico.wasm.gz
var compressed []byte

//go:embed wasm/lang/*.bin.gz
var langFS embed.FS

// Voices are the languages Pico speaks here, as BCP 47 tags; each is also
// the name of its voice.
var Voices = []string{"es-ES", "de-DE", "fr-FR", "it-IT"}

// speakers names each language's speaker file (its "signal generation"
// data); the text analysis file is LANG_ta.bin.
var speakers = map[string]string{
	"es-ES": "es-ES_zl0_sg.bin",
	"de-DE": "de-DE_gl0_sg.bin",
	"fr-FR": "fr-FR_nk0_sg.bin",
	"it-IT": "it-IT_cm0_sg.bin",
}

// SampleRate is the rate of the WAV files Speak writes.
const SampleRate = 16000

// VoiceFor is the voice of a language tag ("es", "es-MX", "de-AT"), by its
// primary subtag, or "" when Pico has none.
func VoiceFor(language string) string {
	p := strings.ToLower(strings.SplitN(language, "-", 2)[0])
	for _, v := range Voices {
		if strings.HasPrefix(strings.ToLower(v), p+"-") {
			return v
		}
	}
	return ""
}

// Limits of the module and of what is read into it.
const (
	wasmSize = 4 << 20  // the module is 950,029 bytes
	dataSize = 4 << 20  // a language file is under 1 MB
	poolSize = 2500000  // Pico's own memory pool, as pico2wave sizes it
	maxText  = 16 << 10 // bytes of text a line may have
	chunk    = 4000     // bytes of audio asked for at a time
)

// stepBusy is pico_getData's status while it has more audio to give; it
// says 200 (idle) when the text put so far is spoken.
const stepBusy = 201

// Names the module's imports are renamed to. The process's runtime already
// holds wazero's own wasi_snapshot_preview1, whose files are not the ones
// Pico opens with its openat; host module names are global to a runtime,
// so Pico's imports get names of their own.
var renames = map[string]string{
	"env":                    "routinecast_pico_env",
	"wasi_snapshot_preview1": "routinecast_pico_wasi",
}

var module struct {
	once sync.Once
	m    *wasmhost.Module
	err  error
}

// Module compiles the module and instantiates its host functions, once per
// process.
func Module(ctx context.Context) (*wasmhost.Module, error) {
	module.once.Do(func() {
		m, err := wasmhost.Compile(ctx, "pico", load)
		if err == nil {
			err = instantiateHost(context.WithoutCancel(ctx), m.Runtime())
		}
		module.m, module.err = m, err
	})
	return module.m, module.err
}

// load decompresses the embedded module and renames its imports.
func load() ([]byte, error) {
	b, err := gunzip(compressed, wasmSize)
	if err != nil {
		return nil, err
	}
	return renameImports(b, renames)
}

func gunzip(b []byte, limit int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(out) > limit {
		return nil, fmt.Errorf("an embedded file is larger than %d bytes", limit)
	}
	return out, nil
}

var langData struct {
	mu    sync.Mutex
	files map[string][]byte
}

// langFile is an embedded language file, decompressed once per process.
func langFile(name string) ([]byte, error) {
	langData.mu.Lock()
	defer langData.mu.Unlock()
	if b, ok := langData.files[name]; ok {
		return b, nil
	}
	z, err := langFS.ReadFile("wasm/lang/" + name + ".gz")
	if err != nil {
		return nil, err
	}
	b, err := gunzip(z, dataSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if langData.files == nil {
		langData.files = map[string][]byte{}
	}
	langData.files[name] = b
	return b, nil
}

// Speak says text in voice (one of Voices) into a new 16 kHz mono WAV file
// at out, whose folder must exist.
func Speak(ctx context.Context, voice, text, out string) error {
	pcm, err := Synthesize(ctx, voice, text)
	if err != nil {
		return err
	}
	return os.WriteFile(out, wav(pcm), 0o644)
}

// Synthesize says text in voice and returns its 16 kHz mono samples.
func Synthesize(ctx context.Context, voice, text string) ([]int16, error) {
	if !slices.Contains(Voices, voice) {
		return nil, fmt.Errorf("pico: unknown voice %q: use one of %s", voice, strings.Join(Voices, ", "))
	}
	text = strings.ToValidUTF8(text, "")
	switch {
	case strings.TrimSpace(text) == "":
		return nil, errors.New("pico: no text to say")
	case len(text) > maxText:
		return nil, fmt.Errorf("pico: a line of %d bytes is too long: say at most %d", len(text), maxText)
	}
	ta, err := langFile(voice + "_ta.bin")
	if err != nil {
		return nil, fmt.Errorf("pico: %w", err)
	}
	sg, err := langFile(speakers[voice])
	if err != nil {
		return nil, fmt.Errorf("pico: %w", err)
	}
	m, err := Module(ctx)
	if err != nil {
		return nil, fmt.Errorf("pico: %w", err)
	}
	st := &state{files: map[string][]byte{"/ta.bin": ta, "/sg.bin": sg}, open: map[uint32]*openFile{}, next: 3}
	// Host functions find the instance's files through the context of
	// every call into it.
	cctx := context.WithValue(context.WithoutCancel(ctx), stateKey{}, st)
	type result struct {
		pcm []int16
		err error
	}
	done := make(chan result, 1)
	go func() {
		pcm, err := run(cctx, m, st, text)
		done <- result{pcm, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("pico: %w", m.Err(ctx, r.err))
		}
		return r.pcm, nil
	case <-ctx.Done():
		// The instance stops at its next call into the host (see
		// wasmhost.Module.Run); nothing it says afterwards is read.
		st.stop.Store(true)
		return nil, fmt.Errorf("pico: %w", m.Err(ctx, ctx.Err()))
	}
}

// run makes an instance, loads the voice and says text.
func run(ctx context.Context, m *wasmhost.Module, st *state, text string) ([]int16, error) {
	mod, err := m.Instantiate(ctx)
	if err != nil {
		return nil, err
	}
	defer mod.Close(ctx)
	p := &instance{ctx: ctx, mod: mod, st: st}
	p.call("__wasm_call_ctors")
	p.call("emscripten_stack_init")
	pool := p.call("malloc", poolSize)
	out := p.call("malloc", 64) // out-values, 8 bytes each
	sys, res, eng, n, typ := out, out+8, out+16, out+24, out+32
	p.check("pico_initialize", p.call("pico_initialize", pool, poolSize, sys))
	sysH := p.u32(sys)
	var names []uint32
	for _, f := range []string{"/ta.bin", "/sg.bin"} {
		path := p.cstring(f)
		p.check("pico_loadResource "+f, p.call("pico_loadResource", sysH, path, res))
		name := p.call("malloc", 64)
		p.check("pico_getResourceName", p.call("pico_getResourceName", sysH, p.u32(res), name))
		names = append(names, name)
	}
	voice := p.cstring("voice")
	p.check("pico_createVoiceDefinition", p.call("pico_createVoiceDefinition", sysH, voice))
	for _, name := range names {
		p.check("pico_addResourceToVoiceDefinition", p.call("pico_addResourceToVoiceDefinition", sysH, voice, name))
	}
	p.check("pico_newEngine", p.call("pico_newEngine", sysH, voice, eng))
	engH := p.u32(eng)
	buf := p.call("malloc", chunk)
	// The text goes in with its NUL, which tells Pico it has ended and
	// makes it say the last sentence.
	textPtr := p.cstring(text)
	left, at := uint32(len(text)+1), textPtr
	var pcm []int16
	for left > 0 && p.err == nil {
		put := min(left, 32000)
		p.check("pico_putTextUtf8", p.call("pico_putTextUtf8", engH, at, put, n))
		got := uint32(p.u16(n))
		if got == 0 && p.err == nil {
			p.err = errors.New("pico_putTextUtf8 took no text")
		}
		left -= got
		at += got
		for p.err == nil {
			status := int32(p.call("pico_getData", engH, buf, chunk, n, typ))
			if status < 0 {
				p.check("pico_getData", uint32(status))
				break
			}
			if k := uint32(p.u16(n)); k > 0 && p.err == nil {
				b, ok := mod.Memory().Read(buf, k)
				if !ok {
					p.err = errors.New("pico_getData: audio out of memory bounds")
					break
				}
				for i := 0; i+1 < len(b); i += 2 {
					pcm = append(pcm, int16(binary.LittleEndian.Uint16(b[i:])))
				}
			}
			if status != stepBusy {
				break
			}
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	if len(pcm) == 0 {
		return nil, fmt.Errorf("said nothing%s", st.messages())
	}
	return pcm, nil
}

// instance calls into one instance and keeps the first failure, so that a
// sequence of calls reads as one.
type instance struct {
	ctx context.Context
	mod api.Module
	st  *state
	err error
	// fns are the functions called so far: wazero makes a new function,
	// with a call stack of its own, at every lookup, and a line calls
	// pico_getData hundreds of times.
	fns map[string]api.Function
}

func (p *instance) call(name string, args ...uint32) uint32 {
	if p.err != nil {
		return 0
	}
	fn := p.fns[name]
	if fn == nil {
		if fn = p.mod.ExportedFunction(name); fn == nil {
			p.err = fmt.Errorf("the module has no function %s", name)
			return 0
		}
		if p.fns == nil {
			p.fns = map[string]api.Function{}
		}
		p.fns[name] = fn
	}
	params := make([]uint64, len(args))
	for i, a := range args {
		params[i] = uint64(a)
	}
	res, err := fn.Call(p.ctx, params...)
	if err != nil {
		p.err = fmt.Errorf("%s: %w", name, err)
		return 0
	}
	if len(res) == 0 {
		return 0
	}
	return uint32(res[0])
}

// check records a Pico status below zero as the failure.
func (p *instance) check(what string, status uint32) {
	if p.err == nil && int32(status) < 0 {
		p.err = fmt.Errorf("%s failed with status %d%s", what, int32(status), p.st.messages())
	}
}

func (p *instance) u32(at uint32) uint32 {
	v, ok := p.mod.Memory().ReadUint32Le(at)
	if !ok && p.err == nil {
		p.err = errors.New("a pointer out of memory bounds")
	}
	return v
}

func (p *instance) u16(at uint32) uint16 {
	v, ok := p.mod.Memory().ReadUint16Le(at)
	if !ok && p.err == nil {
		p.err = errors.New("a pointer out of memory bounds")
	}
	return v
}

// cstring copies s with a NUL into the instance's memory.
func (p *instance) cstring(s string) uint32 {
	at := p.call("malloc", uint32(len(s)+1))
	if p.err == nil && (at == 0 || !p.mod.Memory().Write(at, append([]byte(s), 0))) {
		p.err = errors.New("malloc failed")
	}
	return at
}

// wav is pcm as a 16-bit mono WAV file.
func wav(pcm []int16) []byte {
	b := make([]byte, 0, 44+2*len(pcm))
	b = append(b, audio.WAVHeader(SampleRate, 1, len(pcm))...)
	for _, s := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	return b
}
