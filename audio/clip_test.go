package audio

import (
	"errors"
	"math"
	"testing"
	"time"

	"routinecast/internal/testtool"

	"github.com/gopxl/beep/v2"
)

// constant streams n samples of value v.
type constant struct {
	n, pos int
	v      [2]float64
	err    error
}

func (c *constant) Stream(s [][2]float64) (int, bool) {
	k := min(len(s), c.n-c.pos)
	for i := range k {
		s[i] = c.v
	}
	c.pos += k
	return k, k > 0
}

func (c *constant) Err() error { return c.err }

func TestResampleLength(t *testing.T) {
	for _, n := range []int{0, 1, 100, 509, 510, 511, 512, 1021, 2046, 16000, 44101} {
		for _, r := range [][2]beep.SampleRate{{16000, 48000}, {22050, 44100}, {48000, 44100}, {16000, 44100}, {44100, 8000}} {
			out := Resample(testtool.ReadAll(t, &constant{n: n, v: [2]float64{0.5, -0.25}}, 1000), 2, r[0], r[1])
			want := (n*int(r[1]) + int(r[0]) - 1) / int(r[0])
			if len(out) != want {
				t.Errorf("%d samples %d->%d Hz: got %d, want %d", n, r[0], r[1], len(out), want)
			}
			// A constant stays constant, but for the last few samples,
			// which fade towards the silence after the end.
			tail := 16*int(r[1])/int(r[0]) + 14 // the taps reach 12 zero crossings of the lower rate
			for i, v := range out[:max(len(out)-tail, 0)] {
				if math.Abs(v[0]-0.5) > 1e-9 || math.Abs(v[1]+0.25) > 1e-9 {
					t.Fatalf("%d samples %d->%d Hz: sample %d = %v", n, r[0], r[1], i, v)
				}
			}
			for i, v := range out {
				if math.Abs(v[0]) > 0.75 || math.Abs(v[1]) > 0.4 {
					t.Fatalf("%d samples %d->%d Hz: sample %d = %v overshoots", n, r[0], r[1], i, v)
				}
			}
		}
	}
}

