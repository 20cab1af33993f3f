package mixer

import (
	"errors"
	"fmt"
	"math"

	"routinecast/audio/loudness"
)

// Normalization is what Normalize found: the render options that bring the
// track to the loudness target, and the measurements behind them.
type Normalization struct {
	// Gain in dB and Ceiling in dBTP to render with (see RenderOptions).
	Gain, Ceiling float64
	// Integrated loudness (LUFS) and true peak (dBTP) of the track rendered
	// with Gain and Ceiling, as measured in the last pass.
	Integrated, TruePeak float64
	// Before is the integrated loudness and BeforePeak the true peak of the
	// track at unity gain without the limiter (the first pass).
	Before, BeforePeak float64
	// Passes is how many times the track was rendered and measured.
	Passes int
	// LimitedBlocks is how many 4096-sample blocks the limiter turned down in
	// the last pass (0: the gain alone kept every peak under the ceiling).
	LimitedBlocks int
}

// RenderOptions returns the options to render the normalised track with.
func (n Normalization) RenderOptions() RenderOptions {
	return RenderOptions{Gain: n.Gain, Ceiling: n.Ceiling}
}

// ErrLoudness is wrapped by Normalize's error when the target cannot be met.
var ErrLoudness = errors.New("loudness target not reached")

// loudnessTolerance is how close to the target Normalize aims (the
// requirement is 0.5 LU; aiming closer leaves room for the encoder).
const loudnessTolerance = 0.05

// maxPasses bounds the renders Normalize makes.
const maxPasses = 6

// Normalize finds the gain that brings the timeline's track to
// Options.Loudness.Target (integrated loudness, BS.1770-4) with its true peak at
// or under Options.Loudness.MaxTruePeak, without holding the track in memory:
// each pass renders the track through a loudness meter and keeps only the
// measurement.
//
// Pass 1 measures the track at unity gain without the limiter; the gain is
// the target minus that loudness. Where the gain would push the true peak over
// the maximum, the limiter (see RenderOptions.Ceiling) holds peaks down
// instead of the gain being lowered: speech has a high peak-to-loudness ratio,
// and lowering the gain would miss the target by several LU. Limiting peaks
// lowers the loudness a little, so the next passes render with the gain and
// the limiter, measure, and correct the gain (and lower the ceiling if the
// meter finds a true peak over the maximum), until the loudness is within
// 0.05 LU of the target. It takes two passes when the gain alone does it, and
// three to five when the limiter works; a Normalization that misses the
// target by more than 0.5 LU, or the true peak maximum, comes back with an
// error wrapping ErrLoudness.
func Normalize(tl *Timeline, clips Clips) (Normalization, error) {
	var n Normalization
	if tl == nil {
		return n, errors.New("mixer: no timeline")
	}
	target, maxTP := tl.Options.Loudness.Target, tl.Options.Loudness.MaxTruePeak
	if target == 0 || maxTP == 0 {
		// A timeline built by hand: take the defaults as Compile would.
		o, err := (Options{Loudness: tl.Options.Loudness}).resolve()
		if err != nil {
			return n, err
		}
		target, maxTP = o.Loudness.Target, o.Loudness.MaxTruePeak
	}
	measure := func(ro RenderOptions) (loudness.Result, int, error) {
		n.Passes++
		r, err := Render(tl, clips, ro)
		if err != nil {
			return loudness.Result{}, 0, err
		}
		defer r.Close()
		res, err := loudness.Measure(r, int(tl.SampleRate), tl.Channels)
		if err != nil {
			return res, 0, fmt.Errorf("mixer: measuring loudness: %w", err)
		}
		if res.Samples != int64(tl.Length) {
			return res, 0, fmt.Errorf("mixer: measured %d samples of %d", res.Samples, tl.Length)
		}
		return res, r.LimitedBlocks(), nil
	}

	first, _, err := measure(RenderOptions{NoLimit: true})
	if err != nil {
		return n, err
	}
	n.Before, n.BeforePeak = first.Integrated, first.TruePeak
	if math.IsInf(first.Integrated, -1) || math.IsNaN(first.Integrated) {
		return n, errors.New("mixer: the track is silent (below the -70 LUFS gate): nothing to normalise")
	}
	n.Gain = target - first.Integrated
	n.Ceiling = maxTP - 0.5
	prevGain, prevLUFS := 0.0, first.Integrated // the first pass had no limiter: a rough but useful point
	for {
		if n.Gain > 60 {
			return n, fmt.Errorf("mixer: the track is at %.1f LUFS; reaching %.1f would take %.0f dB of gain: %w",
				first.Integrated, target, n.Gain, ErrLoudness)
		}
		res, limited, err := measure(n.RenderOptions())
		if err != nil {
			return n, err
		}
		n.Integrated, n.TruePeak, n.LimitedBlocks = res.Integrated, res.TruePeak, limited
		off := target - res.Integrated
		if math.Abs(off) <= loudnessTolerance && res.TruePeak <= maxTP {
			return n, nil
		}
		if n.Passes >= maxPasses {
			if math.Abs(off) <= 0.5 && res.TruePeak <= maxTP {
				return n, nil
			}
			return n, fmt.Errorf("mixer: after %d passes the track is at %.2f LUFS, true peak %.2f dBTP (target %.1f LUFS, at most %.1f dBTP): %w",
				n.Passes, res.Integrated, res.TruePeak, target, maxTP, ErrLoudness)
		}
		// Limiting makes the loudness grow slower than the gain: correct by the
		// slope seen between the last two passes (a secant step), within
		// reason.
		slope := 1.0
		if dg := n.Gain - prevGain; math.Abs(dg) > 1e-3 {
			slope = min(1, max(0.25, (res.Integrated-prevLUFS)/dg))
		}
		prevGain, prevLUFS = n.Gain, res.Integrated
		n.Gain += off / slope
		if res.TruePeak > maxTP {
			n.Ceiling -= res.TruePeak - maxTP + 0.1
		}
	}
}
