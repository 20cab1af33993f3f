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

// dct32Fac[n] holds 1/(2 cos(π(2k+1)/(2n))) for the DCT-III split of size n.
var dct32Fac = map[int][]float64{}

func init() {
	for i, c := range tables.AnalysisWindow {
		winRev[511-i] = float64(c) / (65536 * 32)
	}
	for n := 2; n <= 32; n *= 2 {
		f := make([]float64, n/2)
		for k := range f {
			f[k] = 1 / (2 * math.Cos(math.Pi*float64(2*k+1)/float64(2*n)))
		}
		dct32Fac[n] = f
	}
	fac2, fac4, fac8, fac16, fac32 = dct32Fac[2], dct32Fac[4], dct32Fac[8], dct32Fac[16], dct32Fac[32]
}

var fac2, fac4, fac8, fac16, fac32 []float64

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
	var x, tmp [32]float64
	for t := 0; t < 18; t++ {
		// X[i] (newest sample first) is base[511-i]; the 8 window taps of
		// Y[i] = Σ_j C[i+64j]·X[i+64j] fall on base[r+64j] with r = 63-i.
		base := a.buf[32*t : 32*t+512]
		w := winRev[:]
		for r := 0; r < 64; r++ {
			u[r] = w[r]*base[r] + w[r+64]*base[r+64] + w[r+128]*base[r+128] +
				w[r+192]*base[r+192] + w[r+256]*base[r+256] + w[r+320]*base[r+320] +
				w[r+384]*base[r+384] + w[r+448]*base[r+448]
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
		dct3(x[:], tmp[:])
		for k := 0; k < 32; k++ {
			out[k][t] = x[k]
		}
	}
	copy(a.buf[:histLen], a.buf[576:])
}

// dct3 computes X[k] = Σ_{n<N} x[n] cos(πn(2k+1)/(2N)) in place for N a power
// of two up to 32, splitting into even and odd halves (the odd half through
// 2cos(a)cos(b) = cos(a+b) + cos(a-b)). tmp must be as long as x.
func dct3(x, tmp []float64) {
	n := len(x)
	if n == 1 {
		return
	}
	h := n / 2
	even, odd := tmp[:h], tmp[h:n]
	even[0] = x[0]
	odd[0] = x[1]
	for m := 1; m < h; m++ {
		even[m] = x[2*m]
		odd[m] = x[2*m+1] + x[2*m-1]
	}
	dct3(even, x[:h])
	dct3(odd, x[h:n])
	var f []float64
	switch n {
	case 2:
		f = fac2
	case 4:
		f = fac4
	case 8:
		f = fac8
	case 16:
		f = fac16
	default:
		f = fac32
	}
	for k := 0; k < h; k++ {
		o := odd[k] * f[k]
		x[k] = even[k] + o
		x[n-1-k] = even[k] - o
	}
}
