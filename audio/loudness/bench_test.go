package loudness

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMeterStereo44k measures one second of stereo 44.1 kHz per
// iteration; the realtime factor is printed as a metric.
func BenchmarkMeterStereo44k(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := make([][2]float64, 44100)
	for i := range s {
		s[i] = [2]float64{0.1 * rng.NormFloat64(), 0.1 * rng.NormFloat64()}
	}
	m := NewMeter(44100, 2)
	b.ResetTimer()
	for b.Loop() {
		m.Write(s)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
}
