package loudness

import (
	"math"
	"testing"
)

// The coefficients BS.1770-4 Annex 1 lists for 48 kHz (Tables 1 and 2).
var (
	stdShelf    = biquad{b0: 1.53512485958697, b1: -2.69169618940638, b2: 1.19839281085285, a1: -1.69065929318241, a2: 0.73248077421585}
	stdHighpass = biquad{b0: 1, b1: -2, b2: 1, a1: -1.99004745483398, a2: 0.99007225036621}
)

func TestKWeightingAt48k(t *testing.T) {
	shelf, hp := kWeighting(48000)
	for _, c := range []struct {
		name      string
		got, want biquad
	}{{"shelf", shelf, stdShelf}, {"high-pass", hp, stdHighpass}} {
		got := []float64{c.got.b0, c.got.b1, c.got.b2, c.got.a1, c.got.a2}
		want := []float64{c.want.b0, c.want.b1, c.want.b2, c.want.a1, c.want.a2}
		for i := range got {
			d := math.Abs(got[i] - want[i])
			if d > 1e-8 {
				t.Errorf("%s coefficient %d = %.14f, standard %.14f (off by %.2g)", c.name, i, got[i], want[i], d)
			}
			t.Logf("%s coefficient %d off by %.2g", c.name, i, d)
		}
	}
}
