package cli

import (
	"context"
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v3"

	"routinecast/job"
	"routinecast/mixer"
)

func showCommand(env *Env) *ucli.Command {
	return described("show", &ucli.Command{
		MutuallyExclusiveFlags: []ucli.MutuallyExclusiveFlags{levelOrMinutes(),
			{Flags: [][]ucli.Flag{{engineFlags()[0]}, {noRenderFlag()}}}},
		Flags: []ucli.Flag{
			voiceFlag("time the script with the clips of voice `DIR` or cached voice name (default: the built-in voice)"),
			&ucli.BoolFlag{Name: "json", Usage: "print JSON: title, level, total_seconds, chapters and cues"},
			engineFlags()[1],
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runShow(ctx, env, showOptions{Routine: firstArg(c), Level: c.String("level"), Minutes: c.Float("minutes"), Voice: c.String("voice"), JSON: c.Bool("json"),
				Engine: c.String("engine"), EngineVoice: c.String("engine-voice"), NoRender: c.Bool("no-render")})
		},
	})
}

type showOptions struct {
	Routine string
	Level   string
	Minutes float64
	Voice   string
	JSON    bool
	// Engine, when set, renders the clips the voice lacks first, as export
	// does, so the times are the clips' own.
	Engine, EngineVoice string
	// NoRender times lines without a clip from their words instead.
	NoRender bool
}

func runShow(ctx context.Context, env *Env, o showOptions) error {
	jo, err := routineOptions(o.Routine, o.Level, o.Minutes)
	if err != nil {
		return err
	}
	vc := voiceChoice{Voice: o.Voice, Engine: o.Engine, EngineVoice: o.EngineVoice}
	if err := readyVoice(ctx, env, "show", vc, &jo, o.NoRender); err != nil {
		return err
	}
	var l mixer.Listing
	j, err := job.Compile(jo)
	var missing *job.MissingClipsError
	switch {
	case errors.As(err, &missing):
		// Without clips (--no-render) the timeline cannot be laid out; show
		// the script with lengths estimated from the words, and say so.
		fmt.Fprintf(env.Stderr, "note: %s has no clip for %d line(s); times are estimated from the words (without --no-render they are rendered and timed exactly)\n", missing.Voice, len(missing.Lines))
		s, err := job.Script(jo)
		if err != nil {
			return exportError(err)
		}
		l = mixer.ScriptListing(s)
	case err != nil:
		return exportError(err)
	default:
		l = mixer.NewListing(j.Script, j.Timeline)
	}
	if o.JSON {
		return l.WriteJSON(env.Stdout)
	}
	return writeListing(env.Stdout, l)
}
