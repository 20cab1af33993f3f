package audio

import (
	"math"
)

// tone returns n samples of a sine (different frequencies left and right, so
// a channel swap shows), with amplitude a.
func tone(rate, n int, a float64) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		x := float64(i) / float64(rate)
		out[i] = [2]float64{a * math.Sin(2*math.Pi*440*x), a * math.Sin(2*math.Pi*660*x+0.3)}
	}
	return out
}

func maxDiff(a, b [][2]float64) (float64, int) {
	d, at := 0.0, -1
	for i := range min(len(a), len(b)) {
		for c := range 2 {
			if x := math.Abs(a[i][c] - b[i][c]); x > d {
				d, at = x, i
			}
		}
	}
	return d, at
}
