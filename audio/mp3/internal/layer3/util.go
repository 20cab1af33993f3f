package layer3

import "math"

// stepSize is the quantizer step 2^((g-210)/4) of global gain g.
func stepSize(g int) float64 { return math.Pow(2, float64(g-210)/4) }

// log2Floor returns log2(max(v, floor)/floor), to about 0.01.
func log2Floor(v, floor float64) float64 {
	if v <= floor {
		return 0
	}
	return fastLog2(v / floor)
}

// fastLog2 approximates log2(x) for x > 0 within 0.001: the exponent plus
// log2 of the mantissa m in [1, 2) from the series 2·atanh(s)/ln 2, with
// s = (m-1)/(m+1) <= 1/3, to the s^5 term.
func fastLog2(x float64) float64 {
	b := math.Float64bits(x)
	e := float64(int(b>>52&0x7FF) - 1023)
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	s := (m - 1) / (m + 1)
	s2 := s * s
	return e + s*(2/math.Ln2)*(1+s2*(1.0/3+s2*(1.0/5)))
}
