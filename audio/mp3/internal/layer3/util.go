package layer3

import "math"

// stepSize is the quantizer step 2^((g-210)/4) of global gain g.
func stepSize(g int) float64 { return math.Pow(2, float64(g-210)/4) }

// log2Floor returns log2(max(v, floor)/floor).
func log2Floor(v, floor float64) float64 {
	if v <= floor {
		return 0
	}
	return math.Log2(v / floor)
}
