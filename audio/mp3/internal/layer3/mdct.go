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
	mdctWin [36]float64     // sin(π/36 (k+1/2))
	dct4Cos [18][18]float64 // cos(π/18 (n+1/2)(i+1/2)) · mdctScale
	aliasCs [8]float64
	aliasCa [8]float64
)

func init() {
	for k := range mdctWin {
		mdctWin[k] = math.Sin(math.Pi / 36 * (float64(k) + 0.5))
	}
	for i := 0; i < 18; i++ {
		for n := 0; n < 18; n++ {
			dct4Cos[i][n] = math.Cos(math.Pi/18*(float64(n)+0.5)*(float64(i)+0.5)) * mdctScale
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
		out := xr[18*sb : 18*sb+18]
		for i := 0; i < 18; i++ {
			row := &dct4Cos[i]
			s := 0.0
			for n := 0; n < 18; n++ {
				s += row[n] * u[n]
			}
			out[i] = s
		}
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
