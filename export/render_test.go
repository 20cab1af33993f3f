package export

import (
	"context"
	"io"
	"math"
	"testing"

	"routinecast/audio"
	"routinecast/mixer"
	"routinecast/routines"
)

// The output's loudness and true peak, taken from the measuring pass where
// the limiter left the gain alone, are what metering every sample gives:
// at the usual target, and at one loud enough that the limiter works in
// most blocks.
func TestOutputMeterReusesMeasurement(t *testing.T) {
	r, err := routines.Parse("several.yaml", []byte(several))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []float64{-16, -12} {
		j, err := Compile(Options{Routine: r, Mixer: mixer.Options{Loudness: mixer.LoudnessOptions{Target: target}}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		norm, m, err := j.normalize(ctx, j.Clips)
		if err != nil {
			t.Fatal(err)
		}
		run := func(reuse bool) (lufs, tp float64, limited int) {
			ro := norm.RenderOptions()
			o := &output{tl: j.Timeline, clips: j.Clips, ro: ro}
			if reuse {
				o.ro.Measured, o.measured = m, m
				o.peakFloor = dbToGain(norm.Gain) * m.Floor() * (1 + 1e-6)
			}
			enc, err := audio.NewWAVEncoder(io.Discard, audio.EncodeOptions{SampleRate: j.Timeline.SampleRate, Channels: 1, Length: j.Timeline.Length})
			if err != nil {
				t.Fatal(err)
			}
			o.enc = enc
			lufs, tp, err = o.run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return lufs, tp, o.limitedSubBlocks
		}
		l0, p0, _ := run(false)
		l1, p1, limited := run(true)
		t.Logf("target %.0f: metered %.6f LUFS %.6f dBTP; reused %.6f LUFS %.6f dBTP; %d sub-blocks metered again", target, l0, p0, l1, p1, limited)
		if math.Abs(l1-l0) > 1e-6 || math.Abs(p1-p0) > 1e-5 {
			t.Errorf("target %.0f: the reused measurement reads %.6f LUFS, %.6f dBTP; metering all, %.6f LUFS, %.6f dBTP", target, l1, p1, l0, p0)
		}
		if target == -12 && limited == 0 {
			t.Errorf("target %.0f: no sub-block was metered again: the limiter never worked, so the test proves nothing", target)
		}
	}
}
