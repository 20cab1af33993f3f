package testtool_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/internal/testtool"
)

// recorder is a testing.TB that notes failures instead of failing, so that
// the helpers' own checks can be seen to fail; a fatal one ends the
// goroutine as testing's does.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) {
	r.Errorf(format, a...)
	runtime.Goexit()
}
func (r *recorder) Fatal(a ...any) {
	r.failures = append(r.failures, fmt.Sprint(a...))
	runtime.Goexit()
}

// failures runs f with a recorder and returns what it reported.
func failures(t *testing.T, f func(tb testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.failures
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	if f := failures(t, func(tb testing.TB) { testtool.Golden(tb, path, []byte("a\nb\n"), false) }); len(f) != 1 || !strings.Contains(f[0], "go test -update") {
		t.Errorf("a missing golden file: %q", f)
	}
	if f := failures(t, func(tb testing.TB) { testtool.Golden(tb, path, []byte("a\nb\n"), true) }); len(f) != 0 {
		t.Errorf("-update: %q", f)
	}
	if got, _ := os.ReadFile(path); string(got) != "a\nb\n" {
		t.Errorf("-update wrote %q", got)
	}
	if f := failures(t, func(tb testing.TB) { testtool.Golden(tb, path, []byte("a\nb\n"), false) }); len(f) != 0 {
		t.Errorf("the same output: %q", f)
	}
	for got, line := range map[string]string{"a\nc\n": "line 2", "a\nb\nc\n": "line 3", "a\n": "line 2"} {
		f := failures(t, func(tb testing.TB) { testtool.Golden(tb, path, []byte(got), false) })
		if len(f) != 1 || !strings.Contains(f[0], "differs at "+line) {
			t.Errorf("%q against %q: %q, want a difference at %s", got, "a\nb\n", f, line)
		}
	}
}

// choppy streams n samples in reads of at most 100, keeping no contract.
type choppy struct{ n int }

func (c *choppy) Stream(dst [][2]float64) (int, bool) {
	k := min(len(dst), 100, c.n)
	c.n -= k
	return k, k > 0
}
func (c *choppy) Err() error { return nil }

func TestReadAll(t *testing.T) {
	in := testtool.Sawtooth(2500, 50, 0.5)
	var got [][2]float64
	if f := failures(t, func(tb testing.TB) { got = testtool.ReadAll(tb, &testtool.Stream{Samples: in}, 1000) }); len(f) != 0 || len(got) != len(in) || got[2499] != in[2499] {
		t.Errorf("%d of %d samples, failures %q", len(got), len(in), f)
	}
	for name, s := range map[string]beep.Streamer{
		"a short read before the end":          &choppy{n: 2500},
		"a seeker's short read before its end": shortSeeker{&testtool.Stream{Samples: in}},
		"a stream error":                       &testtool.Stream{Samples: in, Fail: errors.New("disk on fire")},
	} {
		if f := failures(t, func(tb testing.TB) { testtool.ReadAll(tb, s, 1000) }); len(f) != 1 {
			t.Errorf("%s: failures %q, want one", name, f)
		}
	}
}

func TestDiscard(t *testing.T) {
	in := testtool.Sawtooth(2500, 50, 0.5)
	buf := make([][2]float64, 1000)
	if n, err := testtool.Discard(&testtool.Stream{Samples: in}, buf); n != len(in) || err != nil {
		t.Errorf("%d samples, %v; want %d, nil", n, err, len(in))
	}
	fail := errors.New("disk on fire")
	if n, err := testtool.Discard(&testtool.Stream{Samples: in, Fail: fail}, buf); n != len(in) || err != fail {
		t.Errorf("%d samples, %v; want %d, %v", n, err, len(in), fail)
	}
}

// shortSeeker reads at most 700 samples at a time, which a StreamSeeker of
// ours may do only at its end.
type shortSeeker struct{ beep.StreamSeeker }

func (s shortSeeker) Stream(dst [][2]float64) (int, bool) {
	return s.StreamSeeker.Stream(dst[:min(len(dst), 700)])
}

func TestStreamSeek(t *testing.T) {
	s := &testtool.Stream{Samples: make([][2]float64, 10)}
	if err := s.Seek(10); err != nil || s.Position() != 10 {
		t.Errorf("seek to the end: %v at %d", err, s.Position())
	}
	if n, ok := s.Stream(make([][2]float64, 4)); n != 0 || ok {
		t.Errorf("at the end: %d, %v", n, ok)
	}
	for _, p := range []int{-1, 11} {
		if err := s.Seek(p); err == nil {
			t.Errorf("seek to %d of 10: no error", p)
		}
	}
}

// The WAV files decode, with package audio, to the samples written, to
// within half a 16-bit step, mono as the mean of the channels.
func TestWAV(t *testing.T) {
	in := [][2]float64{{0, 0}, {0.5, -0.5}, {0.25, 0.75}, {-1, 1}, {2, -2}, {1e-6, 0.999}}
	for _, channels := range []int{1, 2} {
		st, format, err := audio.Decode(nopCloser{bytes.NewReader(testtool.WAV(22050, channels, in))}, "x.wav")
		if err != nil {
			t.Fatal(err)
		}
		if format.SampleRate != 22050 || format.NumChannels != channels {
			t.Errorf("%d channels: format %+v", channels, format)
		}
		got := testtool.ReadAll(t, st, 4)
		if len(got) != len(in) {
			t.Fatalf("%d channels: %d samples, want %d", channels, len(got), len(in))
		}
		for i, v := range in {
			want := v
			if channels == 1 {
				want = [2]float64{(v[0] + v[1]) / 2, (v[0] + v[1]) / 2}
			}
			for c := range 2 {
				w := max(-1, min(32767.0/32768, want[c]))
				if d := got[i][c] - w; d > 0.5/32768 || d < -0.5/32768 {
					t.Errorf("%d channels, sample %d channel %d: %v, want %v", channels, i, c, got[i][c], w)
				}
			}
		}
	}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
