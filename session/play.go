package session

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/gopxl/beep/v2"

	"routinecast/audio/playback"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/routines"
)

var _ Player = (*playback.Player)(nil)

// PlayOptions say what Play plays and where it shows it.
type PlayOptions struct {
	// Compile makes the track, the same one an export writes, so that play
	// sounds like the file. It runs while the audio output opens.
	Compile func() (*job.Job, error)
	// Rate is the sample rate the output is opened at before the track is
	// known: export's, so that nothing is resampled in the usual case.
	Rate beep.SampleRate
	// Start, if set, gives the chapter to start at (-1: the track's start)
	// once the timeline is known.
	Start func(*mixer.Timeline) (int, error)
	// Resume, In and Out are as in Options.
	Resume func(chapter int) string
	In     io.Reader
	Out    io.Writer
}

// Play plays a routine through the audio output, behind the session screen
// (see Run). The output opens while the track compiles: it is slow on some
// systems, and on a machine with no sound it fails fast, whose error comes
// first, since it is the first thing to fix. Stopped by ctx, before the sound
// begins or after, it returns an error matching ctx's (context.Canceled for a
// signal).
func Play(ctx context.Context, o PlayOptions) error {
	opened := make(chan error, 1)
	go func() { opened <- playback.Init(ctx, o.Rate) }()
	type compiled struct {
		job *job.Job
		err error
	}
	compiling := make(chan compiled, 1)
	go func() {
		j, err := o.Compile()
		compiling <- compiled{j, err}
	}()
	var j *job.Job
	for j == nil {
		select {
		case err := <-opened:
			if err != nil {
				return err
			}
			opened = nil
		case c := <-compiling:
			if c.err != nil {
				if opened != nil {
					if err := <-opened; err != nil {
						return err
					}
				}
				return c.err
			}
			j = c.job
		case <-ctx.Done():
			return fmt.Errorf("session: stopped: %w", context.Cause(ctx))
		}
	}
	tl := j.Timeline
	from := -1
	if o.Start != nil {
		var err error
		if from, err = o.Start(tl); err != nil {
			return err
		}
	}
	if opened != nil {
		if err := <-opened; err != nil {
			return err
		}
	}
	// Playback starts at once, so it cannot measure the track as export
	// does: the voice's known clip loudness gives the gain, and the limiter
	// keeps the peaks in.
	ren, err := mixer.Render(tl, j.Clips, mixer.RenderOptions{Gain: j.EstimatedGain()})
	if err != nil {
		return err
	}
	defer ren.Close()
	if from >= 0 {
		if err := ren.Seek(tl.Chapters[from].Start); err != nil {
			return err
		}
	}
	p, err := playback.New(ctx, ren, beep.Format{SampleRate: tl.SampleRate, NumChannels: 2, Precision: 2})
	if err != nil {
		return err
	}
	defer p.Close()
	level := string(j.Script.Level)
	if slices.Contains(routines.Levels(), j.Script.Level) {
		level = routines.LabelsFor(j.Script.Language).Label(level)
	}
	return Run(ctx, Options{
		Timeline: tl, Player: p, Title: fmt.Sprintf("%s (%s)", tl.Title, level), Language: j.Script.Language,
		Resume: o.Resume, In: o.In, Out: o.Out,
	})
}
