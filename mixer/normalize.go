package mixer

import (
	"context"
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
	// with Gain and Ceiling, as measured.
	Integrated, TruePeak float64
	// Before is the integrated loudness of the track at unity gain without the
	// limiter, and BeforePeak its largest true-peak estimate there (the
	// limiter's), from the measuring pass.
	Before, BeforePeak float64
	// Passes is how many times the track was rendered: the measuring pass,
	// then the renders that measured the result.
	Passes int
	// LimitedBlocks is how many 4096-sample blocks the limiter turned down in
	// the last render Normalize measured (0: the gain alone kept every peak
	// under the ceiling; an export does not count them).
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
const loudnessTolerance = 0.1

// maxPasses bounds the renders Normalize makes.
const maxPasses = 4

// Normalize finds the gain that brings the timeline's track to
// Options.Loudness.Target (integrated loudness, BS.1770-4) with its true peak at
// or under Options.Loudness.MaxTruePeak, without holding the track in memory.
//
// One pass (Measure) renders the track at unity gain and predicts its
// loudness at any gain with the limiter at work (see RenderOptions.Ceiling):
// where the gain would push the true peak over the maximum, the limiter holds
// peaks down instead of the gain being lowered, since speech has a high
// peak-to-loudness ratio and lowering the gain would miss the target by
// several LU. A second pass renders the track at the gain found and measures
// it, to report what it is; should it miss the target by more than 0.1 LU or
// the true peak maximum, the gain or the ceiling is corrected and it is
// measured again. A Normalization that misses the target by more than 0.5 LU,
// or the true peak maximum, comes back with an error wrapping ErrLoudness.
// An export does the second pass as it writes (see package export).
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
	n.Ceiling = maxTP - 0.5
	hint := math.NaN()
	for {
		m, err := Measure(context.Background(), tl, clips, MeasureOptions{Hint: hint, Ceiling: n.Ceiling})
		if err != nil {
			return n, err
		}
		n.Passes++
		n.Before, n.BeforePeak = m.Before(), m.Peak()
		n.Gain, _, err = m.Solve(target)
		if errors.Is(err, ErrOutOfRange) && n.Passes == 1 {
			hint = n.Gain // measure again around it
			continue
		}
		if err != nil {
			return n, err
		}
		break
	}
	if n.Gain > 60 {
		return n, fmt.Errorf("mixer: the track is at %.1f LUFS; reaching %.1f would take %.0f dB of gain: %w",
			n.Before, target, n.Gain, ErrLoudness)
	}
	for {
		n.Passes++
		r, err := Render(tl, clips, n.RenderOptions())
		if err != nil {
			return n, err
		}
		res, err := loudness.Measure(r, int(tl.SampleRate), tl.Channels)
		n.LimitedBlocks = r.LimitedBlocks()
		r.Close()
		if err != nil {
			return n, fmt.Errorf("mixer: measuring loudness: %w", err)
		}
		if res.Samples != int64(tl.Length) {
			return n, fmt.Errorf("mixer: measured %d samples of %d", res.Samples, tl.Length)
		}
		n.Integrated, n.TruePeak = res.Integrated, res.TruePeak
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
		n.Gain += off
		if res.TruePeak > maxTP {
			n.Ceiling -= res.TruePeak - maxTP + 0.1
		}
	}
}
