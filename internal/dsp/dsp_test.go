package dsp

import (
	"math"
	"testing"
)

func TestGainDecibels(t *testing.T) {
	if Gain(0) != 1 || Gain(20) != 10 || Gain(-40) != 0.01 {
		t.Errorf("Gain(0, 20, -40) = %v, %v, %v; want 1, 10, 0.01", Gain(0), Gain(20), Gain(-40))
	}
	if g := Gain(-20 * math.Log10(2)); math.Abs(g-0.5) > 1e-15 {
		t.Errorf("Gain(-6.02 dB) = %v, want 0.5", g)
	}
	for _, db := range []float64{-70, -23, -1.5, 0, 3.99} {
		if back := Decibels(Gain(db)); math.Abs(back-db) > 1e-12 {
			t.Errorf("Decibels(Gain(%v)) = %v", db, back)
		}
	}
	if !math.IsInf(Decibels(0), -1) {
		t.Errorf("Decibels(0) = %v, want -Inf", Decibels(0))
	}
}

// Grow reuses a buffer long enough and reallocates one too short.
func TestGrow(t *testing.T) {
	var b []float64
	x := Grow(&b, 8)
	if len(x) != 8 || len(b) != 8 {
		t.Fatalf("Grow(nil, 8): len %d, buffer %d", len(x), len(b))
	}
	x[0] = 1
	if y := Grow(&b, 4); len(y) != 4 || &y[0] != &x[0] {
		t.Error("a shorter length reallocated")
	}
	if z := Grow(&b, 16); len(z) != 16 || cap(b) < 16 {
		t.Errorf("Grow to 16: len %d, cap %d", len(z), cap(b))
	}
}
