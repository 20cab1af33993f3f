package pulsetest

import (
	"math"
	"math/rand/v2"
	"testing"
)

func noise(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = r.Float64()*2 - 1
	}
	return x
}

// naiveAlign is Align by definition, for checking the FFT version.
func naiveAlign(rec, ref []float64) (int, float64) {
	best, bestD := math.Inf(-1), 0
	for d := 0; d+len(ref) <= len(rec); d++ {
		if c := Corr(ref, rec[d:d+len(ref)]); c > best {
			best, bestD = c, d
		}
	}
	return bestD, best
}

func TestAlign(t *testing.T) {
	ref := noise(3000, 1)
	tests := []struct {
		name   string
		offset int
		gain   float64
		noise  float64
	}{
		{"start", 0, 1, 0},
		{"middle", 4321, 1, 0},
		{"end", 10000 - 3000, 1, 0},
		{"quieter", 1234, 0.25, 0},
		{"noisy", 777, 1, 0.3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := noise(10000, 2)
			for i := range rec {
				rec[i] *= tc.noise
			}
			for i, x := range ref {
				rec[tc.offset+i] += tc.gain * x
			}
			d, c := Align(rec, ref)
			nd, nc := naiveAlign(rec, ref)
			if d != tc.offset || d != nd {
				t.Errorf("offset %d (naive %d), want %d", d, nd, tc.offset)
			}
			if math.Abs(c-nc) > 1e-9 {
				t.Errorf("correlation %v, naive %v", c, nc)
			}
			if tc.noise == 0 && math.Abs(c-1) > 1e-9 {
				t.Errorf("correlation %v, want 1", c)
			}
		})
	}
}

func TestAlignDegenerate(t *testing.T) {
	if d, c := Align(make([]float64, 10), noise(20, 1)); d != 0 || c != 0 {
		t.Errorf("ref longer than rec: %d %v", d, c)
	}
	if d, c := Align(make([]float64, 100), noise(20, 1)); d != 0 || c != 0 {
		t.Errorf("silent rec: %d %v", d, c)
	}
}

func TestCorrGainRMS(t *testing.T) {
	a := noise(1000, 3)
	b := make([]float64, len(a))
	for i := range a {
		b[i] = -0.5 * a[i]
	}
	if c := Corr(a, b); math.Abs(c+1) > 1e-12 {
		t.Errorf("Corr = %v, want -1", c)
	}
	if g := Gain(a, b); math.Abs(g+0.5) > 1e-12 {
		t.Errorf("Gain = %v, want -0.5", g)
	}
	if r := RMS([]float64{3, -3, 3, -3}); r != 3 {
		t.Errorf("RMS = %v, want 3", r)
	}
	if Corr(a, make([]float64, 10)) != 0 || Gain(make([]float64, 5), a) != 0 || RMS(nil) != 0 {
		t.Error("silence should give 0")
	}
}

func TestMergeEnv(t *testing.T) {
	got := MergeEnv([]string{"A=1", "B=2", "C=3"}, "B=x", "D=y")
	want := []string{"A=1", "C=3", "B=x", "D=y"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}
