package layer3

import (
	"math"

	"routinecast/audio/mp3/internal/tables"
)

// histLen is how many past samples the 512-tap analysis window still needs
// when a new granule starts.
const histLen = 512 - 32

// winRev holds the analysis window C[i] reversed (winRev[u] = C[511-u]), so
// that the windowing runs forward over the sample buffer.
var winRev [512]float64

// fac[N/2+k] = 1/(2 cos(π(2k+1)/(2N))), k < N/2: the odd-half factors of
// the DCT-III split of size N, for N = 2, 4, ..., 32 side by side.
var fac [32]float64

func init() {
	for i, c := range tables.AnalysisWindow {
		winRev[511-i] = float64(c) / (65536 * 32)
	}
	for h := 1; h < len(fac); h *= 2 {
		n := 2 * h
		for k := range h {
			fac[h+k] = 1 / (2 * math.Cos(math.Pi*float64(2*k+1)/float64(2*n)))
		}
	}
}

// analysis is the polyphase analysis filterbank of one channel (ISO/IEC
// 11172-3 C.1.3). buf holds the histLen samples before the current granule
// followed by the granule's 576 samples.
type analysis struct {
	buf [histLen + 576]float64
}

// input returns the slice the caller fills with the next granule's samples.
func (a *analysis) input() []float64 { return a.buf[histLen:] }

// run filters the granule in a.input() into 18 samples of each of the 32
// subbands, out[sb][t], then keeps the history for the next granule.
func (a *analysis) run(out *[32][18]float64) {
	var u [64]float64
	var x [32]float64
	w := &winRev
	for t := 0; t < 18; t++ {
		// X[i] (newest sample first) is base[511-i]; the 8 window taps of
		// Y[i] = Σ_j C[i+64j]·X[i+64j] fall on base[r+64j] with r = 63-i.
		base := (*[512]float64)(a.buf[32*t : 32*t+512])
		for r := 0; r < 64; r++ {
			// Summed as a tree: shorter dependency chains.
			u[r] = ((w[r]*base[r] + w[r+64]*base[r+64]) + (w[r+128]*base[r+128] + w[r+192]*base[r+192])) +
				((w[r+256]*base[r+256] + w[r+320]*base[r+320]) + (w[r+384]*base[r+384] + w[r+448]*base[r+448]))
		}
		// S[k] = Σ_{i<64} Y[i] cos((2k+1)(i-16)π/64) folds into a 32-point
		// DCT-III over n = |i-16| with the symmetries of the cosine.
		// Y[i] = u[63-i].
		x[0] = u[47]
		for n := 1; n < 16; n++ {
			x[n] = u[47-n] + u[47+n]
		}
		x[16] = u[31] + u[63]
		for n := 17; n < 32; n++ {
			x[n] = u[47-n] - u[n-17]
		}
		dct32(&x)
		for k := 0; k < 32; k++ {
			out[k][t] = x[k]
		}
	}
	a.shift()
}

// shift keeps the history for the next granule.
func (a *analysis) shift() { copy(a.buf[:histLen], a.buf[576:]) }

// silent reports whether the window holds only zeros, history and granule.
func (a *analysis) silent() bool {
	for _, v := range a.buf {
		if v != 0 {
			return false
		}
	}
	return true
}

// dct computes X[k] = Σ_{n<N} x[n] cos(πn(2k+1)/(2N)) in place, for N =
// len(x) a power of two from 4 to 32. Each size splits into the DCT-III of
// the even samples and that of the odd ones, the latter through
// 2cos(a)cos(b) = cos(a+b) + cos(a-b): with o[m] = x[2m+1] + x[2m-1],
// X[k] = E[k] ± O[k]/(2cos(π(2k+1)/(2N))).
func dct(x []float64) {
	n := len(x)
	if n == 4 {
		dct4((*[4]float64)(x))
		return
	}
	h := n / 2
	var eb, ob [16]float64
	e, o := eb[:h], ob[:h]
	e[0], o[0] = x[0], x[1]
	for m := 1; m < h; m++ {
		e[m] = x[2*m]
		o[m] = x[2*m+1] + x[2*m-1]
	}
	dct(e)
	dct(o)
	f := fac[h:n]
	for k := range h {
		t := o[k] * f[k]
		x[k] = e[k] + t
		x[n-1-k] = e[k] - t
	}
}

// dct32 is the size the filterbank takes.
func dct32(x *[32]float64) { dct(x[:]) }

func dct4(x *[4]float64) {
	e0, e1 := x[0], x[2]
	o0, o1 := x[1], x[3]+x[1]
	// Size 2: X[0] = a + b/(2cos(π/4)), X[1] = a - b/(2cos(π/4)).
	e0, e1 = e0+e1*fac[1], e0-e1*fac[1]
	o0, o1 = o0+o1*fac[1], o0-o1*fac[1]
	t0, t1 := o0*fac[2], o1*fac[3]
	x[0], x[3] = e0+t0, e0-t0
	x[1], x[2] = e1+t1, e1-t1
}
