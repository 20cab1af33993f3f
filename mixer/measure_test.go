package mixer

import (
	"context"
	"math"
	"testing"

	"routinecast/audio/loudness"
	"routinecast/mixer/mixertest"
)

// TestMeasurePredicts: the loudness one measuring pass predicts at a gain,
// with the limiter at work, is what rendering at that gain gives, from no
// limiting to heavy limiting.
func TestMeasurePredicts(t *testing.T) {
	clips := &mixertest.Clips{SampleRate: sr, Level: 0.6}
	tl := compile(t, mixed(), clips, Options{})
	m, err := Measure(context.Background(), tl, clips, MeasureOptions{Hint: 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, gain := range []float64{-6, -2, 0, 2.5, 5} {
		want, err := m.LoudnessAt(gain)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Render(tl, clips, RenderOptions{Gain: gain})
		if err != nil {
			t.Fatal(err)
		}
		res, err := loudness.Measure(r, sr, tl.Channels)
		limited := r.LimitedBlocks()
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("gain %+.1f dB: predicted %.3f LUFS, rendered %.3f LUFS (limiter in %d blocks)", gain, want, res.Integrated, limited)
		if math.Abs(want-res.Integrated) > 0.1 {
			t.Errorf("gain %+.1f dB: predicted %.3f LUFS, rendered %.3f", gain, want, res.Integrated)
		}
	}
	if _, err := m.LoudnessAt(9); err == nil {
		t.Error("no error for a gain outside the measured range")
	}
}

// TestMeasureWorkers: the measurement is the same however many segments are
// measured at once.
func TestMeasureWorkers(t *testing.T) {
	clips := fake()
	tl := compile(t, mixed(), clips, Options{})
	var first *Measurement
	for _, w := range []int{1, 2, 5} {
		m, err := Measure(context.Background(), tl, clips, MeasureOptions{Hint: 3, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = m
			continue
		}
		for _, g := range []float64{0, 3, 6} {
			a, _ := first.LoudnessAt(g)
			b, _ := m.LoudnessAt(g)
			if a != b {
				t.Errorf("%d workers: %.12f LUFS at %+g dB, one worker %.12f", w, b, g, a)
			}
		}
	}
}
