package export

import (
	"context"
	"io"
	"math"
	"testing"

	"routinecast/audio"
	"routinecast/audio/loudness"
	"routinecast/internal/dsp"
	"routinecast/job"
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
		j, err := job.Compile(job.Options{Routine: r, Mixer: mixer.Options{Loudness: mixer.LoudnessOptions{Target: target}}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		norm, m, err := normalize(ctx, j, j.Clips, nil)
		if err != nil {
			t.Fatal(err)
		}
		run := func(reuse bool) (lufs, tp float64, limited int) {
			ro := norm.RenderOptions()
			o := &output{tl: j.Timeline, clips: j.Clips, ro: ro}
			if reuse {
				o.ro.Measured, o.measured = m, m
				o.peakFloor = dsp.Gain(norm.Gain) * m.Floor() * (1 + 1e-6)
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

// The segments' sub-blocks tile the track, one share each, whatever the
// length: including an MP3 whose last segment holds only the encoder's
// delay, past the track's end.
func TestMeasuredSubBlocksTile(t *testing.T) {
	const rate, step = 44100, 128 * 1152
	for _, length := range []int64{1, 4409, 4410, 4411, step - 1, step, step + 1, 3*step - 100, 3*step + 4410*7 + 13, 98681255} {
		for _, tail := range []int64{0, 1105, step} {
			n := (length + tail + step - 1) / step
			next := int64(0)
			for i := int64(0); i < n; i++ {
				own0, own1 := min(length, i*step), min(length, (i+1)*step)
				sb0, sb1 := measuredSubBlocks(own0, own1, length, rate)
				if sb0 == sb1 {
					continue
				}
				if sb0 != next {
					t.Fatalf("length %d, tail %d: segment %d measures sub-blocks from %d, want %d", length, tail, i, sb0, next)
				}
				next = sb1
			}
			if want := loudness.SubBlocks(length, rate); next != want {
				t.Errorf("length %d, tail %d: the segments measure %d sub-blocks of %d", length, tail, next, want)
			}
		}
	}
}
