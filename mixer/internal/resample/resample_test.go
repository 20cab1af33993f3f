package resample

import (
	"math"
	"testing"

	"routinecast/internal/testtool"

	"github.com/gopxl/beep/v2"
)

// sine is a seekable source of n samples of a sine, cycles times over.
func sine(n int, cycles float64) *testtool.Stream {
	s := make([][2]float64, n)
	for i := range s {
		v := math.Sin(2 * math.Pi * cycles * float64(i) / float64(n))
		s[i] = [2]float64{v, -v}
	}
	return &testtool.Stream{Samples: s}
}

func TestLooperSine(t *testing.T) {
	tests := []struct {
		name     string
		from, to beep.SampleRate
	}{
		{"same rate", 44100, 44100},
		{"down 48000 to 44100", 48000, 44100},
		{"up 22050 to 44100", 22050, 44100},
		{"up 8000 to 44100", 8000, 44100},
		{"odd 44101 to 48000", 44101, 48000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A loop of about 100 ms holding a whole number of cycles (about
			// 440 Hz): looped, a seamless sine.
			n := int(tc.from) / 10
			src := sine(n, 44)
			hz := 44 * float64(tc.from) / float64(n)
			l, err := New(src, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			out := make([][2]float64, int(tc.to)/2) // five loops
			if err := l.Fill(out, 0); err != nil {
				t.Fatal(err)
			}
			var maxErr float64
			for i, v := range out {
				want := math.Sin(2 * math.Pi * hz * float64(i) / float64(tc.to))
				maxErr = max(maxErr, math.Abs(v[0]-want), math.Abs(v[1]+want))
			}
			if maxErr > 2e-3 {
				t.Errorf("largest error against the ideal sine %.2g, want < 2e-3", maxErr)
			}
		})
	}
}

func TestLooperSeekExact(t *testing.T) {
	src := sine(4801, 37.3) // a loop that does not join smoothly: still repeatable
	l, err := New(src, 48000, 44100)
	if err != nil {
		t.Fatal(err)
	}
	all := make([][2]float64, 30000)
	for i := 0; i < len(all); i += 777 {
		if err := l.Fill(all[i:min(i+777, len(all))], i); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []int{29000, 0, 12345, 4410, 4411, 100} {
		got := make([][2]float64, 1000)
		if err := l.Fill(got, p); err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if p+i < len(all) && v != all[p+i] {
				t.Fatalf("at %d after seeking to %d: %v, reading from the start gave %v", p+i, p, v, all[p+i])
			}
		}
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(&testtool.Stream{}, 44100, 48000); err == nil {
		t.Error("an empty source: no error")
	}
	if _, err := New(sine(10, 1), 0, 48000); err == nil {
		t.Error("rate 0: no error")
	}
}
