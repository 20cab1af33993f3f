package pico

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// lines are one routine line per language, and their word counts.
var lines = map[string]struct {
	text  string
	words int
}{
	"es-ES": {"Túmbate boca arriba y lleva la rodilla derecha hacia el pecho.", 11},
	"de-DE": {"Leg dich auf den Rücken und zieh das rechte Knie zur Brust.", 12},
	"fr-FR": {"Allongez-vous sur le dos et ramenez le genou droit vers la poitrine.", 13},
	"it-IT": {"Sdraiati sulla schiena e porta il ginocchio destro verso il petto.", 11},
}

// levels is the level of 20 ms windows, in dBFS.
func levels(pcm []int16) []float64 {
	const w = SampleRate / 50
	var out []float64
	for i := 0; i+w <= len(pcm); i += w {
		s := 0.0
		for _, v := range pcm[i : i+w] {
			f := float64(v) / 32768
			s += f * f
		}
		out = append(out, 10*math.Log10(s/w+1e-12))
	}
	return out
}

// TestSpeakEveryLanguage: a line in each language comes out as a WAV file of
// speech of a plausible length: loud where the words are, with pauses.
func TestSpeakEveryLanguage(t *testing.T) {
	for _, voice := range Voices {
		t.Run(voice, func(t *testing.T) {
			l := lines[voice]
			out := filepath.Join(t.TempDir(), "line.wav")
			if err := Speak(context.Background(), voice, l.text, out); err != nil {
				t.Fatal(err)
			}
			pcm := readWAV(t, out)
			d := time.Duration(len(pcm)) * time.Second / SampleRate
			// 100 to 260 words a minute.
			lo, hi := time.Duration(l.words)*time.Minute/260, time.Duration(l.words)*time.Minute/100
			if d < lo || d > hi {
				t.Errorf("a %d-word line lasts %v, want %v to %v", l.words, d, lo, hi)
			}
			lv := levels(pcm)
			peak := -200.0
			for _, v := range lv {
				peak = max(peak, v)
			}
			loud, quiet := 0, 0
			for _, v := range lv {
				if v > peak-20 {
					loud++
				}
				if v < peak-35 {
					quiet++
				}
			}
			if peak < -25 {
				t.Errorf("its loudest 20 ms is %.1f dBFS: too quiet to be speech", peak)
			}
			if f := float64(loud) / float64(len(lv)); f < 0.4 || f > 0.95 {
				t.Errorf("%.0f%% of the line is within 20 dB of its loudest window, want 40-95%%", 100*f)
			}
			if quiet == 0 {
				t.Errorf("no window is 35 dB below the loudest: no pauses, not speech")
			}
		})
	}
}

func readWAV(t *testing.T, path string) []int16 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" || string(b[36:40]) != "data" {
		t.Fatalf("%s is not a canonical WAV file", path)
	}
	if ch, rate, bits := binary.LittleEndian.Uint16(b[22:]), binary.LittleEndian.Uint32(b[24:]), binary.LittleEndian.Uint16(b[34:]); ch != 1 || rate != SampleRate || bits != 16 {
		t.Fatalf("%d channels, %d Hz, %d bits; want mono 16 kHz 16-bit", ch, rate, bits)
	}
	if n := binary.LittleEndian.Uint32(b[40:]); int(n) != len(b)-44 {
		t.Fatalf("data chunk says %d bytes, file has %d", n, len(b)-44)
	}
	pcm := make([]int16, (len(b)-44)/2)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(b[44+2*i:]))
	}
	return pcm
}

// TestSameAsPico2wave: the embedded engine says a line as Debian's pico2wave
// (the C library, natively compiled for 64 bits) does: the same length, and
// samples that differ only by rounding. Italian is the exception measured
// here: the two builds say it with other timings (lengths 0 to 4.3% apart
// over six Italian lines, each build deterministic), so only its length is
// held to pico2wave's.
func TestSameAsPico2wave(t *testing.T) {
	p2w := testtool.Require(t, "pico2wave")
	for _, voice := range Voices {
		t.Run(voice, func(t *testing.T) {
			dir := t.TempDir()
			ref := filepath.Join(dir, "ref.wav")
			if out, err := exec.Command(p2w, "-l", voice, "-w", ref, lines[voice].text).CombinedOutput(); err != nil {
				t.Fatalf("pico2wave: %v: %s", err, out)
			}
			want := readWAV(t, ref)
			got, err := Synthesize(context.Background(), voice, lines[voice].text)
			if err != nil {
				t.Fatal(err)
			}
			diff := math.Abs(float64(len(got)-len(want))) / float64(len(want))
			n := min(len(got), len(want))
			var xy, xx, yy float64
			for i := 0; i < n; i++ {
				x, y := float64(got[i]), float64(want[i])
				xy += x * y
				xx += x * x
				yy += y * y
			}
			c := xy / math.Sqrt(xx*yy)
			t.Logf("%d samples (pico2wave %d), correlation %.4f", len(got), len(want), c)
			if voice == "it-IT" {
				if diff > 0.05 {
					t.Errorf("%d samples, pico2wave %d: lengths differ by %.1f%%, want 5%% or less", len(got), len(want), 100*diff)
				}
				return
			}
			if diff > 0.02 {
				t.Errorf("%d samples, pico2wave %d: lengths differ by %.1f%%", len(got), len(want), 100*diff)
			}
			if c < 0.95 {
				t.Errorf("correlation with pico2wave's samples %.3f, want 0.95 or more", c)
			}
		})
	}
}

