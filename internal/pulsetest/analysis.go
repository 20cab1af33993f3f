package pulsetest

import (
	"math"
	"math/cmplx"
)

// Align finds where ref occurs in rec: the offset d maximising the normalised
// cross-correlation of ref with rec[d:d+len(ref)], and that correlation (1 for
// an exact scaled copy). ref must not be longer than rec.
func Align(rec, ref []float64) (offset int, corr float64) {
	n, m := len(ref), len(rec)
	if n == 0 || n > m {
		return 0, 0
	}
	size := 1
	for size < m+n {
		size <<= 1
	}
	a := make([]complex128, size)
	b := make([]complex128, size)
	for i, x := range rec {
		a[i] = complex(x, 0)
	}
	for i, x := range ref {
		b[i] = complex(x, 0)
	}
	fft(a, false)
	fft(b, false)
	for i := range a {
		a[i] *= cmplx.Conj(b[i])
	}
	fft(a, true)

	// Energy of each window of rec, from prefix sums.
	pre := make([]float64, m+1)
	for i, x := range rec {
		pre[i+1] = pre[i] + x*x
	}
	var eref float64
	for _, x := range ref {
		eref += x * x
	}
	best, bestD := math.Inf(-1), 0
	for d := 0; d+n <= m; d++ {
		e := pre[d+n] - pre[d]
		if e <= 0 {
			continue
		}
		c := real(a[d]) / float64(size) / math.Sqrt(e*eref)
		if c > best {
			best, bestD = c, d
		}
	}
	if math.IsInf(best, -1) {
		return 0, 0
	}
	return bestD, best
}

// Corr returns the normalised correlation of a and b over their common length:
// 1 when one is a positive multiple of the other, 0 when either is silent.
func Corr(a, b []float64) float64 {
	n := min(len(a), len(b))
	var ab, aa, bb float64
	for i := range n {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
	}
	if aa == 0 || bb == 0 {
		return 0
	}
	return ab / math.Sqrt(aa*bb)
}

// Gain returns the least-squares g with b ≈ g·a over their common length.
func Gain(a, b []float64) float64 {
	n := min(len(a), len(b))
	var ab, aa float64
	for i := range n {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
	}
	if aa == 0 {
		return 0
	}
	return ab / aa
}

// RMS returns the root mean square of x (0 when empty).
func RMS(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s / float64(len(x)))
}

// fft transforms x in place (len(x) a power of two); inverse leaves the result
// unscaled (n times the inverse transform).
func fft(x []complex128, inverse bool) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Rect(1, sign*2*math.Pi/float64(size))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := range size / 2 {
				u, v := x[start+k], x[start+k+size/2]*wk
				x[start+k], x[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
}
