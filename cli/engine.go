package cli

import (
	"context"
	"errors"

	ucli "github.com/urfave/cli/v3"

	"routinecast/narration"
	"routinecast/routines"
)

// engineFlags let a command that plays a routine (export, show, play) render
// the clips its voice lacks with a speech engine first.
func engineFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "render the missing clips first with `ENGINE` (festival, flite, espeak-ng, say) into the voice cache, or into --voice DIR"},
		&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`, e.g. kal16 for flite or en-us for espeak-ng"},
	}
}

// voiceChoice is what the user said about the voice: --voice (a folder or a
// cached voice's name) and --engine.
type voiceChoice = narration.Choice

// voiceTasks runs the voice tasks for a command: routines are found as the
// command line names them, and advice names installedEngine.
func voiceTasks(env *Env) narration.Tasks {
	return narration.Tasks{Out: env.Stdout, Log: env.Stderr, Load: loadRoutine, Engine: installedEngine}
}

// voiceErr gives a voice task's error its exit code: bad input is 2, and an
// interrupted task says what it kept.
func voiceErr(err error) error {
	var s *narration.Stopped
	switch {
	case errors.Is(err, narration.ErrBadInput):
		return Usage(err)
	case errors.As(err, &s):
		return Interrupted(err, s.Kept)
	}
	return err
}

// lookupVoice resolves --voice for a command that only reads a voice: "" is
// the embedded voice, anything else a folder or the name of a cached voice.
func lookupVoice(arg string) (string, error) {
	dir, err := narration.LookupVoice(arg)
	return dir, voiceErr(err)
}

// prepareEngineVoice is what --engine does before export, show or play (see
// narration.Tasks.VoiceFor): it returns the voice folder to use.
func prepareEngineVoice(ctx context.Context, env *Env, what string, c voiceChoice, r *routines.Routine, level routines.Level) (string, error) {
	dir, err := voiceTasks(env).VoiceFor(ctx, what, c, r, level)
	return dir, voiceErr(err)
}

// installedEngine is the engine that advice names (narration.InstalledEngine).
// Tests may prefer a faster one.
var installedEngine = firstInstalledEngine

func firstInstalledEngine() string { return narration.InstalledEngine() }

// shellWords quotes a command line's arguments for the advice of the other
// commands, as narration's advice does.
var shellWords = narration.ShellWords
