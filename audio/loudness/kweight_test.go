package loudness

import (
	"math"
	"testing"

	"routinecast/internal/dsp"
)

// The coefficients BS.1770-4 Annex 1 lists for 48 kHz (Tables 1 and 2).
var (
	stdShelf    = dsp.Biquad{B0: 1.53512485958697, B1: -2.69169618940638, B2: 1.19839281085285, A1: -1.69065929318241, A2: 0.73248077421585}
	stdHighpass = dsp.Biquad{B0: 1, B1: -2, B2: 1, A1: -1.99004745483398, A2: 0.99007225036621}
)

func TestKWeightingAt48k(t *testing.T) {
	shelf, hp := kWeighting(48000)
	for _, c := range []struct {
		name      string
		got, want dsp.Biquad
	}{{"shelf", shelf, stdShelf}, {"high-pass", hp, stdHighpass}} {
		got := []float64{c.got.B0, c.got.B1, c.got.B2, c.got.A1, c.got.A2}
		want := []float64{c.want.B0, c.want.B1, c.want.B2, c.want.A1, c.want.A2}
		for i := range got {
			d := math.Abs(got[i] - want[i])
			if d > 1e-8 {
				t.Errorf("%s coefficient %d = %.14f, standard %.14f (off by %.2g)", c.name, i, got[i], want[i], d)
			}
			t.Logf("%s coefficient %d off by %.2g", c.name, i, d)
		}
	}
}
