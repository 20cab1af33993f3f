package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	ucli "github.com/urfave/cli/v3"

	"routinecast/narration"
	"routinecast/routines"
)

func voiceCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "voice",
		Usage: "make and check voices: render clips with a speech engine, or record them yourself",
		Description: `A voice is a folder of clips, one per line of narration, with a voice.yaml that
says how they were made. With no voice given, routinecast uses the voice built
into it, which has every line of the built-in routines.

Examples:
  routinecast voice engines
  routinecast voice render my-routine.yaml --engine flite
  routinecast voice list
  routinecast voice check my-routine.yaml --voice flite-slt
  routinecast voice script my-routine.yaml
  routinecast voice import recordings/ --voice my-voice --routine my-routine.yaml`,
		Commands: []*ucli.Command{voiceEnginesCommand(env), voiceListCommand(env), voiceRenderCommand(env),
			voiceCheckCommand(env), voiceScriptCommand(env), voiceImportCommand(env)},
	}
}

// voiceLevelFlags are the --level and --all-levels flags of the voice
// commands, which work on every level unless --level narrows them: a voice
// serves a routine at whatever level it is played.
func voiceLevelFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "level", Aliases: []string{"l"}, Usage: "only `LEVEL`: gentle, standard or full (default: every level)"},
		&ucli.BoolFlag{Name: "all-levels", Usage: "every level (the default; overrides --level)"},
	}
}

// voiceLevels is the levels a voice command works on.
func voiceLevels(c *ucli.Command) ([]routines.Level, error) {
	if c.Bool("all-levels") || c.String("level") == "" {
		return routines.Levels(), nil
	}
	return levelsFor(c.String("level"), false)
}

func voiceEnginesCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "engines",
		Usage: "list the speech engines and whether each is installed",
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 0 {
				return Usage(fmt.Errorf("voice engines: takes no arguments"))
			}
			return voiceTasks(env).ListEngines()
		},
	}
}

func voiceRenderCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "render",
		Usage:     "render the clips a routine needs with a speech engine, into a voice folder",
		ArgsUsage: "ROUTINE...",
		Description: `Renders every line of the routines, at every level (--level narrows it), that
has no clip yet in the voice, in parallel, trimmed of silence and brought to one
loudness. The voice is a cache: lines that already have a clip are not rendered
again.

Without --voice, the clips go to the user's voice cache, one voice per engine and
engine voice (see 'routinecast voice list'), which 'export --engine' reads too.
--voice takes a folder (made a new voice if it has none) or the name of a cached
voice. An existing voice keeps the engine it was made with.

Examples:
  routinecast voice render my-routine.yaml --engine flite
  routinecast voice render lower-back --engine festival --voice my-voice
  routinecast voice render lower-back --engine espeak-ng --engine-voice en-us --format flac`,
		Flags: append(voiceLevelFlags(),
			&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "`ENGINE`: festival, flite, espeak-ng or say (default: the voice's, or festival for a new voice)"},
			&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`, e.g. kal16 for flite or en-us for espeak-ng"},
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Usage: "voice folder `DIR`, or a cached voice's name (default: the engine's voice in the cache)"},
			&ucli.StringFlag{Name: "format", Usage: "store new clips as `FORMAT`: wav, flac or mp3 (saved in voice.yaml)"},
			&ucli.IntFlag{Name: "rate", Usage: "store new clips at `HZ` (default the engine's rate, 24000 for mp3)"},
			&ucli.IntFlag{Name: "bitrate", Usage: "MP3 bitrate in `KBPS` (default 40)"},
			&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "render `N` lines at once"},
			&ucli.DurationFlag{Name: "timeout", Value: narration.DefaultTimeout, Usage: "give up on a line after `DURATION`"},
			&ucli.BoolFlag{Name: "prune", Usage: "delete the clips in the folder that none of the routines' lines need"},
		),
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() == 0 {
				return Usage(errors.New("voice render: give one or more ROUTINEs"))
			}
			levels, err := voiceLevels(c)
			if err != nil {
				return err
			}
			o := narration.RenderTask{Routines: c.Args().Slice(), Levels: levels, Jobs: c.Int("jobs"), Timeout: c.Duration("timeout"), Prune: c.Bool("prune"),
				Choice: narration.Choice{Voice: c.String("voice"), Engine: c.String("engine"), EngineVoice: c.String("engine-voice")}}
			if c.IsSet("format") || c.IsSet("rate") || c.IsSet("bitrate") {
				o.Clips = &narration.ClipFormat{Format: c.String("format"), SampleRate: c.Int("rate"), Bitrate: c.Int("bitrate")}
			}
			return voiceErr(voiceTasks(env).RenderVoice(ctx, o))
		},
	}
}

func voiceListCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "list",
		Usage: "list the voices in the voice cache, which --voice takes by name",
		Description: `Lists the voices that 'voice render' and 'export --engine' made in the user's
