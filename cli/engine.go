package cli

import (
	"context"
	"errors"

	ucli "github.com/urfave/cli/v3"

	"routinecast/job"
	"routinecast/narration"
)

// engineFlags let a command that plays a routine (export, show, play) render
// the clips its voice lacks with a speech engine first.
func engineFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "render the missing clips first with `ENGINE` (builtin, festival, flite, espeak-ng, say; default: the built-in voice, or builtin for a routine it cannot speak) into the voice cache, or into --voice DIR"},
		&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`, e.g. kal16 for flite or en-us for espeak-ng"},
	}
}

// voiceChoice is what the user said about the voice: --voice (a folder or a
// cached voice's name) and --engine.
type voiceChoice = narration.Choice

// voiceErr gives the error of narration's voice functions its exit code:
// bad input (narration.ErrBadInput) is 2.
func voiceErr(err error) error {
	if errors.Is(err, narration.ErrBadInput) {
		return Usage(err)
	}
	return err
}

// lookupVoice resolves --voice for a command that only reads a voice: "" is
// the embedded voice, anything else a folder or the name of a cached voice.
func lookupVoice(arg string) (string, error) {
	dir, err := narration.LookupVoice(arg)
	return dir, voiceErr(err)
}

// prepareVoice readies the voice of a command that plays a routine (see
// voiceTasks.voiceFor): it renders the clips the voice lacks with the
// engine the user chose, or with the built-in engine when the user named
// no voice and the embedded one cannot speak the routine, and sets jo.Voice
// and jo.Render (which renders any other line a fit to a length needs).
func prepareVoice(ctx context.Context, env *Env, what string, c voiceChoice, jo *job.Options) error {
	tasks := newVoiceTasks(env)
	dir, err := tasks.voiceFor(ctx, what, c, jo.Routine, jo.Level, jo.Length != 0)
	if err != nil {
		return voiceErr(err)
	}
	jo.Voice = dir
	if dir == "" {
		return nil
	}
	v, err := narration.Open(dir)
	if err != nil {
		return Usage(err)
	}
	if v.Manifest.Engine.Name == narration.Recorded {
		return nil
	}
	jo.Render = func(lines []string) error {
		return voiceErr(tasks.renderLines(ctx, what, v, lines))
	}
	return nil
}

// noRenderFlag is --no-render, of the commands that only need the times.
func noRenderFlag() *ucli.BoolFlag {
	return &ucli.BoolFlag{Name: "no-render", Usage: "render no clip: time the lines that have none from their words (an estimate, labelled as such)"}
}

// readyVoice is prepareVoice, or with noRender only the lookup of --voice,
// so that lines without a clip are estimated (show's --no-render and
// --engine exclude each other).
func readyVoice(ctx context.Context, env *Env, what string, c voiceChoice, jo *job.Options, noRender bool) error {
	if !noRender {
		return prepareVoice(ctx, env, what, c, jo)
	}
	var err error
	jo.Voice, err = lookupVoice(c.Voice)
	return err
}

// installedEngine is the engine that advice names (narration.InstalledEngine).
// Tests may prefer a faster one.
var installedEngine = firstInstalledEngine

func firstInstalledEngine() string { return narration.InstalledEngine() }
