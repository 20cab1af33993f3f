package mixer

import (
	"testing"

	"routinecast/internal/testtool"
	"routinecast/routines"
)

// BenchmarkRender renders lower-back at the standard level (about half an
// hour) with the stand-in voice, to a sink that discards the samples, and
// reports how many times faster than real time that is.
func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name string
		o    Options
		ro   RenderOptions
	}{
		{"plain", Options{}, RenderOptions{}},
		{"gain+6dB", Options{}, RenderOptions{Gain: 6}},
		{"music", Options{Music: MusicOptions{Source: sineMusic{48000, 500, 48000 * 10, nil}}}, RenderOptions{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := fake()
			tl := compile(b, lowerBack(b, routines.Standard), c, bc.o)
			buf := make([][2]float64, 4096)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := Render(tl, c, bc.ro)
				if err != nil {
					b.Fatal(err)
				}
				testtool.Drain(b, r, buf)
				r.Close()
			}
			perRender := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(tl.Duration().Seconds()/perRender, "x_realtime")
			b.ReportMetric(tl.Duration().Seconds(), "audio_s")
		})
	}
}