cache folder ($XDG_CACHE_HOME/routinecast/voices, or ~/.cache/routinecast/voices),
with their engine, language, number of clips and size. --voice NAME uses one.

Examples:
  routinecast voice list
  routinecast export my-routine.yaml --voice flite-slt -o mine.mp3`,
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 0 {
				return Usage(fmt.Errorf("voice list: takes no arguments, got %d", c.NArg()))
			}
			return voiceTasks(env).ListVoices()
		},
	}
}

func voiceCheckCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "check",
		Usage:     "list the lines of a routine that have no clip in a voice; exit 1 if any",
		ArgsUsage: "ROUTINE...",
		Description: `Checks every level (--level narrows it). Without --voice, checks the voice
built into routinecast. --voice takes a folder or a cached voice's name.

Examples:
  routinecast voice check lower-back
  routinecast voice check my-routine.yaml --voice my-voice
  routinecast voice check my-routine.yaml --voice flite-slt --level gentle`,
		Flags: append(voiceLevelFlags(),
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Usage: "voice folder `DIR` or cached voice name (default: the embedded voice)"},
		),
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() == 0 {
				return Usage(errors.New("voice check: give one or more ROUTINEs"))
			}
			levels, err := voiceLevels(c)
			if err != nil {
				return err
			}
			return voiceErr(voiceTasks(env).CheckVoice(narration.CheckTask{Routines: c.Args().Slice(), Levels: levels, Voice: c.String("voice")}))
		},
	}
}

func voiceScriptCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "script",
		Usage:     "write the recording script of a routine: every line of every level, with the file name each recording must have",
		ArgsUsage: "ROUTINE",
		Description: `Writes the sheet as CSV (for a spreadsheet or a script) and as Markdown (to
print or read from while recording). "-" writes to standard output. The sheet
names its routine and the 'voice import' command that takes the recordings.

Examples:
  routinecast voice script lower-back
  routinecast voice script my-routine.yaml --csv lines.csv --markdown lines.md`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "csv", Usage: "write the CSV sheet to `FILE` (default NAME-recording.csv)"},
			&ucli.StringFlag{Name: "markdown", Aliases: []string{"md"}, Usage: "write the Markdown sheet to `FILE` (default NAME-recording.md)"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("voice script: expected one ROUTINE, got %d arguments", c.NArg()))
			}
			return voiceErr(voiceTasks(env).WriteScript(narration.ScriptTask{Routine: c.Args().First(), CSV: c.String("csv"), Markdown: c.String("markdown")}))
		},
	}
}

func voiceImportCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "import",
		Usage:     "take a folder of recordings, named as 'voice script' says, into a recorded voice",
		ArgsUsage: "DIR",
		Description: `Each recording is trimmed of silence, brought to one loudness and stored in the
voice folder (FLAC unless the voice says otherwise; --as-is copies the files
unchanged). Recordings may be WAV, FLAC or MP3 at any sample rate. Reports the
lines still missing. Files that match no line of the routines (the built-in
routines unless --routine is given), or a folder where no file matches, are bad
input: they are listed and the command exits with code 2. The voice folder is
made with its first recording.

Examples:
  routinecast voice import recordings/ --voice my-voice --routine my-routine.yaml
  routinecast voice import recordings/ --voice my-voice`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Required: true, Usage: "voice folder `DIR` (made if it does not exist)"},
			&ucli.StringSliceFlag{Name: "routine", Aliases: []string{"r"}, Usage: "the `ROUTINE` recorded (repeat for several; default every built-in routine)"},
			&ucli.StringFlag{Name: "language", Usage: "`LANG` of a new voice (default the routine's)"},
			&ucli.StringFlag{Name: "name", Usage: "`NAME` of a new voice (default the folder's name)"},
			&ucli.BoolFlag{Name: "as-is", Usage: "copy the recordings unchanged: no trimming, no loudness"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("voice import: expected one DIR of recordings, got %d arguments", c.NArg()))
			}
			return voiceErr(voiceTasks(env).ImportVoice(ctx, narration.ImportTask{Dir: c.Args().First(), Voice: c.String("voice"),
				Routines: c.StringSlice("routine"), Language: c.String("language"), Name: c.String("name"), AsIs: c.Bool("as-is")}))
		},
	}
}
