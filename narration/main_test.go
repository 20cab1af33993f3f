package narration

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"

	"github.com/gopxl/beep/v2"
)

// TestMain lets the test binary play a speech engine: run as
// "TESTBINARY fake-engine MODE OUT TEXT", it does what MODE says, so tests
// can drive every failure of a real program without a shell or a script.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "fake-engine" {
		os.Exit(fakeEngine(os.Args[2], os.Args[3:]))
	}
	os.Exit(m.Run())
}

// fakeCommand is the command engine's argument list for a fake engine mode.
func fakeCommand(mode string) []string {
	if mode == "crash" {
		// A real crash: the Go runtime would turn a SIGSEGV of its own
		// into a panic, so a shell kills itself instead.
		return []string{"/bin/sh", "-c", "echo fake: about to crash >&2; kill -SEGV $$", "{out}"}
	}
	return []string{os.Args[0], "fake-engine", mode, "{out}", "{text}"}
}

func fakeEngine(mode string, args []string) int {
	out := args[0]
	switch mode {
	case "speak":
		// A "line": 0.3 s of silence, 0.25 s of tone per word, 0.3 s of
		// silence.
		words := len(strings.Fields(args[1]))
		if err := writeTestWAV(out, 16000, toneBurst(16000, 0.3, 0.25*float64(words), 0.3, 0.2)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	case "fail":
		fmt.Fprintln(os.Stderr, "fake: out of cheese")
		return 3
	case "hang":
		fmt.Fprintln(os.Stderr, "fake: hanging")
		time.Sleep(10 * time.Minute)
	case "short":
		// A header that promises 2 s of 16 kHz audio over 0.1 s of it.
		writeTestWAV(out, 16000, toneBurst(16000, 0, 0.1, 0, 0.3))
		f, err := os.OpenFile(out, os.O_WRONLY, 0)
		if err != nil {
			return 1
		}
		f.WriteAt([]byte{0x00, 0xfa, 0x00, 0x00}, 40) // data size 64000
		f.Close()
	case "fail-on-crash-word":
		if strings.Contains(args[1], "Crash") {
			fmt.Fprintln(os.Stderr, "fake: cannot say that")
			return 1
		}
		return fakeEngine("speak", args)
	case "garbage":
		os.WriteFile(out, []byte("this is not audio, but it is long enough to be sniffed"), 0o644)
	case "empty":
		os.WriteFile(out, nil, 0o644)
	case "none":
	case "silent":
		writeTestWAV(out, 16000, make([][2]float64, 16000))
	case "stereo44":
		s := toneBurst(44100, 0.1, 1, 0.1, 0.5)
		for i := range s {
			s[i][1] = 0
		}
		writeTestWAV(out, 44100, s)
	default:
		fmt.Fprintln(os.Stderr, "fake: unknown mode", mode)
		return 2
	}
	return 0
}

// toneBurst is silence, a 220 Hz tone with a syllable-like 4 Hz envelope,
// and silence again.
func toneBurst(sr int, before, length, after, amp float64) [][2]float64 {
	n0, n1, n2 := int(before*float64(sr)), int(length*float64(sr)), int(after*float64(sr))
	s := make([][2]float64, n0+n1+n2)
	for i := range n1 {
		t := float64(i) / float64(sr)
		env := 0.6 + 0.4*math.Sin(2*math.Pi*4*t)
		x := amp * env * math.Sin(2*math.Pi*220*t)
		s[n0+i] = [2]float64{x, x}
	}
	return s
}

// writeTestWAV writes mono 16-bit WAV. It returns its error, as the fake
// engine, which has no test to fail, calls it too.
func writeTestWAV(path string, sr int, samples [][2]float64) error {
	return os.WriteFile(path, testtool.WAV(sr, 1, samples), 0o644)
}

// levels summarizes a clip: the RMS level in dBFS of each 20 ms frame.
func frameLevels(samples [][2]float64, sr beep.SampleRate) []float64 {
	n := sr.N(20 * time.Millisecond)
	var out []float64
	for i := 0; i+n <= len(samples); i += n {
		var sum float64
		for _, s := range samples[i : i+n] {
			m := (s[0] + s[1]) / 2
			sum += m * m
		}
		out = append(out, 10*math.Log10(sum/float64(n)+1e-20))
	}
	return out
}

// checkSpeech fails the test unless samples sound like a spoken line of
// the given number of words: loud frames well above silence, most frames
// sounding, and a duration plausible for the words.
func checkSpeech(t *testing.T, samples [][2]float64, sr beep.SampleRate, words int) {
	t.Helper()
	dur := sr.D(len(samples)).Seconds()
	perWord := dur / float64(words)
	if perWord < 0.15 || perWord > 1.0 {
		t.Errorf("%.2f s for %d words (%.2f s a word): not plausible for speech", dur, words, perWord)
	}
	lv := frameLevels(samples, sr)
	loudest := math.Inf(-1)
	sounding := 0
	for _, l := range lv {
		loudest = max(loudest, l)
		if l > -50 {
			sounding++
		}
	}
	if loudest < -30 {
		t.Errorf("loudest 20 ms frame at %.1f dBFS: no speech", loudest)
	}
	if frac := float64(sounding) / float64(len(lv)); frac < 0.5 {
		t.Errorf("only %.0f%% of frames above -50 dBFS: mostly silence", 100*frac)
	}
	t.Logf("%.2f s for %d words, loudest frame %.1f dBFS, %d of %d frames above -50 dBFS", dur, words, loudest, sounding, len(lv))
}

func beepRate(sr int) beep.SampleRate { return beep.SampleRate(sr) }