func TestResampleSine(t *testing.T) {
	// A 1 kHz sine resampled from 16 kHz to 44.1 kHz is a 1 kHz sine.
	const from, to = 16000, 44100
	src := make([][2]float64, from)
	for i := range src {
		v := 0.5 * math.Sin(2*math.Pi*1000*float64(i)/from)
		src[i] = [2]float64{v, v}
	}
	out := Resample(src, 1, from, to)
	var worst float64
	for i := 100; i < len(out)-100; i++ {
		want := 0.5 * math.Sin(2*math.Pi*1000*float64(i)/to)
		worst = math.Max(worst, math.Abs(out[i][0]-want))
	}
	t.Logf("max error %.2g (%.1f dB below the sine)", worst, 20*math.Log10(worst/0.5))
	if worst > 1e-3 {
		t.Errorf("max error %.3g", worst)
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		from, to beep.SampleRate
		channels int
		wantLen  int
	}{
		{"keep rate stereo", 1000, 44100, 0, 2, 1000},
		{"16k to 44.1k mono", 16000, 16000, 44100, 1, 44100},
		{"22.05k to 48k", 511, 22050, 48000, 2, 1113},
		{"down 48k to 44.1k", 480, 48000, 44100, 1, 441},
		{"empty", 0, 16000, 44100, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(&constant{n: tc.n, v: [2]float64{0.2, 0.6}}, tc.from, tc.to, tc.channels)
			if err != nil {
				t.Fatal(err)
			}
			if c.Len() != tc.wantLen {
				t.Fatalf("Len() = %d, want %d", c.Len(), tc.wantLen)
			}
			want := [2]float64{0.2, 0.6}
			if tc.channels == 1 {
				want = [2]float64{0.4, 0.4}
			}
			if c.Len() > 0 && (math.Abs(c.Samples[0][0]-want[0]) > 1e-9 || math.Abs(c.Samples[0][1]-want[1]) > 1e-9) {
				t.Errorf("first sample %v, want %v", c.Samples[0], want)
			}
			s := c.Streamer()
			if s.Len() != c.Len() {
				t.Errorf("Streamer().Len() = %d", s.Len())
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	boom := errors.New("boom")
	if _, err := Load(&constant{n: 10, err: boom}, 16000, 16000, 1); !errors.Is(err, boom) {
		t.Errorf("Load with failing source: %v", err)
	}
	if _, err := Load(&constant{n: 8000*601 + 1}, 8000, 8000, 1); !errors.Is(err, ErrTooLong) {
		t.Errorf("Load of 10 min + 1 s: %v", err)
	}
	if _, err := Load(&constant{n: 10}, 8000, 8000, 3); err == nil {
		t.Error("Load with 3 channels: no error")
	}
}

func TestClipStreamerIndependent(t *testing.T) {
	c := &Clip{Rate: 8000, Channels: 1, Samples: [][2]float64{{1, 1}, {2, 2}, {3, 3}}}
	a, b := c.Streamer(), c.Streamer()
	buf := make([][2]float64, 2)
	a.Stream(buf)
	if n, _ := b.Stream(buf[:1]); n != 1 || buf[0][0] != 1 {
		t.Fatalf("second streamer starts at %v", buf[0])
	}
	if err := a.Seek(2); err != nil || a.Position() != 2 {
		t.Fatalf("Seek(2): %v, Position %d", err, a.Position())
	}
	if n, ok := a.Stream(buf); n != 1 || !ok || buf[0][0] != 3 {
		t.Fatalf("after Seek(2): %d %v %v", n, ok, buf[0])
	}
	if n, ok := a.Stream(buf); n != 0 || ok {
		t.Fatalf("at end: %d %v", n, ok)
	}
	if err := a.Seek(4); err == nil {
		t.Error("Seek(4) past the end: no error")
	}
}

func TestTrimSilence(t *testing.T) {
	const rate = 8000
	burst := func(silenceBefore, sound, silenceAfter int, level float64) *Clip {
		c := &Clip{Rate: rate, Channels: 1}
		c.Samples = make([][2]float64, silenceBefore+sound+silenceAfter)
		for i := range sound {
			v := level * math.Sin(2*math.Pi*440*float64(i)/rate)
			c.Samples[silenceBefore+i] = [2]float64{v, v}
		}
		return c
	}
	tests := []struct {
		name       string
		clip       *Clip
		threshold  float64
		margin     time.Duration
		start, end int // expected bounds in the original samples
	}{
		{"no silence", burst(0, 800, 0, 0.5), -40, 0, 0, 800},
		{"both sides", burst(800, 1600, 800, 0.5), -40, 0, 800, 2400},
		{"margin", burst(800, 1600, 800, 0.5), -40, 10 * time.Millisecond, 720, 2480},
		{"margin past the ends", burst(40, 1600, 40, 0.5), -40, 20 * time.Millisecond, 0, 1680},
		{"all silent", burst(800, 0, 0, 0), -40, 5 * time.Millisecond, 0, 0},
		{"too quiet", burst(80, 800, 80, 0.001), -40, 0, 0, 0},
		{"quiet but above", burst(80, 800, 80, 0.05), -40, 0, 80, 880},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := tc.clip.Samples
			tc.clip.TrimSilence(tc.threshold, tc.margin)
			got := tc.clip.Samples
			start := cap(orig) - cap(got) // a reslice shares the array
			if len(got) == 0 {
				start = tc.start
			}
			if start != tc.start || start+len(got) != tc.end {
				t.Errorf("kept [%d, %d), want [%d, %d)", start, start+len(got), tc.start, tc.end)
			}
		})
	}
}

func TestGain(t *testing.T) {
	c := &Clip{Rate: 8000, Channels: 2, Samples: [][2]float64{{0.5, -0.25}}}
	c.Gain(-6.020599913279624)
	if math.Abs(c.Samples[0][0]-0.25) > 1e-12 || math.Abs(c.Samples[0][1]+0.125) > 1e-12 {
		t.Errorf("after -6.02 dB: %v", c.Samples[0])
	}
}