// TestLinesAtOnce: lines render at the same time, each with its own
// instance, and each comes out as it does alone.
func TestLinesAtOnce(t *testing.T) {
	alone, err := Synthesize(context.Background(), "it-IT", lines["it-IT"].text)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]int16, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = Synthesize(context.Background(), "it-IT", lines["it-IT"].text)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if len(got[i]) != len(alone) {
			t.Errorf("line %d: %d samples at once, %d alone", i, len(got[i]), len(alone))
		}
	}
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ voice, text, want string }{
		{"en-US", "Hello.", `unknown voice "en-US"`},
		{"es-ES", "  ", "no text"},
		{"es-ES", strings.Repeat("a ", maxText), "too long"},
	} {
		_, err := Synthesize(ctx, c.voice, c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "pico: ") {
			t.Errorf("Synthesize(%q, %.10q): %v, want an error with %q", c.voice, c.text, err, c.want)
		}
	}
	expired, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	<-expired.Done()
	if _, err := Synthesize(expired, "es-ES", "Hola."); err == nil {
		t.Error("Synthesize with an expired context succeeded")
	}
}

func TestVoiceFor(t *testing.T) {
	for in, want := range map[string]string{"es": "es-ES", "es-MX": "es-ES", "DE": "de-DE", "fr-CA": "fr-FR", "it": "it-IT", "en": "", "": "", "pt": ""} {
		if got := VoiceFor(in); got != want {
			t.Errorf("VoiceFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEmbeddedFilesMatchSource: the embedded files are the ones SOURCE.md
// names, byte for byte once decompressed.
func TestEmbeddedFilesMatchSource(t *testing.T) {
	src, err := os.ReadFile("wasm/SOURCE.md")
	if err != nil {
		t.Fatal(err)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	wasm, err := gunzip(compressed, wasmSize)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "svoxpico.wasm sha256: "+sum(wasm)) {
		t.Errorf("svoxpico.wasm's sha256 %s is not the one in SOURCE.md", sum(wasm))
	}
	for _, v := range Voices {
		for _, f := range []string{v + "_ta.bin", speakers[v]} {
			b, err := langFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`(?m)^\s*- ` + regexp.QuoteMeta(f) + ` ` + sum(b) + `$`).Match(src) {
				t.Errorf("%s's sha256 %s is not the one in SOURCE.md", f, sum(b))
			}
		}
	}
	for _, f := range []string{"wasm/LICENSE", "wasm/lang/COPYRIGHT", "wasm/lang/NOTICE"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("licence file: %v", err)
		}
	}
}

// TestRenameImports: the module's imports get Pico's own host module names,
// and a damaged module is an error, never a panic.
func TestRenameImports(t *testing.T) {
	wasm, err := gunzip(compressed, wasmSize)
	if err != nil {
		t.Fatal(err)
	}
	out, err := renameImports(wasm, renames)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"wasi_snapshot_preview1", "\x03env"} {
		if strings.Contains(string(out), name) {
			t.Errorf("the renamed module still imports from %q", name)
		}
	}
	for _, name := range renames {
		if !strings.Contains(string(out), name) {
			t.Errorf("the renamed module does not import from %q", name)
		}
	}
	if len(out) != len(wasm)-len("wasi_snapshot_preview1")*4-len("env")*5+len(renames["wasi_snapshot_preview1"])*4+len(renames["env"])*5 {
		t.Errorf("the renamed module is %d bytes, the original %d: more changed than 9 names", len(out), len(wasm))
	}
	for _, cut := range []int{0, 7, 9, 20, 100, len(wasm) / 2} {
		if _, err := renameImports(wasm[:cut], renames); err == nil && cut < len(wasm) {
			t.Errorf("a module cut at byte %d was taken", cut)
		}
	}
}
