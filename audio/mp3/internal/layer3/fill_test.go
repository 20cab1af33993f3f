package layer3

import (
	"math"
	"math/rand/v2"
	"testing"

	"routinecast/audio/mp3/internal/tables"
)

// TestNoiseFill quantizes a granule shaped like voiced speech (strong low
// bands, bands 30-40 dB down above them) at a step that rounds every line
// of the weak bands to zero, and checks that noise filling codes each weak
// band at about its energy (-3 to +4.8 dB) instead of leaving a hole, with
// only ±1 values, and leaves the strong bands as rounding made them.
func TestNoiseFill(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	sfb := &tables.SfbLong[1][1] // 24 kHz
	var g granule
	g.sfb = sfb
	for b := 0; b < 22; b++ {
		level := 1e-3 // weak
		if b < 4 {
			level = 0.05
		}
		for i := sfb[b]; i < sfb[b+1]; i++ {
			g.xr[i] = level * r.NormFloat64()
		}
	}
	g.prepare()
	// The finest gain at which no line of band 10 rounds to 1.
	gain := 0
	for ; gain < 255; gain++ {
		if g.bandMax[10]*stepPow[gain]+roundOffset < 1 {
			break
		}
	}
	g.quantize(gain)
	unit := stepEnergy[gain]
	filled := 0
	for b := 4; b < 22; b++ {
		var have float64
		for i := sfb[b]; i < sfb[b+1]; i++ {
			if g.ix[i] > 1 {
				t.Fatalf("band %d line %d quantized to %d, want at most 1", b, i, g.ix[i])
			}
			have += float64(g.ix[i]) * unit
		}
		e := g.bandE[b]
		if e < fillMin*unit {
			continue // too weak to fill: one line would overshoot it
		}
		filled++
		if db := 10 * math.Log10(have/e); db < -3.01 || db > 4.78 {
			t.Errorf("band %d coded at %.1f dB of its energy, want -3 to +4.8", b, db)
		}
	}
	if filled < 10 {
		t.Errorf("only %d weak bands were worth filling: the test signal is wrong", filled)
	}
	// The strong bands are rounded as usual.
	q := stepPow[gain]
	for i := 0; i < sfb[4]; i++ {
		want := int32(g.xr34[i]*q + roundOffset)
		if g.ix[i] != want && !(want == 0 && g.ix[i] == 1) {
			t.Errorf("line %d quantized to %d, want %d", i, g.ix[i], want)
		}
	}
}
