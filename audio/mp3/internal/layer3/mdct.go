package layer3

import "math"

// Long-block MDCT (ISO/IEC 11172-3 C.1.5.3.2): 36 windowed subband samples
// (the previous granule's 18 and the current 18) give 18 spectral lines,
//
//	X[i] = Σ_{k<36} z[k] cos(π/72 (2k+1+18)(2i+1)),  z[k] = w[k]·x[k],
//
// computed as an 18-point DCT-IV of the folded input. mdctScale makes the
// standard decoder's IMDCT and overlap-add give back the subband samples.
const mdctScale = 1.0 / 9

var (
	mdctWin        [36]float64 // sin(π/36 (k+1/2))
	preCos, preSin [9]float64  // cos, sin of π(4n+1)/72
	postCos        [9]float64  // cos(πk/18) · mdctScale
	postSin        [9]float64  // sin(πk/18) · mdctScale
	aliasCs        [8]float64
	aliasCa        [8]float64
)

// The 3-point DFT constant: sin(2π/3).
var sin3 = math.Sqrt(3) / 2

// twiddles of the 9-point FFT: exp(-2πi·n·k/9) for n, k in 1..2.
var tw9c, tw9s [3][3]float64

func init() {
	for k := range mdctWin {
		mdctWin[k] = math.Sin(math.Pi / 36 * (float64(k) + 0.5))
	}
	for n := 0; n < 9; n++ {
		preCos[n] = math.Cos(math.Pi * float64(4*n+1) / 72)
		preSin[n] = math.Sin(math.Pi * float64(4*n+1) / 72)
		postCos[n] = math.Cos(math.Pi*float64(n)/18) * mdctScale
		postSin[n] = math.Sin(math.Pi*float64(n)/18) * mdctScale
	}
	for n := 0; n < 3; n++ {
		for k := 0; k < 3; k++ {
			tw9c[n][k] = math.Cos(2 * math.Pi * float64(n*k) / 9)
			tw9s[n][k] = math.Sin(2 * math.Pi * float64(n*k) / 9)
		}
	}
	c := [8]float64{-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037}
	for i, ci := range c {
		s := math.Sqrt(1 + ci*ci)
		aliasCs[i] = 1 / s
		aliasCa[i] = ci / s
	}
}

// mdctGranule turns the subband samples of the previous and the current
// granule into 576 spectral lines xr (subband sb owns xr[18sb:18sb+18]),
// applying the frequency inversion of odd subbands before and the alias
// reduction butterflies after the transform.
func mdctGranule(prev, cur *[32][18]float64, xr *[576]float64) {
	var z [36]float64
	var u [18]float64
	for sb := 0; sb < 32; sb++ {
		p, c := &prev[sb], &cur[sb]
		for k := 0; k < 18; k++ {
			z[k] = p[k] * mdctWin[k]
			z[k+18] = c[k] * mdctWin[k+18]
		}
		if sb&1 == 1 {
			// Frequency inversion: the decoder negates odd samples of odd
			// subbands after its IMDCT; the encoder does so before.
			for k := 1; k < 36; k += 2 {
				z[k] = -z[k]
			}
		}
		// Fold z = (a, b, c, d) into u = (-c_r - d, a - b_r), quarters of 9.
		for n := 0; n < 9; n++ {
			u[n] = -z[26-n] - z[27+n]
			u[9+n] = z[n] - z[17-n]
		}
		dct4x18(&u, (*[18]float64)(xr[18*sb:18*sb+18]))
	}
	for sb := 1; sb < 32; sb++ {
		for i := 0; i < 8; i++ {
			lo, hi := 18*sb-1-i, 18*sb+i
			a, b := xr[lo], xr[hi]
			xr[lo] = a*aliasCs[i] + b*aliasCa[i]
			xr[hi] = b*aliasCs[i] - a*aliasCa[i]
		}
	}
}

// dct4x18 computes out[k] = mdctScale · Σ_{n<18} u[n] cos(π/18 (n+½)(k+½))
// through a 9-point complex FFT: with t[n] = (u[2n] + i·u[17-2n])·
// exp(-iπ(4n+1)/72) and T its DFT, T[k]·exp(-iπk/18) has real part out[2k]
// and imaginary part -out[17-2k], since the phases are π/18 (2n+½)(2k+½).
func dct4x18(u *[18]float64, out *[18]float64) {
	var re, im [9]float64
	for n := 0; n < 9; n++ {
		a, b := u[2*n], u[17-2*n]
		c, s := preCos[n], preSin[n]
		re[n] = a*c + b*s
		im[n] = b*c - a*s
	}
	fft9(&re, &im)
	for k := 0; k < 9; k++ {
		c, s := postCos[k], postSin[k]
		out[2*k] = re[k]*c + im[k]*s
		out[17-2*k] = re[k]*s - im[k]*c
	}
}

// fft9 computes the DFT X[k] = Σ x[n] exp(-2πi nk/9) in place, as 3×3:
// 3-point DFTs over n1 of x[3n1+n2], twiddles exp(-2πi n2·k1/9), then
// 3-point DFTs over n2 giving X[k1+3k2].
func fft9(re, im *[9]float64) {
	var ar, ai [3][3]float64 // [n2][k1]
	for n2 := 0; n2 < 3; n2++ {
		xr0, xi0 := re[n2], im[n2]
		xr1, xi1 := re[3+n2], im[3+n2]
		xr2, xi2 := re[6+n2], im[6+n2]
		y0r, y0i, y1r, y1i, y2r, y2i := dft3(xr0, xi0, xr1, xi1, xr2, xi2)
		ar[n2][0], ai[n2][0] = y0r, y0i
		// Twiddle exp(-2πi n2 k1/9) = c - i·s.
		c, s := tw9c[n2][1], tw9s[n2][1]
		ar[n2][1], ai[n2][1] = y1r*c+y1i*s, y1i*c-y1r*s
		c, s = tw9c[n2][2], tw9s[n2][2]
		ar[n2][2], ai[n2][2] = y2r*c+y2i*s, y2i*c-y2r*s
	}
	for k1 := 0; k1 < 3; k1++ {
		y0r, y0i, y1r, y1i, y2r, y2i := dft3(ar[0][k1], ai[0][k1], ar[1][k1], ai[1][k1], ar[2][k1], ai[2][k1])
		re[k1], im[k1] = y0r, y0i
		re[k1+3], im[k1+3] = y1r, y1i
		re[k1+6], im[k1+6] = y2r, y2i
	}
}

// dft3 is the 3-point DFT with exp(-2πi/3) = -½ - i·sin3.
func dft3(ar, ai, br, bi, cr, ci float64) (y0r, y0i, y1r, y1i, y2r, y2i float64) {
	tr, ti := br+cr, bi+ci
	y0r, y0i = ar+tr, ai+ti
	mr, mi := ar-tr/2, ai-ti/2
	// (b - c)·(-i·sin3)
	dr, di := sin3*(bi-ci), -sin3*(br-cr)
	return y0r, y0i, mr + dr, mi + di, mr - dr, mi - di
}
