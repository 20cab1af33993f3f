package flite

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// readWAV reads the 16-bit mono WAV that flite writes.
func readWAV(t *testing.T, path string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		t.Fatalf("%s is not a WAV file", path)
	}
	if ch, rate, bits := binary.LittleEndian.Uint16(b[22:]), binary.LittleEndian.Uint32(b[24:]), binary.LittleEndian.Uint16(b[34:]); ch != 1 || rate != SampleRate || bits != 16 {
		t.Fatalf("%s: %d channels, %d Hz, %d bits; want mono 16 kHz 16-bit", path, ch, rate, bits)
	}
	data := b[44:]
	x := make([]float64, len(data)/2)
	for i := range x {
		x[i] = float64(int16(binary.LittleEndian.Uint16(data[2*i:]))) / 32768
	}
	return x
}

// rmsDB is the level of 20 ms windows, in dBFS.
func rmsDB(x []float64) []float64 {
	const w = SampleRate / 50
	var out []float64
	for i := 0; i+w <= len(x); i += w {
		s := 0.0
		for _, v := range x[i : i+w] {
			s += v * v
		}
		out = append(out, 10*math.Log10(s/w+1e-12))
	}
	return out
}

// TestSpeakIsSpeech: a line comes out as speech of a plausible length: loud
// where the words are, much quieter at its edges, with pauses between words
// where the level drops.
func TestSpeakIsSpeech(t *testing.T) {
	out := filepath.Join(t.TempDir(), "line.wav")
	const line = "Slowly bring your right knee up towards your chest, and hold it there."
	if err := Speak(context.Background(), "rms", line, out); err != nil {
		t.Fatal(err)
	}
	x := readWAV(t, out)
	d := time.Duration(len(x)) * time.Second / SampleRate
	// 13 words at 120 to 240 words a minute.
	if d < 3250*time.Millisecond || d > 6500*time.Millisecond {
		t.Errorf("a 13-word line lasts %v, want 3.25 to 6.5 s", d)
	}
	lv := rmsDB(x)
	loud, peak := 0, -200.0
	for _, l := range lv {
		peak = max(peak, l)
	}
	for _, l := range lv {
		if l > peak-20 {
			loud++
		}
	}
	if frac := float64(loud) / float64(len(lv)); frac < 0.4 || frac > 0.95 {
		t.Errorf("%.0f%% of the line is within 20 dB of its loudest window, want 40-95%% (speech, with pauses)", 100*frac)
	}
	if peak < -30 {
		t.Errorf("loudest 20 ms window at %.1f dBFS: too quiet for speech", peak)
	}
	if first, last := lv[0], lv[len(lv)-1]; first > peak-25 || last > peak-25 {
		t.Errorf("edges at %.1f and %.1f dBFS against a peak of %.1f: the line should start and end in near silence", first, last, peak)
	}
}

// TestSpeakConcurrently: lines rendered at once each get their own instance
// and their own words (run with -race).
func TestSpeakConcurrently(t *testing.T) {
	dir := t.TempDir()
	lines := []string{"One.", "Breathe in slowly and fully, filling your belly.", "Two.", "Lower your leg back down to the floor, gently."}
	var wg sync.WaitGroup
	errs := make([]error, len(lines))
	for i, l := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = Speak(context.Background(), "rms", l, filepath.Join(dir, fmt.Sprintf("%d.wav", i)))
		}()
	}
	wg.Wait()
	lens := make([]int, len(lines))
	for i := range lines {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		lens[i] = len(readWAV(t, filepath.Join(dir, fmt.Sprintf("%d.wav", i))))
	}
	// Each file holds its own line: the long lines are several times the short.
	if lens[1] < 3*lens[0] || lens[3] < 3*lens[2] {
		t.Errorf("lengths %v: the long lines should be far longer than the counts", lens)
	}
	// The same line again, alone, comes out the same.
	again := filepath.Join(dir, "again.wav")
	if err := Speak(context.Background(), "rms", lines[1], again); err != nil {
		t.Fatal(err)
	}
	if a, b := readWAV(t, again), readWAV(t, filepath.Join(dir, "1.wav")); len(a) != len(b) {
		t.Errorf("the line rendered alone has %d samples, among others %d", len(a), len(b))
	}
}

// TestSpeakTimeout: a line that outlives its time fails cleanly with the
// deadline, and leaves no file.
func TestSpeakTimeout(t *testing.T) {
	if _, err := Module(context.Background()); err != nil { // compile outside the deadline
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "late.wav")
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	err := Speak(ctx, "rms", "This line would take far longer than a millisecond to say.", out)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want DeadlineExceeded", err)
	}
	if _, serr := os.Stat(out); serr == nil {
		t.Errorf("a timed-out line left %s", out)
	}
}

func TestUnknownVoice(t *testing.T) {
	err := Speak(context.Background(), "nobody", "Hello.", filepath.Join(t.TempDir(), "x.wav"))
	if err == nil || err.Error() != `flite: unknown voice "nobody": use one of kal, awb_time, kal16, awb, rms, slt` {
		t.Errorf("err %v", err)
	}
}

func TestEmbeddedChecksum(t *testing.T) {
	b, err := load()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "f975276f4f2a6de78613f197533aac2167d181b77020866d142d594bcc2a0e80" {
		t.Fatalf("flite.wasm sha256 %s, SOURCE.md says f975276f…", got)
	}
}
